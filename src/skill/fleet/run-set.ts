import * as z from "zod";
import { PolicyRefusedError, PreconditionError, SkillUsageError } from "../errors";
import { describeInputIssues } from "../input-problems";
import { describeGuest, listGuestResources, toGuestRef } from "../operations/guest-locator";
import type { GuestRef, MutationOperation, OperationContext } from "../operations/operation";
import type { AllowLists, AllowTarget } from "../policy/allow-list";
import { allowListViolation, allowListViolations, unknownReachViolation } from "../policy/allow-list";
import type { AuditEntry } from "../policy/audit-log";
import { describeRejection, type ConfirmBinding, type ConfirmTokens } from "../policy/confirm-tokens";
import { maxTier, modeAllows, type Tier } from "../policy/mode";
import type { SkillSettings } from "../settings";
import type { ProgressEventInput } from "../progress/events";
import type { ConfirmationOutcome, SkillOutcome } from "../skill-outcome";
import { hasNodeBulk, nodeBulk } from "./node-bulk";
import { runBounded, type Job } from "./scheduler";
import { compactVmids, describeSelector, guestSelector, selectGuests, type GuestSelector } from "./selector";
import { setActionFor, type GuestPreview, type SetAction, type SetPreparation } from "./set-actions";
import { DEFAULT_PARALLEL, DEFAULT_PER_NODE, setRunOptions } from "./set-input";
import { countOutcomes, NOT_STARTED, orderedResult, type GuestResult, type SetGuestView, type SetOutcome, type SetPlanView } from "./set-outcome";

/** The parts of the safety policy a set run applies (supplied by `PveSkill`, the same rules as for one guest). */
export interface SetPolicy {
  settings: Pick<SkillSettings, "mode" | "allow" | "confirmOperations">;
  tokens: ConfirmTokens;
  /** Writes an audit line; when it cannot be written nothing may be sent (throws `AuditLogError`). */
  auditOrRefuse(entry: Omit<AuditEntry, "time" | "user" | "mode">): void;
  /** Writes an audit line for a refusal or for what already happened; returns why it could not, if so. */
  auditBestEffort(entry: Omit<AuditEntry, "time" | "user" | "mode">): string | undefined;
  /** The refusal for an operation whose tier the mode does not allow. */
  modeRefusal(name: string, tier: Tier): PolicyRefusedError;
}

export interface SetRunOptions {
  confirm?: string;
  /** Stops starting guests (those running finish). */
  signal?: AbortSignal;
}

interface Planned {
  guest: GuestRef;
  preview: GuestPreview;
}

type Params = Record<string, unknown>;

/** Violations listed in a refusal before it says "and n more". */
const LIST_AT_MOST = 10;

/**
 * Runs mutation `op` over the set of guests `raw.select` picks (plus `raw.vmid`): ONE read of
 * `/cluster/resources`, one plan listing every guest (state, action or no-op), the mode and the
 * allow-lists checked for every guest before anything runs, one confirm token bound to exactly the
 * set and its parameters where confirmation is needed, then bounded parallel execution with a
 * result per guest.
 */
