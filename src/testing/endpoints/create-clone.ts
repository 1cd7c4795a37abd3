import { guestVolumes } from "../guest-view";
import { fail } from "../pve-http-error";
import type { SimContext } from "../sim-context";
import type { GuestState, GuestType } from "../state-types";
import { setOptions } from "./config";
import { findBackup, replaceableGuest, restoreArchive, restoredConfig } from "./restore";
import { type Endpoint, GUEST_TYPES, noun, on } from "./endpoint";

/** Create parameters that are not stored in the config (or are secrets PVE never stores). */
const NOT_CONFIG = new Set(["node", "vmid", "pool", "start", "storage", "force", "unique", "archive", "password", "ssh-public-keys", "ignore-unpack-errors", "live-restore", "restore", "bwlimit", "ha-managed"]);

function assertFree(ctx: SimContext, vmid: number): void {
  const other = ctx.state.guests.get(vmid);
  if (other) throw fail(`unable to create ${noun(other.type)} ${vmid} - VM ${vmid} already exists on node '${other.node}'`);
}

function addToPool(ctx: SimContext, g: GuestState, pool: string | undefined): void {
  if (pool === undefined) return;
  if (!ctx.state.pools.has(pool)) throw fail(`pool '${pool}' does not exist`);
  ctx.check(`/pool/${pool}`, ["Pool.Allocate"]);
  g.pool = pool;
}

function create(ctx: SimContext, type: GuestType): unknown {
  const node = ctx.node();
  const vmid = Number(ctx.req("vmid"));
  ctx.check(`/vms/${vmid}`, ["VM.Allocate"]);
  const archive = restoreArchive(ctx, type);
  const existing = archive !== undefined ? replaceableGuest(ctx, type, vmid, node.name) : undefined;
  if (!existing) assertFree(ctx, vmid);
  if (type === "lxc" && ctx.str("ostemplate") === undefined) throw fail("missing 'ostemplate' parameter");
  const keys = Object.keys(ctx.params).filter((k) => !NOT_CONFIG.has(k) && k !== "ostemplate");
  // A restore brings back the backed-up config; options given with it override the backup's.
  const backup = archive !== undefined ? findBackup(ctx, archive, node.name) : undefined;
  const scratch: GuestState = { vmid, type, node: node.name, status: "stopped", config: restoredConfig(backup?.config, vmid, ctx.str("storage")), snapshots: [] };
  addToPool(ctx, scratch, ctx.str("pool"));
  setOptions(ctx, scratch, keys);
  if (type === "qemu" && scratch.config.name === undefined) scratch.config.name = `VM${vmid}`; // PVE shows "VM <id>"; keep a name
  if (type === "lxc" && scratch.config.hostname === undefined) scratch.config.hostname = `CT${vmid}`;
  // The new guest is visible at once, locked 'create' until the task ends; a replaced one keeps its
  // old config (locked) until the restore writes the backup's.
  const g: GuestState = existing ?? { ...scratch, config: { ...scratch.config, lock: "create" } };
  if (!existing) ctx.state.guests.set(vmid, g);
  const start = ctx.bool("start");
  return ctx.task({
    type: archive !== undefined ? (type === "qemu" ? "qmrestore" : "vzrestore") : type === "qemu" ? "qmcreate" : "vzcreate",
    id: String(vmid),
    durationMs: archive !== undefined ? 8000 : 4000,
    lock: { guest: g, name: "create" },
    run: (log) => {
      if (archive !== undefined) {
        log.info(`restore ${type === "qemu" ? "vma" : "tar"} archive '${archive}'`);
        if (existing) for (const d of guestVolumes(existing)) log.info(`Removing image: 100% complete...done. (${d.volid})`);
        g.config = { ...scratch.config };
        g.snapshots = [];
        if (scratch.pool !== undefined) g.pool = scratch.pool;
      } else if (type === "lxc") log.info(`extracting archive '${ctx.str("ostemplate")}'`);
      if (start) {
        g.status = "running";
        g.startedAt = ctx.world.clock.now();
      }
    },
  });
}

