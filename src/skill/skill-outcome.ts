import type { SetOutcome, SetPlannedOutcome, SetPlanView } from "./fleet/set-outcome";
import type { Tier } from "./policy/mode";
import type { MutationResult, ReadResult } from "./operations/operation";

/** The plan as shown to a person or agent before a destructive change. */
export interface PlanView {
  operation: string;
  /** The resolved target; for a set `12 guests: 100-111` (the guests are in `SetPlanView.guests`). */
  target: string;
  tier: Tier;
  summary: string;
  steps: string[];
  warnings: string[];
}

/** A read-only operation's answer. */
export interface ReadOutcome {
  status: "ok";
  kind: "read";
  operation: string;
  result: ReadResult;
}

/** A mutation's answer: done, started (not waited for) or nothing to do. */
export interface MutationOutcome {
  status: "done" | "started" | "no-change";
  kind: "mutation";
  operation: string;
  target: string;
  result: MutationResult;
}

/** A destructive operation that needs the same request again with `confirmToken`. */
export interface ConfirmationOutcome {
  status: "confirmation-required";
  kind: "mutation";
  operation: string;
  /** For a set of guests a `SetPlanView` (every guest with its state and action). */
  plan: PlanView | SetPlanView;
  confirmToken: string;
  expiresAt: string;
  /** Why a given token was not accepted, when one was given. */
  reason?: string;
}

export type { SetOutcome, SetPlannedOutcome, SetPlanView };

export type SkillOutcome = ReadOutcome | MutationOutcome | ConfirmationOutcome | SetOutcome | SetPlannedOutcome;
