import { listGuestResources, toGuestRef } from "../operations/guest-locator";
import type { GuestRef } from "../operations/operation";
import type { BatchSpec } from "./set-actions";
import type { GuestResult } from "./set-outcome";

/**
 * Pool membership for many guests in one `PUT /pools/{poolid}` with `vms=<list>` (PVE takes a VMID
 * list there): the pools live in the cluster-wide user.cfg, written under one cluster lock, so
 * one write per pool beats a write per guest queueing on that lock. Re-checked with one
 * `/cluster/resources` read.
 */
export const poolBatch: BatchSpec = {
  describe: "one PUT /pools/{poolid} with the list of guests per pool, then one /cluster/resources read to re-check",
  key: (g, params) => (params.remove ? `from:${g.pool ?? ""}` : `to:${String(params.pool)}`),
  nodes: () => [],
  async run({ ctx }, guests, params) {
    const base = (g: GuestRef) => ({ vmid: g.vmid, node: g.node, type: g.type, ...(g.name ? { name: g.name } : {}) });
    const vms = guests.map((g) => g.vmid).join(",");
    try {
      if (params.remove) {
        await ctx.client.request("PUT", "/pools/{poolid}", { poolid: guests[0]!.pool, vms, delete: 1 });
      } else {
        const moving = guests.some((g) => g.pool !== undefined);
        await ctx.client.request("PUT", "/pools/{poolid}", { poolid: params.pool, vms, "allow-move": moving ? 1 : undefined });
      }
    } catch (err) {
      return guests.map((g) => ({ ...base(g), outcome: "failed", error: `${(err as Error).name}: ${(err as Error).message}` }));
    }
    const after = new Map((await listGuestResources(ctx)).map((r) => [Number(r.vmid), toGuestRef(r)]));
    return guests.map((g): GuestResult => {
      const now = after.get(g.vmid)?.pool;
      const want = params.remove ? undefined : (params.pool as string);
      const change = `pool: ${g.pool ?? "(none)"} → ${now ?? "(none)"}`;
      return now === want
        ? { ...base(g), outcome: "ok", changes: [change] }
        : { ...base(g), outcome: "failed", error: `after the change the guest is in ${now ? `pool ${now}` : "no pool"}`, changes: [change] };
    });
  },
};
