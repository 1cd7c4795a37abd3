import type { z } from "zod";
import { AuditLogError, PolicyRefusedError, SkillUsageError } from "./errors";
import type { SetPolicy } from "./fleet/run-set";
import { isSetInput, takesSets } from "./fleet/set-target";
import { describeInputIssues } from "./input-problems";
import { OPERATION_CATALOG, type OperationInfo } from "./operations/catalog";
import { loadOperation } from "./operations/registry";
import type { AllowTarget } from "./policy/allow-list";
import { allowListViolation, allowListViolations, unknownReachViolation } from "./policy/allow-list";
import { FileAuditLog, type AuditEntry, type AuditSink } from "./policy/audit-log";
import { stateDirConfirmKey } from "./policy/confirm-key";
import { ConfirmTokens, describeRejection, type ConfirmBinding } from "./policy/confirm-tokens";
import { modeAllows, modeFor, type Mode, type Tier } from "./policy/mode";
import { FileUsedTokenStore } from "./policy/used-token-store";
import type { ConnectionInfo, MutationOperation, Operation, OperationContext, Plan } from "./operations/operation";
import { eventStamper, type ProgressSink } from "./progress/events";
import { protoKeyPath } from "./proto-key";
import type { SkillSettings } from "./settings";
import type { SkillClient } from "./skill-client";
import type { ConfirmationOutcome, MutationOutcome, PlanView, SkillOutcome } from "./skill-outcome";
import { join } from "node:path";

export interface PveSkillOptions {
  client: SkillClient;
  settings: SkillSettings;
  /** Confirm-token issuer; default: keyed and tracked in the settings' state directory. */
  tokens?: ConfirmTokens;
  /** Audit sink; default: the settings' audit log file (none when `auditLog` is false). */
  audit?: AuditSink;
  connection?: ConnectionInfo;
  now?: () => Date;
  /** Receives warnings about fixed-up state permissions (default: a process warning on stderr). */
  warn?: (message: string) => void;
}

/** Per-call options. */
export interface RunOptions {
  /** The confirm token from an earlier `confirmation-required` answer. */
  confirm?: string;
  /** Wait for tasks (default true). */
  wait?: boolean;
  /** Receives progress lines (task log) while waiting. */
  progress?: (line: string) => void;
  /** Receives structured progress events (task started, log lines with percentages, task ended, state changes, per-guest results). */
  onEvent?: ProgressSink;
  /** Stops a set run from starting more guests (those already running finish). */
  signal?: AbortSignal;
}

/**
 * The curated operations under the safety policy: mode and tier checks, allow-lists,
 * confirm tokens for destructive changes, and an audit entry for every mutation attempt.
 *
 * @example
 * const skill = new PveSkill({ client: PveClient.fromEnv(), settings: resolveSkillSettings({ mode: "operator" }) });
 * const out = await skill.run("start", { vmid: 100 });
 */
export class PveSkill {
  readonly client: SkillClient;
  readonly settings: SkillSettings;
  readonly audit: AuditSink | undefined;
  readonly connection: ConnectionInfo | undefined;
  readonly #now: () => Date;
  readonly #warn: ((message: string) => void) | undefined;
  #tokens: ConfirmTokens | undefined;

  constructor(options: PveSkillOptions) {
    this.client = options.client;
    this.settings = options.settings;
    this.#now = options.now ?? (() => new Date());
    this.#warn = options.warn;
    this.#tokens = options.tokens;
    const files = options.settings.auditLog === false ? [] : [options.settings.auditLog, ...(options.settings.auditLogCopies ?? [])];
    this.audit = options.audit ?? (files[0] !== undefined ? new FileAuditLog(files[0], ...files.slice(1)) : undefined);
    this.connection = options.connection;
  }

