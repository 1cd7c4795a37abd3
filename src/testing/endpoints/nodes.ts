import { paramError } from "../pve-http-error";
import type { SimContext } from "../sim-context";
import { type Endpoint, on } from "./endpoint";
import { nodeUsage, storageContent, storageEntries, storagesOn } from "./node-view";

function storageOf(ctx: SimContext) {
  const node = ctx.node();
  const id = ctx.req("storage");
  const storage = storagesOn(ctx.state, node.name).find((s) => s.storage === id);
  if (!storage) throw paramError({ storage: `No such storage '${id}'` });
  return { node, storage };
}

export const nodeEndpoints: Endpoint[] = [
  on("GET /nodes", (ctx) =>
    ctx.state.nodes.map((n) => {
      const base = { node: n.name, status: n.online ? "online" : "offline" };
      // details only for callers who may audit the node, as PVE does
      if (!ctx.can(`/nodes/${n.name}`, ["Sys.Audit"])) return base;
      const u = nodeUsage(ctx, n);
      return { ...base, cpu: u.cpu, maxcpu: u.maxcpu, mem: u.mem, maxmem: u.maxmem, uptime: u.uptime, level: "", ssl_fingerprint: "" };
    }),
  ),
  on("GET /nodes/{node}/status", (ctx) => {
    const n = ctx.node();
    ctx.check(`/nodes/${n.name}`, ["Sys.Audit"]);
    const u = nodeUsage(ctx, n);
    const total = n.maxmem;
    const used = u.mem as number;
    return {
      cpu: u.cpu,
      cpuinfo: { cores: n.maxcpu / 2, cpus: n.maxcpu, model: n.cpuModel, sockets: 1, mhz: "3000.000", hvm: "1", flags: "", user_hz: 100 },
      memory: { total, used, free: total - used, available: total - used },
      swap: { total: 8 * 1024 ** 3, used: 0, free: 8 * 1024 ** 3 },
      rootfs: { total: u.maxdisk, used: u.disk, free: (u.maxdisk as number) - (u.disk as number), avail: (u.maxdisk as number) - (u.disk as number) },
      loadavg: ["0.12", "0.08", "0.05"],
      uptime: u.uptime,
      idle: 0,
      wait: 0,
      kversion: "Linux 6.14.11-4-pve #1 SMP PREEMPT_DYNAMIC PMX 6.14.11-4",
      "current-kernel": { sysname: "Linux", release: "6.14.11-4-pve", version: "#1 SMP PREEMPT_DYNAMIC PMX 6.14.11-4", machine: "x86_64" },
      "boot-info": { mode: "efi", secureboot: 0 },
      pveversion: `pve-manager/${ctx.state.version.version}/${ctx.state.version.repoid}`,
      ksm: { shared: 0 },
    };
  }),
  on("GET /nodes/{node}/version", (ctx) => {
    ctx.node();
    return { ...ctx.state.version };
  }),
  on("GET /nodes/{node}/storage", (ctx) => {
    const node = ctx.node();
    const content = ctx.str("content");
    const only = ctx.str("storage");
    return storageEntries(ctx, node.name).filter(
      (s) => (!content || content.split(/[,; ]/).some((c) => s.content.split(",").includes(c))) && (!only || s.storage === only),
    );
  }),
  on("GET /nodes/{node}/storage/{storage}/status", (ctx) => {
    const { node, storage } = storageOf(ctx);
    const e = storageEntries(ctx, node.name).find((s) => s.storage === storage.storage);
    if (!e) ctx.check(`/storage/${storage.storage}`, ["Datastore.Audit", "Datastore.AllocateSpace"], true);
    return e;
  }),
  on("GET /nodes/{node}/storage/{storage}/content", (ctx) => {
    const { node, storage } = storageOf(ctx);
    ctx.check(`/storage/${storage.storage}`, ["Datastore.Audit", "Datastore.AllocateSpace"], true);
    const content = ctx.str("content");
    const vmid = ctx.int("vmid");
    return storageContent(ctx.state, storage, node.name)
      .filter((v) => (!content || v.content === content) && (vmid === undefined || v.vmid === vmid))
      .map((v) => ({
        volid: v.volid,
        content: v.content,
        format: v.format,
        size: v.size,
        ...(v.ctime !== undefined ? { ctime: v.ctime } : {}),
        ...(v.vmid !== undefined ? { vmid: v.vmid } : {}),
        ...(v.notes !== undefined ? { notes: v.notes } : {}),
        ...(v.content === "backup" ? { protected: v.protected ? 1 : 0 } : {}),
      }));
  }),
];