export async function runSet(
  op: MutationOperation,
  raw: Params,
  ctx: OperationContext,
  policy: SetPolicy,
  options: SetRunOptions = {},
): Promise<SkillOutcome> {
  const baseAction = setActionFor(op.name);
  if (!baseAction) throw new SkillUsageError(`${op.name} takes one VMID, not a set of guests.`);
  const { select, vmid, parallel, perNode, dryRun, bulk, ...rest } = raw;
  const selector = parseOrUsage(guestSelector(), select ?? {}, `${op.name}: select`);
  if (vmid !== undefined) selector.vmids = [...(selector.vmids ?? []), vmid as number];
  const params = parseOrUsage((op.input as z.ZodObject).omit({ vmid: true }).strict(), rest, op.name) as Params;
  const run = parseOrUsage(z.object(setRunOptions), { parallel, perNode, dryRun, bulk }, op.name);
  const setEntry = (target: string, outcome: AuditEntry["outcome"], error?: string) => ({
    operation: op.name,
    target,
    params: { ...params, select: selector },
    outcome,
    ...(error ? { error } : {}),
  });
  const { settings } = policy;
  if (run.bulk && !hasNodeBulk(op.name))
    throw new SkillUsageError(`--bulk: PVE has no per-node bulk endpoint that does what ${op.name} does (bulk: start, shutdown, migrate; suspendall hibernates to disk).`);
  const perNodeLimit = run.perNode ?? DEFAULT_PER_NODE;
  const action: SetAction = run.bulk ? { ...baseAction, batch: nodeBulk(op.name, perNodeLimit) } : baseAction;

  if (!modeAllows(settings.mode, op.tier)) {
    policy.auditBestEffort(setEntry(describeSelector(selector), "refused", "mode"));
    throw policy.modeRefusal(op.name, op.tier);
  }

  const all = (await listGuestResources(ctx)).map(toGuestRef);
  const guests = selectGuests(all, selector);
  const planned: Planned[] = guests.map((g) => ({ guest: g, preview: action.preview(g, params, ctx) }));
  const acting = planned.filter((p) => !p.preview.noop && !p.preview.skip);
  const target = setTarget(guests);

  const refusal = allowListRefusal(settings.allow, planned, action.extraTargets?.(params) ?? []);
  if (refusal) {
    policy.auditBestEffort(setEntry(target, "refused", refusal));
    throw new PolicyRefusedError(refusal, "allow-list");
  }

  const prep: SetPreparation = acting.length && action.prepare ? await action.prepare(ctx, acting.map((p) => p.guest), params) : {};
  // what preparing found (the storage a backup goes to on each node) is checked like the rest
  const found = allowListViolations(settings.allow, prep.allowTargets ?? []);
  if (found.length) {
    const why = `Refused by allow-list: nothing was run. ${found.join(" ")}`;
    policy.auditBestEffort(setEntry(target, "refused", why));
    throw new PolicyRefusedError(why, "allow-list");
  }
  const confirmedAs = confirmedOperations(op, action, params, settings.confirmOperations);
  const interrupted = interruptedGuests(action, acting.map((p) => p.guest), params);
  const confirm = needsConfirmation(op, interrupted) || (acting.length > 0 && confirmedAs.length > 0);
  const plan = planView(op, action, selector, target, planned, prep);
  if (confirmedAs.length)
    plan.warnings.push(`PVEKIT_CONFIRM_OPERATIONS names ${confirmedAs.join(", ")}: this set needs one confirmation (issued with the plan, bound to exactly these guests).`);
  else if (confirm && op.tier !== "destructive")
    plan.warnings.push(`${op.name} interrupts ${interrupted} guests at once; a set like this needs one confirmation (issued with the plan, bound to exactly these guests).`);
  if (run.dryRun) return { status: "planned", kind: "set", operation: op.name, plan };

  const premade = planned.filter((p) => p.preview.noop || p.preview.skip).map(presetResult);
  if (acting.length === 0) {
    policy.auditBestEffort(setEntry(target, "no-change"));
    return setOutcome(op.name, target, premade, ctx.wait, prep.warnings);
  }

  if (confirm) {
    const binding: ConfirmBinding = {
      operation: op.name,
      target,
      // bound to exactly these guests, where they are and what happens to each, and the parameters
      params: {
        ...params,
        set: planned.map((p) => [p.guest.type, p.guest.vmid, p.guest.node, p.preview.noop ? "noop" : (p.preview.skip ? "skip" : p.preview.action)]),
        // and how it runs: one PVE bulk job per node (with its maxworkers) skips pvekit's per-guest re-checks
        ...(run.bulk ? { bulk: { maxworkers: perNodeLimit } } : {}),
      },
    };
    let reason: string | undefined;
    if (options.confirm) {
      const r = policy.tokens.redeem(options.confirm, binding);
      if (!r.ok) reason = describeRejection(r.reason);
    }
    if (!options.confirm || reason) {
      const { token, expiresAt } = policy.tokens.issue(binding);
      policy.auditOrRefuse(setEntry(target, "confirmation-required", reason));
      const out: ConfirmationOutcome = {
        status: "confirmation-required",
        kind: "mutation",
        operation: op.name,
        plan,
        confirmToken: token,
        expiresAt: expiresAt.toISOString(),
      };
      if (reason) out.reason = reason;
      return out;
    }
  }

  // fail closed: the intent for the whole set is on record before the first request goes out
  policy.auditOrRefuse({ ...setEntry(`${target} (acting: ${compactVmids(acting.map((p) => p.guest.vmid))})`, "intent") });
  const unrecorded: string[] = [];
  const known = new Map(all.map((g) => [g.vmid, g]));
  const results = new Map<number, GuestResult>();
  const finish = (result: GuestResult): void => {
    const r = orderedResult(result);
    results.set(r.vmid, r);
    ctx.emit?.({
      event: "result",
      vmid: r.vmid,
      node: r.node,
      outcome: r.outcome,
      ...(r.error ? { error: r.error } : {}),
      ...(r.reason ? { reason: r.reason } : {}),
      ...(r.upid ? { upid: r.upid } : {}),
    });
    if (r.outcome !== "skipped") {
      const failed = policy.auditBestEffort({
        operation: op.name,
        target: describeGuest(r),
        params,
        outcome: r.outcome === "noop" ? "no-change" : r.outcome === "failed" ? "failed" : "ok",
        ...(r.upid ? { upid: r.upid } : {}),
        ...(r.exitstatus ? { exitstatus: r.exitstatus } : {}),
        ...(r.error ? { error: r.error } : {}),
      });
      if (failed) unrecorded.push(`${r.vmid}: ${failed}`);
    }
  };
  ctx.emit?.({ event: "set-start", operation: op.name, total: guests.length, acting: acting.length });
  for (const r of premade) finish(r);
  const input = { ...params, ...prep.input };
  const jobs = action.batch ? batchJobs(action, acting, input, ctx, finish) : acting.map((p) => guestJob(op, action, p, input, ctx, known, finish));
  const notStarted = await runBounded(jobs, {
    parallel: run.parallel ?? DEFAULT_PARALLEL,
    // a bulk job is one PVE worker per node that itself runs perNode guests at once
    perNode: run.bulk ? 1 : perNodeLimit,
    signal: options.signal,
  });
  if (notStarted.length) {
    for (const p of acting) if (!results.has(p.guest.vmid)) finish({ ...guestBase(p.guest), outcome: "skipped", reason: NOT_STARTED });
  }
  const ordered = guests.map((g) => results.get(g.vmid) ?? { ...guestBase(g), outcome: "failed" as const, error: "no result (internal error)" });
  const warnings = [...(prep.warnings ?? [])];
  if (unrecorded.length) warnings.push(`${unrecorded.length} outcome(s) were not written to the audit log: ${unrecorded.slice(0, 3).join("; ")}${unrecorded.length > 3 ? " …" : ""}`);
  const out = setOutcome(op.name, target, ordered, ctx.wait, warnings);
  ctx.emit?.({ event: "summary", operation: op.name, total: ordered.length, counts: out.counts });
  return out;
}