  /**
   * The confirm-token issuer: keyed and tracked in the settings' state directory unless given. Made on
   * first use, so a read touches neither the state directory nor its key.
   */
  get tokens(): ConfirmTokens {
    return (this.#tokens ??= new ConfirmTokens({
      key: stateDirConfirmKey(this.settings.stateDir, this.#warn),
      store: new FileUsedTokenStore(join(this.settings.stateDir, "confirm-used")),
      ttlMs: this.settings.confirmTtlMs,
      now: () => this.#now().getTime(),
    }));
  }

  /** The operations the current mode allows (catalog entries: name, tier, title, description). */
  allowedOperations(): OperationInfo[] {
    return OPERATION_CATALOG.filter((op) => modeAllows(this.settings.mode, op.tier));
  }

  /**
   * Runs operation `name` with `input` (validated against its schema) under the safety policy.
   * Operations that take sets (power actions, snapshot, backup, tag, pool, migrate) also accept
   * `select` (VMIDs, ranges, all/node/pool/tag/type/status, exclude) and run over every guest it picks.
   */
  async run(name: string, input: Record<string, unknown> = {}, options: RunOptions = {}): Promise<SkillOutcome> {
    const op = await loadOperation(name);
    if (!op) throw new SkillUsageError(`Unknown operation "${name}".`);
    const hidden = protoKeyPath(input);
    if (hidden !== undefined) throw new SkillUsageError(`${op.name} does not take ${hidden}: a key named __proto__ is never an argument.`);
    if (op.kind === "mutation" && takesSets(op) && isSetInput(input)) {
      const audit = (e: Omit<AuditEntry, "time" | "user" | "mode">) => this.#audit(e);
      const policy: SetPolicy = {
        settings: this.settings,
        tokens: this.tokens,
        auditOrRefuse: (e) => this.#auditOrRefuse(() => audit(e)),
        auditBestEffort: (e) => this.#auditBestEffort(() => audit(e)),
        modeRefusal: (name, tier) => modeRefusal(name, tier, this.settings),
      };
      // loaded on demand: planning and running sets is a module graph of its own
      const { runSet } = await import("./fleet/run-set");
      return runSet(op, input, this.#context(options), policy, { confirm: options.confirm, signal: options.signal });
    }
    if (takesSets(op) && input.vmid === undefined) throw new SkillUsageError(`${op.name} needs vmid (one guest) or select (several guests).`);
    const parsed = parseInput(op, input);
    const ctx = this.#context(options);
    if (op.kind === "read") return { status: "ok", kind: "read", operation: op.name, result: await op.run(ctx, parsed) };
    return this.#mutate(op, parsed, ctx, options);
  }

  /**
   * The policy, in order: mode for the operation, plan (reads and client-side validation only), mode for
   * the plan's tier, allow-lists for every target, confirm token for destructive (and configured) changes,
   * the audit intent line (no line, no request), the request, the audit outcome line.
   */
  async #mutate(op: MutationOperation, input: Record<string, unknown>, ctx: OperationContext, options: RunOptions): Promise<SkillOutcome> {
    const entry = (target: string, outcome: AuditEntry["outcome"], extra: Partial<AuditEntry> = {}): void =>
      this.#audit({ operation: op.name, target, params: input, outcome, ...extra });
    const roughTarget = input.vmid !== undefined ? `vmid ${String(input.vmid)}` : String(input.archive ?? input.path ?? "");
    if (!modeAllows(this.settings.mode, op.tier)) {
      this.#auditBestEffort(() => entry(roughTarget, "refused", { error: "mode" }));
      throw modeRefusal(op.name, op.tier, this.settings);
    }
    const plan: Plan = await op.plan(ctx, input);
    // A plan may turn out read-only (`api get …`): nothing to guard or audit.
    if (plan.tier === "read") {
      const result = await op.execute(ctx, input, plan);
      return { status: result.status, kind: "mutation", operation: op.name, target: plan.target, result };
    }
    if (!modeAllows(this.settings.mode, plan.tier)) {
      this.#auditBestEffort(() => entry(plan.target, "refused", { error: "mode" }));
      throw modeRefusal(op.name, plan.tier, this.settings, plan.summary, plan.tierReasons);
    }
    const why = [...allowListViolations(this.settings.allow, plan.allowTargets), unknownReachViolation(this.settings.allow, plan.reach)].filter(
      (w): w is string => w !== undefined,
    );
    if (why.length) {
      this.#auditBestEffort(() => entry(plan.target, "refused", { error: why.join(" ") }));
      throw new PolicyRefusedError(`Refused by allow-list: ${why.join(" ")}`, "allow-list");
    }
    if (plan.noop) {
      this.#auditBestEffort(() => entry(plan.target, "no-change"));
      const result = { status: "no-change" as const, summary: `Nothing to do: ${plan.noop}.`, changes: [] };
      return { status: "no-change", kind: "mutation", operation: op.name, target: plan.target, result };
    }
    if (plan.tier === "destructive" || plan.confirm || this.settings.confirmOperations.includes(op.name)) {
      const binding: ConfirmBinding = { operation: op.name, target: plan.target, params: input, scope: plan.confirmScope };
      let reason: string | undefined;
      if (options.confirm) {
        const r = this.tokens.redeem(options.confirm, binding);
        if (!r.ok) reason = describeRejection(r.reason);
      }
      if (!options.confirm || reason) {
        const { token, expiresAt } = this.tokens.issue(binding);
        this.#auditOrRefuse(() => entry(plan.target, "confirmation-required", reason ? { error: reason } : {}));
        const out: ConfirmationOutcome = {
          status: "confirmation-required",
          kind: "mutation",
          operation: op.name,
          plan: planView(op.name, plan),
          confirmToken: token,
          expiresAt: expiresAt.toISOString(),
        };
        if (reason) out.reason = reason;
        return out;
      }
    }
    this.#auditOrRefuse(() => entry(plan.target, "intent"));
    let result;
    try {
      result = await op.execute(ctx, input, plan);
    } catch (err) {
      const e = err as Error & { upid?: unknown; exitstatus?: unknown };
      this.#auditBestEffort(() =>
        entry(plan.target, "failed", {
          error: `${e.name}: ${e.message}`,
          upid: typeof e.upid === "string" ? e.upid : undefined,
          exitstatus: typeof e.exitstatus === "string" ? e.exitstatus : undefined,
        }),
      );
      throw err;
    }
    const unrecorded = this.#auditBestEffort(() => entry(plan.target, "ok", { upid: result.upid, exitstatus: result.exitstatus }));
    if (unrecorded) result.warnings = [...(result.warnings ?? []), `The outcome was not written to the audit log: ${unrecorded}`];
    const out: MutationOutcome = { status: result.status, kind: "mutation", operation: op.name, target: plan.target, result };
    return out;
  }

  /** Writes an audit line; when it cannot be written, nothing may be sent: throws AuditLogError. */
  #auditOrRefuse(write: () => void): void {
    try {
      write();
    } catch (err) {
      const file = (err as { file?: string }).file ?? (this.settings.auditLog === false ? "the audit sink" : this.settings.auditLog);
      throw new AuditLogError(
        `Nothing was sent: the audit log ${file} cannot be written (${(err as Error).message}). Fix it or point --audit-log / PVEKIT_AUDIT_LOG elsewhere.`,
        { cause: err },
      );
    }
  }

  /** Writes an audit line for something that sends nothing (a refusal) or already happened; returns the failure, if any. */
  #auditBestEffort(write: () => void): string | undefined {
    try {
      write();
      return undefined;
    } catch (err) {
      return (err as Error).message;
    }
  }

  #context(options: RunOptions): OperationContext {
    const settings = this.settings;
    return {
      client: this.client,
      settings,
      wait: options.wait ?? true,
      progress: options.progress ?? (() => {}),
      emit: options.onEvent ? eventStamper(options.onEvent, this.#now) : undefined,
      now: this.#now,
      connection: this.connection,
      assertAllowed(target: AllowTarget) {
        const why = allowListViolation(settings.allow, target);
        if (why) throw new PolicyRefusedError(`Refused by allow-list: ${why}`, "allow-list");
      },
    };
  }

  #audit(e: Omit<AuditEntry, "time" | "user" | "mode">): void {
    if (!this.audit) return;
    this.audit.append({ time: this.#now().toISOString(), user: this.connection?.identity ?? "unknown", mode: this.settings.mode, ...e });
  }
}

