import { describeGuest, guestPath, locateGuest } from "./guest-locator";
import type { GuestRef, OperationContext, Plan } from "./operation";
import type { Tier } from "../policy/mode";

/** A plan about one existing guest, carrying the guest and its state before the change. */
export interface GuestPlan extends Plan {
  guest: GuestRef;
  /** The guest's state before the change (`running`, `stopped`, `paused`). */
  before: string;
}

/** Current state of a guest: `paused` for a suspended VM, else PVE's `status`. */
export async function guestState(ctx: OperationContext, g: GuestRef): Promise<string> {
  const s = (await ctx.client.request("GET", ...guestPath(g, "/status/current"))) as { status?: string; qmpstatus?: string };
  return s.qmpstatus === "paused" || s.qmpstatus === "suspended" ? s.qmpstatus : String(s.status ?? "unknown");
}

/** Locates the guest, reads its state and fills the common plan fields. */
export async function planForGuest(
  ctx: OperationContext,
  vmid: number,
  tier: Tier,
  describe: (g: GuestRef, state: string) => { summary: string; steps?: string[]; warnings?: string[]; noop?: string },
  /** refines PVE's state before `describe` sees it (a suspended container is only `stopped` to PVE) */
  refine?: (g: GuestRef, state: string) => Promise<string>,
): Promise<GuestPlan> {
  const guest = await locateGuest(ctx, vmid);
  const pveState = await guestState(ctx, guest);
  const before = refine ? await refine(guest, pveState) : pveState;
  const d = describe(guest, before);
  return {
    target: describeGuest(guest),
    tier,
    summary: d.summary,
    steps: d.steps ?? [],
    warnings: d.warnings ?? [],
    allowTargets: [{ vmid: guest.vmid, node: guest.node, pool: guest.pool, tags: guest.tags }],
    noop: d.noop,
    guest,
    before,
  };
}

/** `status: stopped → running`, or that it stayed the same. */
export function stateChange(before: string, after: string): string {
  return before === after ? `status: ${after} (unchanged)` : `status: ${before} → ${after}`;
}
