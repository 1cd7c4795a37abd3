import * as z from "zod";
import { PreconditionError } from "../errors";
import { formatBytes } from "../format/values";
import { endpointRule } from "../policy/endpoint-rules";
import type { Tier } from "../policy/mode";
import { guestNoun, guestPath } from "./guest-locator";
import { guestState, planForGuest, stateChange, type GuestPlan } from "./guest-plan";
import { vmid } from "./inputs";
import { defineMutation, type GuestRef, type MutationOperation, type OperationContext } from "./operation";
import { runTask, taskWarnings } from "./task-runner";
import { containerState, SUSPENDED_CONTAINER } from "./container-suspend";
import { about } from "./catalog";

/** Actions whose plan tells a suspended container from a stopped one (one task-list read). */
const CONTAINER_AWARE: ReadonlySet<PowerAction> = new Set(["start", "suspend", "resume"]);

/** Power actions, as PVE names their endpoints under `status/`. */
export type PowerAction = "start" | "shutdown" | "reboot" | "suspend" | "resume" | "stop" | "reset";

export interface PowerSpec {
  /** The state the guest should end in. */
  expect: string;
  /** A reason there is nothing to do, given the current state. */
  noop(state: string): string | undefined;
  /** A reason the action cannot run, given the current state. */
  refuse?(state: string, g: GuestRef): string | undefined;
  /** A warning that depends on the state. */
  caution?(state: string, g: GuestRef): string | undefined;
  warning?: string;
}

/** What each power action expects, when it is a no-op and when it cannot run (also used to plan fleet sets). */
export const POWER_SPECS: Readonly<Record<PowerAction, PowerSpec>> = {
  start: {
    expect: "running",
    noop: (s) => (s === "running" ? "is already running" : undefined),
    refuse: (s) => (s === "paused" || s === "suspended" ? "it is paused; use resume" : undefined),
    caution: (s, g) =>
      s === SUSPENDED_CONTAINER
        ? `Container ${g.vmid} was suspended (checkpointed); start boots it afresh and its checkpoint is not used. Use resume to continue where it stopped.`
        : undefined,
  },
  shutdown: {
    expect: "stopped",
    noop: (s) => (s === "stopped" ? "is already stopped" : undefined),
  },
  reboot: {
    expect: "running",
    noop: () => undefined,
    refuse: (s) => (s !== "running" ? `it is ${s}; only a running guest can be rebooted` : undefined),
  },
  suspend: {
    expect: "paused (a container: stopped, checkpointed)",
    noop: (s) => (s === "paused" || s === "suspended" ? "is already paused" : s === SUSPENDED_CONTAINER ? "is already suspended" : undefined),
    refuse: (s) => (s !== "running" ? `it is ${s}; only a running guest can be suspended` : undefined),
  },
  resume: {
    expect: "running",
    noop: (s) => (s === "running" ? "is already running" : undefined),
    refuse: (s, g) =>
      s === "stopped"
        ? g.type === "lxc"
          ? "it is stopped and was not suspended (its last run-state task is not a successful suspend); use start"
          : "it is stopped; use start"
        : undefined,
  },
  stop: {
    expect: "stopped",
    noop: (s) => (s === "stopped" ? "is already stopped" : undefined),
    warning: "A hard stop does not let the guest OS shut down cleanly; unsaved data is lost. Prefer shutdown unless it hangs.",
  },
  reset: {
    expect: "running",
    noop: () => undefined,
    refuse: (s, g) =>
      g.type === "lxc"
        ? "containers cannot be reset; use reboot"
        : s !== "running"
          ? `it is ${s}; only a running VM can be reset`
          : undefined,
    warning: "A hard reset does not let the guest OS shut down cleanly; unsaved data is lost. Prefer reboot.",
  },
};

/** The tier of a power action without parameters, from the endpoint rules (the same row `api` uses). */
export function powerTier(action: PowerAction): Tier {
  const rule = endpointRule("POST", `/nodes/{node}/qemu/{vmid}/status/${action}`);
  return rule?.tier ?? "destructive";
}