/** The input as the operation's schema reads it; an argument it does not know is an error, never dropped. */
function parseInput(op: Operation, input: Record<string, unknown>): Record<string, unknown> {
  const res = (op.input as z.ZodObject).strict().safeParse(input);
  if (res.success) return res.data as Record<string, unknown>;
  throw new SkillUsageError(`Invalid input for ${op.name}: ${describeInputIssues(res.error.issues, input)}.`);
}

function modeRefusal(name: string, tier: Tier, settings: { mode: Mode; maxMode: Mode }, summary?: string, why: readonly string[] = []): PolicyRefusedError {
  const need = modeFor(tier);
  const because = why.length ? ` Why ${tier}: ${why.join("; ")}.` : "";
  const how = modeAllows(settings.maxMode, tier)
    ? `A person can allow it with --mode ${need} or PVEKIT_MODE=${need}.`
    : `PVEKIT_MAX_MODE (or max_mode in the config) caps the mode at ${settings.maxMode}; no flag can raise it.`;
  return new PolicyRefusedError(
    `Refused: ${name} is a ${tier} operation${summary ? ` (${summary})` : ""} and needs mode ${need}; the current mode is ${settings.mode}.${because} ${how}`,
    "mode",
  );
}

function planView(operation: string, plan: Plan): PlanView {
  return { operation, target: plan.target, tier: plan.tier, summary: plan.summary, steps: plan.steps, warnings: plan.warnings };
}
