import { z } from "zod";
import { PreconditionError } from "../errors";
import { formatBytes } from "../format/values";
import type { Tier } from "../policy/mode";
import { guestNoun, guestPath } from "./guest-locator";
import { guestState, planForGuest, stateChange, type GuestPlan } from "./guest-plan";
import { vmid } from "./inputs";
import { defineMutation, type GuestRef, type MutationOperation, type OperationContext } from "./operation";
import { runTask, taskWarnings } from "./task-runner";

/** Power actions, as PVE names their endpoints under `status/`. */
export type PowerAction = "start" | "shutdown" | "reboot" | "suspend" | "resume" | "stop" | "reset";

interface PowerSpec {
  tier: Tier;
  title: string;
  description: string;
  /** The state the guest should end in. */
  expect: string;
  /** A reason there is nothing to do, given the current state. */
  noop(state: string): string | undefined;
  /** A reason the action cannot run, given the current state. */
  refuse?(state: string, g: GuestRef): string | undefined;
  warning?: string;
}

const SPECS: Record<PowerAction, PowerSpec> = {
  start: {
    tier: "reversible",
    title: "Start guest",
    expect: "running",
    description: "Start a VM or container (checks first that the node has the memory it needs).",
    noop: (s) => (s === "running" ? "it is already running" : undefined),
    refuse: (s) => (s === "paused" || s === "suspended" ? "it is paused; use resume" : undefined),
  },
  shutdown: {
    tier: "reversible",
    title: "Shut down guest",
    expect: "stopped",
    description: "Gracefully shut down a VM (ACPI) or container; prefer this to stop.",
    noop: (s) => (s === "stopped" ? "it is already stopped" : undefined),
  },
  reboot: {
    tier: "reversible",
    title: "Reboot guest",
    expect: "running",
    description: "Gracefully reboot a running VM or container.",
    noop: () => undefined,
    refuse: (s) => (s !== "running" ? `it is ${s}; only a running guest can be rebooted` : undefined),
  },
  suspend: {
    tier: "reversible",
    title: "Suspend guest",
    expect: "paused",
    description: "Pause a running VM or container (RAM kept; resume continues it).",
    noop: (s) => (s === "paused" || s === "suspended" ? "it is already paused" : undefined),
    refuse: (s) => (s !== "running" ? `it is ${s}; only a running guest can be suspended` : undefined),
  },
  resume: {
    tier: "reversible",
    title: "Resume guest",
    expect: "running",
    description: "Resume a paused (suspended) VM or container.",
    noop: (s) => (s === "running" ? "it is already running" : undefined),
    refuse: (s) => (s === "stopped" ? "it is stopped; use start" : undefined),
  },
  stop: {
    tier: "destructive",
    title: "Stop guest (hard)",
    expect: "stopped",
    description: "Hard-stop a VM or container, like pulling the power cord; unsaved data in the guest is lost. Prefer shutdown.",
    noop: (s) => (s === "stopped" ? "it is already stopped" : undefined),
    warning: "A hard stop does not let the guest OS shut down cleanly; unsaved data is lost. Prefer shutdown unless it hangs.",
  },
  reset: {
    tier: "destructive",
    title: "Reset VM (hard)",
    expect: "running",
    description: "Hard-reset a running VM, like pressing the reset button. Prefer reboot.",
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

/** The power operation for `action`. */
export function powerOperation(action: PowerAction): MutationOperation {
  const spec = SPECS[action];
  const input =
    action === "start"
      ? z.object({ vmid: vmid(), ignoreMemory: z.boolean().optional().describe("Start even if the node seems short of free memory") })
      : z.object({ vmid: vmid() });
  return defineMutation({
    kind: "mutation",
    name: action,
    title: spec.title,
    description: spec.description,
    tier: spec.tier,
    input,
    args: ["vmid"],
    async plan(ctx, args) {
      const plan = await planForGuest(ctx, args.vmid, spec.tier, (g, state) => {
        const noun = guestNoun(g);
        if (g.template)
          throw new PreconditionError(`${g.vmid} is a template; templates cannot be ${action === "start" ? "started" : "power-managed"}.`);
        const refusal = spec.refuse?.(state, g);
        if (refusal) throw new PreconditionError(`Cannot ${action} ${noun} ${g.vmid}: ${refusal}.`);
        const noop = spec.noop(state);
        return {
          summary: `${spec.title}: ${noun} ${g.vmid}${g.name ? ` (${g.name})` : ""} on ${g.node}, currently ${state}`,
          steps: [`POST ${guestPath(g, `/status/${action}`)[0]}`, "wait for the task", `re-check status (expected: ${spec.expect})`],
          warnings: spec.warning ? [spec.warning] : [],
          noop: noop ? `${noun} ${g.vmid} ${noop}` : undefined,
        };
      });
      if (action === "start" && !plan.noop && !("ignoreMemory" in args && args.ignoreMemory)) await checkMemory(ctx, plan);
      return plan;
    },
    async execute(ctx, _args, plan: GuestPlan) {
      const g = plan.guest;
      const upid = String(await ctx.client.request("POST", ...guestPath(g, `/status/${action}`)));
      const outcome = await runTask(ctx, upid);
      const after = await guestState(ctx, g);
      return {
        status: outcome.waited ? "done" : "started",
        summary: outcome.waited
          ? `${spec.title}: ${guestNoun(g)} ${g.vmid} is now ${after}.`
          : `${spec.title}: task started for ${guestNoun(g)} ${g.vmid} (not waited for).`,
        changes: [stateChange(plan.before, after)],
        upid,
        exitstatus: outcome.exitstatus,
        warnings: taskWarnings(outcome),
      };
    },
  });
}

/** Refuses to start a guest whose configured memory exceeds the node's free memory. */
async function checkMemory(ctx: OperationContext, plan: GuestPlan): Promise<void> {
  const g = plan.guest;
  const need = g.maxmem;
  if (!need) return;
  const status = (await ctx.client.request("GET", "/nodes/{node}/status", { node: g.node })) as {
    memory?: { free?: number; total?: number; used?: number };
  };
  const mem = status.memory ?? {};
  const free = mem.free ?? (mem.total !== undefined && mem.used !== undefined ? mem.total - mem.used : undefined);
  if (free === undefined) return;
  if (free < need) {
    throw new PreconditionError(
      `Node ${g.node} has ${formatBytes(free)} free, but ${guestNoun(g)} ${g.vmid} is configured with ${formatBytes(need)} of memory. Free memory on the node (or pass --ignore-memory if ballooning/KSM will cover it).`,
    );
  }
  plan.steps.unshift(`memory check: node ${g.node} has ${formatBytes(free)} free, guest needs ${formatBytes(need)}`);
}
