import { vmStatsRow } from "../guest-view";
import { fail } from "../pve-http-error";
import type { SimContext } from "../sim-context";
import type { PoolState } from "../state-types";
import { type Endpoint, on } from "./endpoint";

function pool(ctx: SimContext): PoolState {
  const id = ctx.req("poolid");
  const p = ctx.state.pools.get(id);
  if (!p) throw fail(`pool '${id}' does not exist`);
  return p;
}

function members(ctx: SimContext, p: PoolState, type?: string): Record<string, unknown>[] {
  const now = ctx.world.clock.now();
  const out: Record<string, unknown>[] = [];
  for (const g of [...ctx.state.guests.values()].sort((a, b) => a.vmid - b.vmid)) {
    // pve-manager PVE/API2/Pool.pm: every member, as extract_vm_stats describes it (no per-guest privilege filter)
    if (g.pool !== p.poolid || (type && type !== g.type)) continue;
    out.push(vmStatsRow(g, now, ctx.hostCpus(g.node)));
  }
  if (!type || type === "storage") {
    for (const s of p.storage) {
      for (const n of ctx.state.nodes) out.push({ id: `storage/${n.name}/${s}`, type: "storage", node: n.name, storage: s });
    }
  }
  return out;
}

function view(ctx: SimContext, p: PoolState, withMembers: boolean): Record<string, unknown> {
  return { poolid: p.poolid, ...(p.comment !== undefined ? { comment: p.comment } : {}), ...(withMembers ? { members: members(ctx, p, ctx.str("type")) } : {}) };
}

/** `PUT /pools` and `PUT /pools/{poolid}`: comment, add or (with `delete`) remove members. */
function update(ctx: SimContext): null {
  const p = pool(ctx);
  ctx.check(`/pool/${p.poolid}`, ["Pool.Allocate"]);
  const comment = ctx.str("comment");
  if (comment !== undefined) p.comment = comment;
  const remove = ctx.bool("delete");
  for (const id of (ctx.str("vms") ?? "").split(/[,; ]+/).filter(Boolean).map(Number)) {
    const g = ctx.state.guests.get(id);
    if (!g) throw fail(`VM ${id} does not exist`);
    ctx.check(`/vms/${id}`, ["VM.Allocate"]);
    if (remove) {
      if (g.pool === p.poolid) delete g.pool;
      continue;
    }
    if (g.pool && g.pool !== p.poolid && !ctx.bool("allow-move")) throw fail(`VM ${id} belongs already to pool '${g.pool}' and allow-move is not set`);
    g.pool = p.poolid;
  }
  for (const s of (ctx.str("storage") ?? "").split(/[,; ]+/).filter(Boolean)) {
    if (!ctx.state.storages.some((x) => x.storage === s)) throw fail(`storage '${s}' does not exist`);
    if (remove) p.storage = p.storage.filter((x) => x !== s);
    else if (!p.storage.includes(s)) p.storage.push(s);
  }
  return null;
}

function remove(ctx: SimContext): null {
  const p = pool(ctx);
  ctx.check(`/pool/${p.poolid}`, ["Pool.Allocate"]);
  if ([...ctx.state.guests.values()].some((g) => g.pool === p.poolid) || p.storage.length > 0) throw fail(`pool '${p.poolid}' is not empty`);
  ctx.state.pools.delete(p.poolid);
  return null;
}

export const poolEndpoints: Endpoint[] = [
  on("GET /pools", (ctx) => {
    const only = ctx.str("poolid");
    return [...ctx.state.pools.values()]
      .filter((p) => (!only || p.poolid === only) && ctx.can(`/pool/${p.poolid}`, ["Pool.Audit"]))
      .map((p) => view(ctx, p, only !== undefined));
  }),
  on("POST /pools", (ctx) => {
    const id = ctx.req("poolid");
    ctx.check(`/pool/${id}`, ["Pool.Allocate"]);
    if (ctx.state.pools.has(id)) throw fail(`pool '${id}' already exists`);
    const comment = ctx.str("comment");
    ctx.state.pools.set(id, { poolid: id, ...(comment !== undefined ? { comment } : {}), storage: [] });
    return null;
  }),
  on("GET /pools/{poolid}", (ctx) => {
    const p = pool(ctx);
    ctx.check(`/pool/${p.poolid}`, ["Pool.Audit"]);
    const { poolid: _id, ...rest } = view(ctx, p, true);
    return rest;
  }),
  on("PUT /pools", update),
  on("PUT /pools/{poolid}", update),
  on("DELETE /pools", remove),
  on("DELETE /pools/{poolid}", remove),
];