function parseOrUsage<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const res = schema.safeParse(value);
  if (res.success) return res.data;
  throw new SkillUsageError(`Invalid input for ${what}: ${describeInputIssues(res.error.issues, (value ?? {}) as Record<string, unknown>)}.`);
}

/** Destructive sets always; sets that interrupt more than one running guest (seed 000: bulk shutdown needs confirmation). */
export function needsConfirmation(op: MutationOperation, interrupted: number): boolean {
  return op.tier === "destructive" || interrupted > 1;
}

/** How many of the acting guests the action interrupts (all of them, or those its rule names, e.g. running guests a stop-mode backup takes down). */
function interruptedGuests(action: SetAction, acting: readonly GuestRef[], params: Params): number {
  const rule = action.interrupts;
  if (typeof rule === "function") return acting.filter((g) => rule(g, params)).length;
  return rule ? acting.length : 0;
}

/**
 * The operations in PVEKIT_CONFIRM_OPERATIONS this set amounts to: its own, and those its parameters make
 * it (a backup in stop mode is a shutdown), as for a single guest.
 */
export function confirmedOperations(op: MutationOperation, action: SetAction, params: Params, confirmed: readonly string[]): string[] {
  return [op.name, ...(action.alsoOperations?.(params) ?? [])].filter((name) => confirmed.includes(name));
}

function setTarget(guests: readonly GuestRef[]): string {
  if (guests.length === 1) return `1 guest: ${describeGuest(guests[0]!)}`;
  return `${guests.length} guests: ${compactVmids(guests.map((g) => g.vmid)) || "none"}`;
}

