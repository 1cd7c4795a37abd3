import type { PlanView } from "../skill-outcome";

/**
 * How one guest of a set ended: `ok` (done and re-checked), `noop` (nothing to do), `failed`
 * (an API or task error; the others went on), `skipped` (its state or type rules the action out,
 * or the run stopped before it), `started` (task started, not waited for: `--no-wait`).
 */
export type GuestOutcome = "ok" | "noop" | "failed" | "skipped" | "started";

/** The reason of guests a stopped run never started. */
export const NOT_STARTED = "not started: the run was stopped";

export const GUEST_OUTCOMES: readonly GuestOutcome[] = ["ok", "noop", "failed", "skipped", "started"];

/** One guest's result in a set. */
export interface GuestResult {
  vmid: number;
  node: string;
  type: "qemu" | "lxc";
  name?: string;
  outcome: GuestOutcome;
  upid?: string;
  exitstatus?: string;
  /** What went wrong (failed). */
  error?: string;
  /** Why nothing was done (noop, skipped). */
  reason?: string;
  /** What changed (`status: running → stopped`). */
  changes?: string[];
  /** The last lines of a failed task's log. */
  logTail?: string[];
}

/** One guest as the set plan shows it: its state now and what will happen to it. */
export interface SetGuestView {
  vmid: number;
  node: string;
  type: "qemu" | "lxc";
  name?: string;
  /** The state `/cluster/resources` reports. */
  status?: string;
  /** What will be done; `noop` / `skip` when nothing will. */
  action: string;
  noop?: string;
  skip?: string;
}

/** The plan of a set: every guest with its state and action, plus set-wide steps and warnings. */
export interface SetPlanView extends PlanView {
  guests: SetGuestView[];
  /** How many guests act, are no-ops and are skipped. */
  counts: { act: number; noop: number; skip: number };
}

/** A set command's answer. `status` is `done` even when some guests failed: see `counts.failed`. */
export interface SetOutcome {
  status: "done" | "started" | "no-change";
  kind: "set";
  operation: string;
  target: string;
  summary: string;
  counts: Record<GuestOutcome, number>;
  results: GuestResult[];
  warnings?: string[];
}

/** A set planned but not run (`dryRun`). */
export interface SetPlannedOutcome {
  status: "planned";
  kind: "set";
  operation: string;
  plan: SetPlanView;
}

/** Counts per outcome. */
export function countOutcomes(results: readonly GuestResult[]): Record<GuestOutcome, number> {
  const counts = Object.fromEntries(GUEST_OUTCOMES.map((o) => [o, 0])) as Record<GuestOutcome, number>;
  for (const r of results) counts[r.outcome]++;
  return counts;
}

const RESULT_KEYS: readonly (keyof GuestResult)[] = ["vmid", "node", "type", "name", "outcome", "upid", "exitstatus", "error", "reason", "changes", "logTail"];

/** The result with its keys in one order (vmid, node, type, name, outcome, upid, exitstatus, …), empty ones left out. */
export function orderedResult(r: GuestResult): GuestResult {
  const out: Record<string, unknown> = {};
  for (const k of RESULT_KEYS) if (r[k] !== undefined) out[k] = r[k];
  return out as unknown as GuestResult;
}
