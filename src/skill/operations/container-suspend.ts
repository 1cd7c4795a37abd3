import type { GuestRef, OperationContext } from "./operation";

/**
 * How a suspended container looks. pve-container suspends with `lxc-checkpoint -s` (checkpoint, then
 * stop) and resumes with `lxc-checkpoint -r` (PVE/API2/LXC/Status.pm), so PVE reports a suspended
 * container as `stopped`, exactly like one that was shut down; only its task history tells them apart.
 */
export const SUSPENDED_CONTAINER = "stopped (suspended)";

/** Task types that change a container's run state; the newest one decides whether it is suspended. */
const RUN_STATE_TASKS = new Set(["vzstart", "vzstop", "vzshutdown", "vzreboot", "vzsuspend", "vzresume", "vzmigrate", "vzrollback", "vzrestore"]);

/** True when the container's last run-state task on its node is a successful suspend (`vzsuspend`). */
export async function containerSuspended(ctx: OperationContext, g: GuestRef): Promise<boolean> {
  const rows = (await ctx.client.request("GET", "/nodes/{node}/tasks", { node: g.node, vmid: g.vmid, source: "all", limit: 100 })) as {
    type?: string;
    status?: string;
    starttime?: number;
  }[];
  const latest = rows
    .filter((r) => RUN_STATE_TASKS.has(String(r.type)))
    .sort((a, b) => Number(b.starttime ?? 0) - Number(a.starttime ?? 0))[0];
  return latest?.type === "vzsuspend" && latest.status === "OK";
}

/** A container's state with suspension made visible: `stopped (suspended)` instead of PVE's plain `stopped`. */
export async function containerState(ctx: OperationContext, g: GuestRef, state: string): Promise<string> {
  if (g.type !== "lxc" || state !== "stopped") return state;
  return (await containerSuspended(ctx, g)) ? SUSPENDED_CONTAINER : state;
}
