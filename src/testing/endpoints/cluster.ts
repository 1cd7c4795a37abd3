import { guestStatus } from "../guest-view";
import { paramError } from "../pve-http-error";
import type { SimContext } from "../sim-context";
import { type Endpoint, on } from "./endpoint";
import { nodeUsage, storageEntries, storageUsage } from "./node-view";
import { taskListEntry } from "./task-view";

function resources(ctx: SimContext): unknown[] {
  const type = ctx.str("type");
  const now = ctx.world.clock.now();
  const out: Record<string, unknown>[] = [];
  if (!type || type === "node") {
    for (const n of ctx.state.nodes) {
      if (!ctx.can(`/nodes/${n.name}`, ["Sys.Audit"])) continue;
      out.push({ id: `node/${n.name}`, type: "node", node: n.name, status: n.online ? "online" : "offline", level: "", ...nodeUsage(ctx, n) });
    }
  }
  if (!type || type === "vm") {
    for (const g of [...ctx.state.guests.values()].sort((a, b) => a.vmid - b.vmid)) {
      if (!ctx.can(`/vms/${g.vmid}`, ["VM.Audit"])) continue;
      const { qmpstatus: _q, pid: _p, maxswap: _m, disk, ...s } = guestStatus(g, now);
      const entry: Record<string, unknown> = { id: `${g.type}/${g.vmid}`, type: g.type, node: g.node, ...s, template: g.config.template ? 1 : 0, disk: g.type === "lxc" ? disk : 0 };
      if (g.pool) entry.pool = g.pool;
      out.push(entry);
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
  if (!type || type === "pool") {
    for (const p of ctx.state.pools.values()) {
      if (ctx.can(`/pool/${p.poolid}`, ["Pool.Audit"])) out.push({ id: `/pool/${p.poolid}`, type: "pool", pool: p.poolid });
    }
  }
  return out;
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