/**
 * Every guest (and every extra target) against the allow-lists; the refusal names each guest
 * outside them and the `--exclude` that would leave them out.
 */
function allowListRefusal(allow: AllowLists, planned: readonly Planned[], extra: readonly AllowTarget[]): string | undefined {
  const problems: string[] = [];
  const outside: number[] = [];
  for (const t of extra) {
    const why = allowListViolation(allow, t);
    if (why) problems.push(why);
  }
  for (const { guest: g, preview } of planned) {
    const targets: AllowTarget[] = [{ vmid: g.vmid, node: g.node, pool: g.pool, tags: g.tags }, ...(preview.allowTargets ?? [])];
    const why = targets.map((t) => allowListViolation(allow, t)).find((w) => w !== undefined);
    if (why) {
      problems.push(why);
      outside.push(g.vmid);
    }
  }
  if (problems.length === 0) return undefined;
  const shown = problems.slice(0, LIST_AT_MOST).join(" ");
  const more = problems.length > LIST_AT_MOST ? ` … and ${problems.length - LIST_AT_MOST} more.` : "";
  const hint = outside.length ? ` Leave them out with --exclude ${compactVmids(outside)} (MCP/library: select.exclude).` : "";
  return `Refused by allow-list: nothing was run. ${outside.length ? `${outside.length} of the ${planned.length} selected guests are outside the allow-lists. ` : ""}${shown}${more}${hint}`;
}

function planView(op: MutationOperation, action: SetAction, selector: GuestSelector, target: string, planned: readonly Planned[], prep: SetPreparation): SetPlanView {
  const guests: SetGuestView[] = planned.map(({ guest: g, preview: p }) => ({
    vmid: g.vmid,
    node: g.node,
    type: g.type,
    ...(g.name ? { name: g.name } : {}),
    ...(g.status ? { status: g.status } : {}),
    action: p.action,
    ...(p.noop ? { noop: p.noop } : {}),
    ...(p.skip ? { skip: p.skip } : {}),
  }));
  const counts = {
    act: guests.filter((g) => !g.noop && !g.skip).length,
    noop: guests.filter((g) => g.noop).length,
    skip: guests.filter((g) => g.skip).length,
  };
  const nodes = [...new Set(planned.map((p) => p.guest.node))].sort();
  return {
    operation: op.name,
    target,
    tier: op.tier,
    summary: `${op.name} ${planned.length} guest(s) selected by ${describeSelector(selector)}${nodes.length ? ` (on ${nodes.join(", ")})` : ""}: ${counts.act} to act, ${counts.noop} no-op, ${counts.skip} skipped`,
    steps: [
      ...(prep.steps ?? []),
      action.batch
        ? action.batch.describe
        : `${op.name} each guest (bounded in parallel and per node), re-checking its live state before and after`,
    ],
    warnings: prep.warnings ?? [],
    guests,
    counts,
  };
}

const guestBase = (g: GuestRef) => ({ vmid: g.vmid, node: g.node, type: g.type, ...(g.name ? { name: g.name } : {}) });

function presetResult({ guest, preview }: Planned): GuestResult {
  return preview.noop
    ? { ...guestBase(guest), outcome: "noop", reason: preview.noop }
    : { ...guestBase(guest), outcome: "skipped", reason: preview.skip };
}

function setOutcome(operation: string, target: string, results: GuestResult[], waited: boolean, warnings?: string[]): SetOutcome {
  const counts = countOutcomes(results);
  const acted = counts.ok + counts.failed + counts.started;
  const status = acted === 0 ? "no-change" : counts.started > 0 || !waited ? "started" : "done";
  const parts = (["ok", "started", "failed", "noop", "skipped"] as const).filter((k) => counts[k] > 0).map((k) => `${counts[k]} ${k === "noop" ? "no-op" : k}`);
  return {
    status,
    kind: "set",
    operation,
    target,
    summary: `${operation}: ${parts.join(", ") || "no guests matched"} (${results.length} guest${results.length === 1 ? "" : "s"})`,
    counts,
    results,
    ...(warnings?.length ? { warnings } : {}),
  };
}

