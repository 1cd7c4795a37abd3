import { vmStatsRow } from "../guest-view";
import { paramError } from "../pve-http-error";
import type { SimContext } from "../sim-context";
import { type Endpoint, on } from "./endpoint";
import { nodeUsage, storageEntries, storageUsage } from "./node-view";
import { taskListEntry } from "./task-view";

/**
 * pve-manager PVE/API2/Cluster.pm resources: pools (with the summed stats of their running guests),
 * guests (PVE/API2Tools.pm extract_vm_stats, plus `lock`, `tags`, `pool`), nodes, storages — each
 * only where the caller may audit it.
 */
function resources(ctx: SimContext): unknown[] {
  const type = ctx.str("type");
  const now = ctx.world.clock.now();
  const out: Record<string, unknown>[] = [];
  const pools = new Map<string, Record<string, unknown>>();
  if (!type || type === "pool") {
    for (const p of [...ctx.state.pools.values()].sort((a, b) => (a.poolid < b.poolid ? -1 : 1))) {
      if (!ctx.can(`/pool/${p.poolid}`, ["Pool.Audit"])) continue;
      const entry: Record<string, unknown> = { id: `/pool/${p.poolid}`, pool: p.poolid, type: "pool" };
      pools.set(p.poolid, entry);
      out.push(entry);
    }
  }
  if (!type || type === "vm") {
    for (const g of [...ctx.state.guests.values()].sort((a, b) => a.vmid - b.vmid)) {
      const entry = vmStatsRow(g, now, ctx.hostCpus(g.node));
      const pe = g.pool !== undefined ? pools.get(g.pool) : undefined;
      if (g.pool !== undefined) entry.pool = g.pool;
      if (pe && Number(entry.uptime) > 0) addToPool(pe, entry); // before the privilege check, as PVE does
      if (!ctx.can(`/vms/${g.vmid}`, ["VM.Audit"])) continue;
      if (g.config.lock !== undefined) entry.lock = String(g.config.lock);
      if (g.config.tags !== undefined) entry.tags = String(g.config.tags);
      if (entry.pool !== undefined && !ctx.can(`/pool/${g.pool}`, ["Pool.Audit"])) delete entry.pool;
      out.push(entry);
    }
  }
  if (!type || type === "node") {
    for (const n of ctx.state.nodes) {
      if (!ctx.can(`/nodes/${n.name}`, ["Sys.Audit"])) continue;
      out.push({ id: `node/${n.name}`, type: "node", node: n.name, status: n.online ? "online" : "offline", level: "", ...nodeUsage(ctx, n) });
    }
  }
  if (!type || type === "storage") {
    const usage = storageUsage(ctx.state);
    for (const n of ctx.state.nodes) {
      for (const s of storageEntries(ctx, n.name, usage)) {
        out.push({
          id: `storage/${n.name}/${s.storage}`,
          type: "storage",
          storage: s.storage,
          node: n.name,
          status: "available",
          plugintype: s.type,
          content: s.content,
          shared: s.shared,
          disk: s.used,
          maxdisk: s.total,
        });
      }
    }
  }
  return out;
}

/** Cluster.pm resources: a running member's uptime (the longest), memory and CPU added to its pool's row. */
function addToPool(pe: Record<string, unknown>, e: Record<string, unknown>): void {
  const n = (v: unknown) => Number(v ?? 0);
  if (!pe.uptime || n(e.uptime) > n(pe.uptime)) pe.uptime = e.uptime;
  pe.mem = n(pe.mem) + n(e.mem);
  pe.maxmem = n(pe.maxmem) + n(e.maxmem);
  const maxcpu = n(pe.maxcpu) + n(e.maxcpu);
  pe.cpu = maxcpu ? (n(pe.cpu) * n(pe.maxcpu) + n(e.cpu) * n(e.maxcpu)) / maxcpu : 0;
  pe.maxcpu = maxcpu;
}

/** Lowest free VMID at or above the cluster's lower bound. */
export function nextFreeVmid(ctx: SimContext): number {
  let id = ctx.state.nextIdLower;
  while (ctx.state.guests.has(id)) id++;
  return id;
}

export const clusterEndpoints: Endpoint[] = [
  on("GET /version", (ctx) => ({ ...ctx.state.version, console: "html5" })),
  on("GET /cluster/status", (ctx) => {
    ctx.check("/", ["Sys.Audit"]);
    return [
      { type: "cluster", id: "cluster", name: ctx.state.clusterName, nodes: ctx.state.nodes.length, quorate: 1, version: ctx.state.nodes.length },
      ...ctx.state.nodes.map((n, i) => ({
        type: "node",
        id: `node/${n.name}`,
        name: n.name,
        ip: n.ip,
        nodeid: i + 1,
        online: n.online ? 1 : 0,
        local: i === 0 ? 1 : 0,
        level: "",
      })),
    ];
  }),
  on("GET /cluster/resources", resources),
  on("GET /cluster/nextid", (ctx) => {
    const wanted = ctx.int("vmid");
    if (wanted === undefined) return nextFreeVmid(ctx);
    if (ctx.state.guests.has(wanted)) throw paramError({ vmid: `VM ${wanted} already exists` });
    return wanted;
  }),
  // pve-manager PVE/API2/Cluster.pm tasks: every node's recent tasks, `user`/`tokenid` split for token tasks;
  // all of them with Sys.Audit on /, else those whose (split) user is the caller — so a token without
  // Sys.Audit does not see even its own tasks here, while its user does.
  on("GET /cluster/tasks", (ctx) => {
    const all = ctx.can("/", ["Sys.Audit"]);
    return ctx.world.tasks
      .list()
      .slice(0, 50)
      .map(taskListEntry)
      .filter((e) => all || e.user === ctx.auth.authid);
  }),
];
