import type { z } from "zod";
import type { AllowTarget, UnknownReach } from "../policy/allow-list";
import type { ProgressEventInput } from "../progress/events";
import type { Tier } from "../policy/mode";
import type { SkillSettings } from "../settings";
import type { SkillClient } from "../skill-client";

/** What an operation needs while it runs. */
export interface OperationContext {
  client: SkillClient;
  settings: SkillSettings;
  /** Wait for tasks to finish (false with `--no-wait`). */
  wait: boolean;
  /** Progress lines (task log, steps); a no-op when nobody watches. */
  progress(line: string): void;
  /** Structured progress (task started, log lines, task ended, state changes), when someone listens. */
  emit?(event: ProgressEventInput): void;
  /**
   * Guests already read from `/cluster/resources` (a fleet command reads them once for the whole set);
   * planning looks guests up here instead of reading the resources again.
   */
  knownGuests?: ReadonlyMap<number, GuestRef>;
  now(): Date;
  /** Throws `PolicyRefusedError` when a target found during execution (a retried VMID…) is outside the allow-lists. */
  assertAllowed(target: AllowTarget): void;
  /** How the client connects (for `doctor`); no secrets. */
  connection?: ConnectionInfo;
}

/** A secret-free description of the connection. */
export interface ConnectionInfo {
  baseUrl: string;
  /** `token`, `ticket` (password login) or `local` (pvesh on this node). */
  auth: "token" | "ticket" | "local" | "unknown";
  /** Token id or user@realm. */
  identity: string;
  /** `verified` (system CAs), `ca` (custom CA), `fingerprint` (pinned), `insecure`, or `none` (local mode). */
  tls: "verified" | "ca" | "fingerprint" | "insecure" | "none";
  /** Set in local mode: the pvesh executable and whether it was asked for (`flag`) or chosen (`auto`). */
  local?: { pvesh: string; reason: "flag" | "auto" };
}

/** A guest found through `/cluster/resources`. */
export interface GuestRef {
  vmid: number;
  node: string;
  type: "qemu" | "lxc";
  name?: string;
  status?: string;
  pool?: string;
  tags: string[];
  template: boolean;
  maxmem?: number;
  /** vCPUs, as `/cluster/resources` reports them */
  maxcpu?: number;
  lock?: string;
}

/** A table column for human output: a key of the rows, optionally with a label and a value format. */
export interface Column {
  key: string;
  label?: string;
  format?: "bytes" | "percent" | "duration" | "time";
}

/** The result of a read-only operation. */
export interface ReadResult {
  data: unknown;
  /** Table columns for human output, in order (default: the keys of the first row). */
  columns?: readonly (string | Column)[];
  /** Short notes printed after the table (never part of `data`). */
  notes?: readonly string[];
  /** Set when the answer reports a failure (a failed task, a failing check): exit code 1. */
  failure?: string;
  /** Human output instead of a table (one line such as `auth ok (reversible)`); `--json` still prints `data`. */
  text?: string;
}

/** What a mutation is about to do; shown as the plan when confirmation is required. */
export interface Plan {
  /** The resolved target as text, e.g. `qemu/100 (web) on pve1`; tokens are bound to it. */
  target: string;
  /** The effective tier (may be higher than the operation's static tier, e.g. restore over a guest). */
  tier: Tier;
  /** Why the tier is what it is, when parameters raised it (`force=1 overwrites an existing guest…`). */
  tierReasons?: string[];
  summary: string;
  steps: string[];
  warnings: string[];
  /** Everything the allow-lists must accept (the guest, a target node, a new VMID, a named storage…). */
  allowTargets: AllowTarget[];
  /** Set when the request reaches guests that cannot be listed (refused while an allow-list is set). */
  reach?: UnknownReach;
  /** Needs a confirm token although the tier does not (an operation named in PVEKIT_CONFIRM_OPERATIONS). */
  confirm?: boolean;
  /** Bound into the confirm token besides operation, target and input (e.g. the guests a node-wide action selects). */
  confirmScope?: unknown;
  /** Set when there is nothing to do (e.g. already running); execution is skipped. */
  noop?: string;
}

/** The answer of a mutation. */
export interface MutationResult {
  /** `done`, or `started` when the task was not waited for. */
  status: "done" | "started" | "no-change";
  summary: string;
  /** What changed, as before → after lines. */
  changes: string[];
  upid?: string;
  exitstatus?: string;
  warnings?: string[];
  /** Follow-up advice (in-guest resize steps…). */
  notes?: string[];
  data?: unknown;
  /** Output `data` itself rather than the change report (`api`). */
  raw?: boolean;
}

interface OperationBase<S extends z.ZodObject> {
  /** The command name, as used by the CLI (`start`), the MCP tool (`pve_start`) and SKILL.md. */
  name: string;
  title: string;
  description: string;
  /** The static tier; a plan may raise it. */
  tier: Tier;
  input: S;
  /** CLI positional arguments (input keys, in order; `?` suffix = optional, `...` suffix = variadic). */
  args?: readonly string[];
  /** More help for `pvekit <name> --help` (configuration the operation reads, examples). */
  help?: string;
  /** Boolean inputs that also get a `--no-<name>` flag (a filter: true, false or not given). */
  negatable?: readonly string[];
}

/** A read-only operation. */
export interface ReadOperation<S extends z.ZodObject = z.ZodObject> extends OperationBase<S> {
  kind: "read";
  run(ctx: OperationContext, input: z.output<S>): Promise<ReadResult>;
}

/** A mutation: planned first (reads only), then executed under the safety policy. */
export interface MutationOperation<S extends z.ZodObject = z.ZodObject, P extends Plan = Plan> extends OperationBase<S> {
  kind: "mutation";
  plan(ctx: OperationContext, input: z.output<S>): Promise<P>;
  execute(ctx: OperationContext, input: z.output<S>, plan: P): Promise<MutationResult>;
}

export type Operation = ReadOperation<any> | MutationOperation<any, any>;

/** Identity helpers that keep the input type flowing into `run`/`plan`/`execute`. */
export function defineRead<S extends z.ZodObject>(op: ReadOperation<S>): ReadOperation<S> {
  return op;
}
export function defineMutation<S extends z.ZodObject, P extends Plan>(op: MutationOperation<S, P>): MutationOperation<S, P> {
  return op;
}