const errorText = (err: unknown): string => {
  const e = err as Error;
  return `${e.name ?? "Error"}: ${e.message ?? String(err)}`;
};

function failedResult(g: GuestRef, err: unknown): GuestResult {
  const e = err as { upid?: unknown; exitstatus?: unknown; logTail?: unknown };
  return {
    ...guestBase(g),
    outcome: "failed",
    error: errorText(err),
    ...(typeof e.upid === "string" ? { upid: e.upid } : {}),
    ...(typeof e.exitstatus === "string" ? { exitstatus: e.exitstatus } : {}),
    ...(Array.isArray(e.logTail) && e.logTail.length ? { logTail: e.logTail.map(String).slice(-10) } : {}),
  };
}

/** A context whose events and progress lines are about guest `g`. */
function guestContext(ctx: OperationContext, g: GuestRef | undefined): OperationContext {
  if (!g) return ctx;
  return {
    ...ctx,
    progress: (line) => ctx.progress(`${g.vmid}: ${line}`),
    emit: (e: ProgressEventInput) => ctx.emit?.({ vmid: g.vmid, node: g.node, ...e } as ProgressEventInput),
  };
}

/** One guest through the operation's own plan (re-reading its live state) and execute. */
function guestJob(
  op: MutationOperation,
  action: SetAction,
  p: Planned,
  params: Params,
  ctx: OperationContext,
  known: ReadonlyMap<number, GuestRef>,
  finish: (r: GuestResult) => void,
): Job {
  const g = p.guest;
  return {
    nodes: action.nodes?.(g, params) ?? [g.node],
    async run() {
      const gctx = guestContext(ctx, g);
      const planCtx: OperationContext = { ...gctx, knownGuests: known };
      let input: Params;
      let plan;
      try {
        input = (op.input as z.ZodObject).parse({ ...params, ...p.preview.input, vmid: g.vmid }) as Params;
        plan = await op.plan(planCtx, input);
      } catch (err) {
        // the live state rules the action out (paused, template, container…): not a failure of the run
        if (err instanceof PreconditionError) return finish({ ...guestBase(g), outcome: "skipped", reason: err.message });
        return finish(failedResult(g, err));
      }
      if (maxTier(plan.tier, op.tier) !== op.tier)
        return finish({ ...guestBase(g), outcome: "failed", error: `This guest's ${op.name} is ${plan.tier}; run it on its own to confirm it.` });
      // what the guest's own plan touches (checked again: its live state may add targets)
      const why = [...allowListViolations(ctx.settings.allow, plan.allowTargets), unknownReachViolation(ctx.settings.allow, plan.reach)].filter(
        (w): w is string => w !== undefined,
      );
      if (why.length) return finish({ ...guestBase(g), outcome: "failed", error: `Refused by allow-list: ${why.join(" ")}` });
      if (plan.noop) return finish({ ...guestBase(g), outcome: "noop", reason: plan.noop });
      try {
        const r = await op.execute(gctx, input, plan);
        finish({
          ...guestBase(g),
          outcome: r.status === "started" ? "started" : r.status === "no-change" ? "noop" : "ok",
          ...(r.upid ? { upid: r.upid } : {}),
          ...(r.exitstatus ? { exitstatus: r.exitstatus } : {}),
          ...(r.changes.length ? { changes: r.changes } : {}),
        });
      } catch (err) {
        finish(failedResult(g, err));
      }
    },
  };
}

/** Guests grouped into batches (one PVE request each), e.g. one vzdump per node. */
function batchJobs(action: SetAction, acting: readonly Planned[], params: Params, ctx: OperationContext, finish: (r: GuestResult) => void): Job[] {
  const spec = action.batch!;
  const groups = new Map<string, GuestRef[]>();
  for (const { guest } of acting) {
    const key = spec.key(guest, params);
    groups.set(key, [...(groups.get(key) ?? []), guest]);
  }
  return [...groups.values()].map((group) => ({
    nodes: spec.nodes(group, params),
    async run() {
      try {
        const results = await spec.run({ ctx, emitFor: (g) => guestContext(ctx, g).emit ?? (() => {}) }, group, params);
        for (const r of results) finish(r);
      } catch (err) {
        for (const g of group) finish(failedResult(g, err));
      }
    },
  }));
}