/** The power operation for `action`. */
export function powerOperation(action: PowerAction): MutationOperation {
  const spec = { ...POWER_SPECS[action], ...about(action), tier: powerTier(action) };
  const input =
    action === "start"
      ? z.object({
          vmid: vmid(),
          force: z.boolean().optional().describe("Start even when the resource checks fail (free memory, CPU count); they become warnings"),
          ignoreMemory: z.boolean().optional().describe("Skip the free-memory check (ballooning/KSM will cover it)"),
        })
      : z.object({ vmid: vmid() });
  return defineMutation({
    kind: "mutation",
    ...about(action),
    tier: spec.tier,
    input,
    async plan(ctx, args) {
      const plan = await planForGuest(ctx, args.vmid, spec.tier, (g, state) => {
        const noun = guestNoun(g);
        if (g.template)
          throw new PreconditionError(`${noun} ${g.vmid} is a template; templates cannot be ${action === "start" ? "started" : "power-managed"}.`);
        const noop = spec.noop(state);
        const refusal = noop ? undefined : spec.refuse?.(state, g);
        if (refusal) throw new PreconditionError(`Cannot ${action} ${noun} ${g.vmid}: ${refusal}.`);
        return {
          summary: `${spec.title}: ${noun} ${g.vmid}${g.name ? ` (${g.name})` : ""} on ${g.node}, currently ${state}`,
          steps: [`POST ${guestPath(g, `/status/${action}`)[0]}`, "wait for the task", `re-check status (expected: ${spec.expect})`],
          warnings: [spec.warning, spec.caution?.(state, g)].filter((w): w is string => w !== undefined),
          noop: noop ? `${noun} ${g.vmid} ${noop}` : undefined,
        };
      }, CONTAINER_AWARE.has(action) ? (g, state) => containerState(ctx, g, state) : undefined);
      if (action === "start" && !plan.noop) {
        const a = args as { force?: boolean; ignoreMemory?: boolean };
        const checks = await checkResources(ctx, plan.guest, { memory: !a.ignoreMemory });
        const failed = checks.filter((c) => !c.ok);
        if (failed.length && !a.force) {
          throw new PreconditionError(
            `Not starting ${guestNoun(plan.guest)} ${plan.guest.vmid}: ${failed.map((c) => c.text).join("; ")}. Pass --force to start anyway${failed.some((c) => c.kind === "memory") ? " (or --ignore-memory if ballooning/KSM will cover the memory)" : ""}.`,
          );
        }
        plan.steps.unshift(...checks.map((c) => `${c.kind} check: ${c.text}`));
        plan.warnings.push(...failed.map((c) => `Started despite the ${c.kind} check (--force): ${c.text}.`));
        (plan as StartPlan).checks = checks.map((c) => `${c.kind}: ${c.text}${c.ok ? "" : " (overridden with --force)"}`);
      }
      return plan;
    },
    async execute(ctx, _args, plan: GuestPlan) {
      const g = plan.guest;
      const upid = String(await ctx.client.request("POST", ...guestPath(g, `/status/${action}`)));
      const outcome = await runTask(ctx, upid);
      const pveAfter = await guestState(ctx, g);
      // a container PVE reports stopped right after our suspend is the suspended one
      const after = g.type === "lxc" && action === "suspend" && pveAfter === "stopped" ? SUSPENDED_CONTAINER : pveAfter;
      const suspendedNote =
        after === SUSPENDED_CONTAINER
          ? [`PVE suspends a container by checkpointing and stopping it (lxc-checkpoint), so it reports it as stopped; pvekit resume ${g.vmid} restores it.`]
          : [];
      if (outcome.waited) ctx.emit?.({ event: "state", vmid: g.vmid, node: g.node, status: after, previous: plan.before });
      const checkNotes = (plan as StartPlan).checks?.length ? [`Checked before starting: ${(plan as StartPlan).checks!.join("; ")}.`] : [];
      return {
        status: outcome.waited ? "done" : "started",
        summary: outcome.waited
          ? `${spec.title}: ${guestNoun(g)} ${g.vmid} is now ${after}.`
          : `${spec.title}: task started for ${guestNoun(g)} ${g.vmid} (not waited for).`,
        changes: [stateChange(plan.before, after)],
        upid,
        exitstatus: outcome.exitstatus,
        warnings: [...taskWarnings(outcome), ...plan.warnings.filter((w) => w !== spec.warning)],
        ...(checkNotes.length || suspendedNote.length ? { notes: [...checkNotes, ...suspendedNote] } : {}),
      };
    },
  });
}

