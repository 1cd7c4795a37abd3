import { guestVolumes, memoryMiB } from "../guest-view";
import type { SimContext } from "../sim-context";
import type { ClusterState, NodeState, StorageState } from "../state-types";

const GiB = 1024 ** 3;

/** Usage figures of a node, derived from the guests running on it. */
export function nodeUsage(ctx: SimContext, n: NodeState): Record<string, number> {
  const running = [...ctx.state.guests.values()].filter((g) => g.node === n.name && g.status === "running");
  const mem = 4 * GiB + running.reduce((sum, g) => sum + Math.round(memoryMiB(g) * 1024 * 1024 * 0.4), 0);
  return {
    cpu: n.online ? Math.min(1, 0.02 + running.length * 0.03) : 0,
    maxcpu: n.maxcpu,
    mem: n.online ? mem : 0,
    maxmem: n.maxmem,
    disk: 12 * GiB,
    maxdisk: 100 * GiB,
    uptime: n.online ? 864_000 : 0,
  };
}

/** One row of a storage's content list. */
export interface ContentEntry {
  volid: string;
  content: string;
  format: string;
  size: number;
  ctime?: number;
  vmid?: number;
  notes?: string;
  protected?: boolean;
}

/** The storages present on `node`. */
export function storagesOn(state: ClusterState, node: string): StorageState[] {
  return state.storages.filter((s) => !s.nodes || s.nodes.includes(node));
}

/** Everything on `storage` as seen from `node`: stored volumes plus the guests' disks. */
export function storageContent(state: ClusterState, storage: StorageState, node: string): ContentEntry[] {
  const out: ContentEntry[] = [...(storage.volumes[storage.shared ? "*" : node] ?? [])].map((v) => ({ ...v }));
  for (const g of state.guests.values()) {
    if (!storage.shared && g.node !== node) continue;
    for (const d of guestVolumes(g)) {
      if (!d.volid.startsWith(`${storage.storage}:`)) continue;
      const size = d.key.startsWith("unused") ? (state.imageSizes?.get(d.volid) ?? 0) : d.size;
      const format = /\.(qcow2|vmdk|raw)$/.exec(d.volid)?.[1] ?? (/:subvol-/.test(d.volid) ? "subvol" : "raw");
      out.push({ volid: d.volid, content: g.type === "qemu" ? "images" : "rootdir", format, size, vmid: g.vmid });
    }
  }
  return out.sort((a, b) => a.volid.localeCompare(b.volid));
}

/**
 * Bytes used per storage and node (`<storage>\0<node>`, shared storages under node `*`), in one pass
 * over the guests: what `/cluster/resources` and `/nodes/{node}/storage` need, without listing contents
 * per node (2,000 guests × 16 nodes stays fast).
 */
export function storageUsage(state: ClusterState): Map<string, number> {
  const used = new Map<string, number>();
  const byId = new Map(state.storages.map((s) => [s.storage, s]));
  const add = (storage: string, node: string, bytes: number) => {
    const s = byId.get(storage);
    if (!s) return;
    const k = `${storage}\0${s.shared ? "*" : node}`;
    used.set(k, (used.get(k) ?? 0) + bytes);
  };
  for (const s of state.storages) for (const [node, vols] of Object.entries(s.volumes)) for (const v of vols) add(s.storage, node, v.size);
  for (const g of state.guests.values()) {
    for (const d of guestVolumes(g)) {
      const size = d.key.startsWith("unused") ? (state.imageSizes?.get(d.volid) ?? 0) : d.size;
      add(d.volid.slice(0, d.volid.indexOf(":")), g.node, size);
    }
  }
  return used;
}

/** `/nodes/{node}/storage` rows the caller may see (`usage` from {@link storageUsage}, computed once per request). */
export function storageEntries(ctx: SimContext, node: string, usage: Map<string, number> = storageUsage(ctx.state)) {
  return storagesOn(ctx.state, node)
    .filter((s) => ctx.can(`/storage/${s.storage}`, ["Datastore.Audit", "Datastore.AllocateSpace"], true))
    .map((s) => {
      const used = usage.get(`${s.storage}\0${s.shared ? "*" : node}`) ?? 0;
      return {
        storage: s.storage,
        type: s.type,
        content: [...s.content].sort().join(","),
        shared: s.shared ? 1 : 0,
        enabled: 1,
        active: 1,
        total: s.total,
        used,
        avail: Math.max(0, s.total - used),
        used_fraction: s.total > 0 ? used / s.total : 0,
      };
    });
}