/** A fresh MAC for a clone (PVE generates new ones), derived from the VMID and NIC. */
const macFor = (vmid: number, nic: number): string =>
  `BC:24:11:${((vmid >> 8) & 0xff).toString(16).padStart(2, "0")}:${(vmid & 0xff).toString(16).padStart(2, "0")}:${nic.toString(16).padStart(2, "0")}`.toUpperCase();

function clone(ctx: SimContext, type: GuestType): unknown {
  const src = ctx.guest(type);
  const newid = Number(ctx.req("newid"));
  ctx.check(`/vms/${src.vmid}`, ["VM.Clone"]);
  ctx.check(`/vms/${newid}`, ["VM.Allocate"]);
  assertFree(ctx, newid);
  const targetName = ctx.str("target") ?? src.node;
  const target = ctx.state.nodes.find((n) => n.name === targetName);
  if (!target) throw fail(`no such cluster node '${targetName}'`);
  const template = Boolean(src.config.template);
  const full = ctx.str("full") === undefined ? !template : ctx.bool("full");
  const disks = guestVolumes(src);
  if (!full && !template) throw fail(`Linked clone feature is not supported for drive '${disks[0]?.key ?? (type === "qemu" ? "scsi0" : "rootfs")}'`);
  if (src.config.lock !== undefined) throw fail(`${noun(type)} is locked (${src.config.lock})`);
  const storage = ctx.str("storage");

  const snapname = ctx.str("snapname");
  const base = snapname ? src.snapshots.find((s) => s.name === snapname)?.config : src.config;
  if (!base) throw fail(`snapshot '${snapname}' does not exist`);
  const { lock: _l, parent: _p, template: _t, ...config } = base;
  const g: GuestState = { vmid: newid, type, node: target.name, status: "stopped", config: { ...config, lock: "clone" }, snapshots: [] };
  let n = 0;
  for (const d of disks) {
    const [store, vol] = d.volid.split(":") as [string, string];
    const rest = String(src.config[d.key]).split(",").slice(1).join(",");
    const volid = full ? `${storage ?? store}:vm-${newid}-disk-${n++}` : `${store}:${vol}/vm-${newid}-disk-${n++}`;
    g.config[d.key] = `${volid}${rest ? `,${rest}` : ""}`;
  }
  for (const [k, v] of Object.entries(g.config)) {
    if (!/^net\d+$/.test(k)) continue;
    const nic = Number(k.slice(3));
    g.config[k] = String(v)
      .replace(/=([0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5})/, `=${macFor(newid, nic)}`)
      .replace(/hwaddr=[^,]+/, `hwaddr=${macFor(newid, nic)}`);
  }
  const name = ctx.str(type === "qemu" ? "name" : "hostname");
  if (type === "qemu") g.config.name = name ?? `Copy-of-VM-${src.config.name ?? src.vmid}`;
  else g.config.hostname = name ?? `Copy-of-CT-${src.config.hostname ?? src.vmid}`;
  const description = ctx.str("description");
  if (description !== undefined) g.config.description = description;
  addToPool(ctx, g, ctx.str("pool"));
  ctx.state.guests.set(newid, g); // PVE writes the new config (locked) before copying disks
  return ctx.task({
    type: type === "qemu" ? "qmclone" : "vzclone",
    id: String(src.vmid),
    durationMs: full ? 10_000 : 2000,
    lock: { guest: g, name: "clone" },
    startLog: [`create ${full ? "full" : "linked"} clone of drive ${disks[0]?.key ?? "-"} (${disks[0]?.volid ?? "-"})`],
    run: (log) => log.info(`clone ${src.vmid} -> ${newid} finished`),
  });
}

export const createCloneEndpoints: Endpoint[] = GUEST_TYPES.flatMap((type) => [
  on(`POST /nodes/{node}/${type}`, (ctx) => create(ctx, type)),
  on(`POST /nodes/{node}/${type}/{vmid}/clone`, (ctx) => clone(ctx, type)),
]);