/** A start plan with the resource checks that were made. */
interface StartPlan extends GuestPlan {
  checks?: string[];
}

/** One resource check before a start (seed 000: "check if the node has sufficient memory/CPU"). */
export interface ResourceCheck {
  kind: "memory" | "cpu";
  ok: boolean;
  text: string;
}

/**
 * Compares the guest with its node: configured memory against the node's free memory, and vCPUs
 * against the node's CPU threads (qemu-server refuses `MAX n vcpus allowed per VM on this node` itself;
 * a container limited to more cores than the node has gets fewer). Checks without data are skipped.
 */
export async function checkResources(ctx: OperationContext, g: GuestRef, opts: { memory: boolean }): Promise<ResourceCheck[]> {
  const status = (await ctx.client.request("GET", "/nodes/{node}/status", { node: g.node })) as {
    memory?: { free?: number; total?: number; used?: number };
    cpuinfo?: { cpus?: number };
    cpu?: number;
  };
  const checks: ResourceCheck[] = [];
  const noun = guestNoun(g);
  const need = g.maxmem;
  const mem = status.memory ?? {};
  const free = mem.free ?? (mem.total !== undefined && mem.used !== undefined ? mem.total - mem.used : undefined);
  if (opts.memory && need && free !== undefined) {
    checks.push({
      kind: "memory",
      ok: free >= need,
      text:
        free >= need
          ? `node ${g.node} has ${formatBytes(free)} free, the ${noun} needs ${formatBytes(need)}`
          : `node ${g.node} has ${formatBytes(free)} free, but the ${noun} is configured with ${formatBytes(need)}`,
    });
  }
  const nodeCpus = status.cpuinfo?.cpus;
  const vcpus = g.maxcpu ?? (await guestCpus(ctx, g));
  if (nodeCpus && vcpus) {
    checks.push({
      kind: "cpu",
      ok: vcpus <= nodeCpus,
      text:
        vcpus <= nodeCpus
          ? `node ${g.node} has ${plural(nodeCpus, "CPU")}, the ${noun} has ${plural(vcpus, "vCPU")}`
          : `the ${noun} has ${plural(vcpus, "vCPU")}, more than the ${plural(nodeCpus, "CPU")} of node ${g.node}`,
    });
  }
  return checks;
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}

/** The guest's vCPUs from its status (`cpus`), when `/cluster/resources` did not say (`maxcpu`). */
async function guestCpus(ctx: OperationContext, g: GuestRef): Promise<number | undefined> {
  const s = (await ctx.client.request("GET", ...guestPath(g, "/status/current"))) as { cpus?: number };
  return typeof s.cpus === "number" && s.cpus > 0 ? s.cpus : undefined;
}

/** One operation per power action, shared by the operation list and the registry. */
export const powerOperations: Readonly<Record<PowerAction, MutationOperation>> = {
  start: powerOperation("start"),
  shutdown: powerOperation("shutdown"),
  reboot: powerOperation("reboot"),
  suspend: powerOperation("suspend"),
  resume: powerOperation("resume"),
  stop: powerOperation("stop"),
  reset: powerOperation("reset"),
};
