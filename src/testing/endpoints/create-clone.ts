import { randomUUID } from "node:crypto";
import { type ConfigEnv, allocateLxcVolume, allocateQemuDrive, canonicalNet, checkQemuDrive, uniqueTags, withoutMac } from "../guest-config/canonical";
import { findStorage, findVolume, nextVolid, recordImageSize, volumeSize } from "../guest-config/volumes";
import { DISK_KEY, guestVolumes } from "../guest-view";
import { fail, paramError } from "../pve-http-error";
import { driveMirrorProgress, qemuImgProgress } from "../task-progress";
import type { TaskStage } from "../task-table";
import type { SimContext } from "../sim-context";
import type { GuestConfig, GuestState, GuestType } from "../state-types";
import { privilegeFor, storedValue } from "./config";
import { type Endpoint, GUEST_TYPES, noun, on } from "./endpoint";
import { findBackup, replaceableGuest, restoreArchive, restoredConfig } from "./restore";

/** Create parameters that are not stored in the config (or are secrets PVE never stores). */
const NOT_CONFIG = new Set([
  "node",
  "vmid",
  "pool",
  "start",
  "storage",
  "force",
  "unique",
  "archive",
  "password",
  "ssh-public-keys",
  "ignore-unpack-errors",
  "live-restore",
  "restore",
  "bwlimit",
  "ha-managed",
  "ostemplate",
  "import-working-storage",
]);

/** The QEMU version the simulator reports (`meta: creation-qemu=…`, `running-qemu`). */
export const QEMU_VERSION = "9.2.0";

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

/** The option values of a create request, as stored (numbers for integers; `cdrom` → `ide2`). */
function createOptions(ctx: SimContext, type: GuestType): GuestConfig {
  const out: GuestConfig = {};
  for (const key of Object.keys(ctx.params)) if (!NOT_CONFIG.has(key)) out[key] = storedValue(ctx, key, ctx.str(key) as string);
  if (type === "qemu" && out.cdrom !== undefined) {
    const v = String(out.cdrom);
    out.ide2 = /media=/.test(v) ? v : `${v},media=cdrom`;
    delete out.cdrom;
  }
  return out;
}

/** qemu-server PVE::QemuServer::get_default_bootdevices: first disk, first CD-ROM, first NIC. */
function defaultBoot(config: GuestConfig): string | undefined {
  const names = Object.keys(config);
  const drives = ["ide", "scsi", "virtio", "sata"].flatMap((bus) =>
    names.filter((k) => new RegExp(`^${bus}\\d+$`).test(k)).sort((a, b) => Number(a.replace(/\D/g, "")) - Number(b.replace(/\D/g, ""))),
  );
  const disk = drives.find((k) => !/(^|,)media=cdrom/.test(String(config[k])));
  const cdrom = drives.find((k) => /(^|,)media=cdrom/.test(String(config[k])));
  const net = names.filter((k) => /^net\d+$/.test(k)).sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)))[0];
  const order = [disk, cdrom, net].filter(Boolean);
  return order.length ? `order=${order.join(";")}` : undefined;
}

/** The OS type pct detects from a template's name (pve-container PVE::LXC::Setup). */
function lxcOstype(template: string): string {
  const name = template.split("/").pop() ?? "";
  const m = /^(debian|ubuntu|alpine|archlinux|centos|fedora|opensuse|gentoo|devuan|nixos|almalinux|rockylinux)/.exec(name);
  return m ? (m[1] === "almalinux" || m[1] === "rockylinux" ? "centos" : (m[1] as string)) : "unmanaged";
}

function createQemu(ctx: SimContext, env: ConfigEnv, vmid: number, scratch: GuestState, options: GuestConfig, storage: string | undefined): (log: { info(l: string): void }) => GuestConfig {
  for (const [key, value] of Object.entries(options)) {
    if (DISK_KEY.test(key) && !key.startsWith("unused")) checkQemuDrive(env, key, String(value), storage);
    // qemu-server PVE::QemuServer::Network::add_random_macs, before the worker starts
    if (/^net\d+$/.test(key)) options[key] = canonicalNet(env, "qemu", key, String(value));
  }
  return (log) => {
    const config: GuestConfig = { ...scratch.config };
    for (const [key, value] of Object.entries(options)) if (!(DISK_KEY.test(key) && !key.startsWith("unused"))) config[key] = value;
    scratch.config = config;
    // create_disks, in PVE's order of drive names
    for (const key of Object.keys(options).sort()) {
      if (!DISK_KEY.test(key) || key.startsWith("unused")) continue;
      const r = allocateQemuDrive(env, scratch, key, String(options[key]), storage);
      config[key] = r.value;
      if (r.log) log.info(r.log);
    }
    // qemu-server Qemu.pm create_vm: meta info, default boot order, smbios1 and vmgenid UUIDs, unique tags
    config.meta = `creation-qemu=${QEMU_VERSION},ctime=${ctx.world.clock.nowSeconds()}`;
    if (config.boot === undefined) {
      const boot = defaultBoot(config);
      if (boot) config.boot = boot;
    }
    if (config.smbios1 === undefined) config.smbios1 = `uuid=${randomUUID()}`;
    if (config.vmgenid === undefined || String(config.vmgenid) === "1") config.vmgenid = randomUUID();
    if (config.tags !== undefined) config.tags = uniqueTags(String(config.tags));
    return config;
  };
}

function createLxc(ctx: SimContext, env: ConfigEnv, scratch: GuestState, options: GuestConfig, storage: string): (log: { info(l: string): void }) => GuestConfig {
  const ostemplate = ctx.str("ostemplate") as string;
  // pve-container src/PVE/API2/LXC.pm create_vm: numbers mean `<storage>:<GiB>`, no rootfs means `<storage>:4`
  for (const key of Object.keys(options)) {
    if ((key === "rootfs" || /^mp\d+$/.test(key)) && /^\d+(\.\d+)?$/.test(String(options[key]))) options[key] = `${storage}:${options[key]}`;
    if (/^unused\d+$/.test(key)) delete options[key]; // "ignoring 'unusedN', cannot create/restore with unused volume"
  }
  if (options.rootfs === undefined) {
    if (Object.keys(options).some((k) => /^mp\d+$/.test(k))) throw fail("mount points configured, but 'rootfs' not set - aborting");
    const s = findStorage(ctx.state, storage);
    if (!s.content.includes("rootdir")) throw paramError({ storage: `storage '${storage}' does not support container directories` });
    options.rootfs = `${storage}:4`;
  } else {
    const sid = String(options.rootfs).split(":")[0] as string;
    const s = findStorage(ctx.state, sid);
    if (!s.content.includes("rootdir")) throw paramError({ storage: `storage '${sid}' does not support container directories` });
  }
  for (const key of Object.keys(options)) {
    if (/^net\d+$/.test(key)) options[key] = canonicalNet(env, "lxc", key, String(options[key]));
  }
  if (options.tags !== undefined) options.tags = uniqueTags(String(options.tags));
  const unprivileged = ctx.str("unprivileged") === undefined ? 1 : ctx.bool("unprivileged") ? 1 : 0;
  if (!unprivileged) ctx.check("/", ["Sys.Modify"]);
  return (log) => {
    const config: GuestConfig = { ...scratch.config };
    for (const [key, value] of Object.entries(options)) if (key !== "rootfs" && !/^mp\d+$/.test(key) && key !== "unprivileged") config[key] = value;
    scratch.config = config;
    // PVE::LXC::Config->foreach_volume: rootfs first, then mp0, mp1, …
    const volumeKeys = Object.keys(options)
      .filter((k) => k === "rootfs" || /^mp\d+$/.test(k))
      .sort((a, b) => (a === "rootfs" ? -1 : b === "rootfs" ? 1 : Number(a.slice(2)) - Number(b.slice(2))));
    for (const key of volumeKeys) {
      config[key] = allocateLxcVolume(env, scratch, key, String(options[key]), storage);
      const volid = String(config[key]).split(",")[0] as string;
      if (/^[^:]+:vm-/.test(volid)) log.info(`  Logical volume "${volid.split(":")[1]}" created.`);
    }
    log.info(`extracting archive '/var/lib/vz/template/cache/${ostemplate.split("/").pop()}'`);
    log.info("Total bytes read: 514549760 (491MiB, 156MiB/s)");
    log.info("Detected container architecture: amd64");
    config.arch ??= "amd64";
    config.ostype ??= lxcOstype(ostemplate);
    config.hostname ??= `CT${scratch.vmid}`;
    config.memory ??= 512;
    config.swap ??= 512;
    if (unprivileged) config.unprivileged = 1;
    return config;
  };
}

function create(ctx: SimContext, type: GuestType): unknown {
  const node = ctx.node();
  const vmid = Number(ctx.req("vmid"));
  const pool = ctx.str("pool");
  if (!(ctx.can(`/vms/${vmid}`, ["VM.Allocate"]) || (pool !== undefined && ctx.can(`/pool/${pool}`, ["VM.Allocate"])))) ctx.check(`/vms/${vmid}`, ["VM.Allocate"]);
  const archive = restoreArchive(ctx, type);
  const existing = archive !== undefined ? replaceableGuest(ctx, type, vmid, node.name) : undefined;
  if (!existing) assertFree(ctx, vmid);
  if (type === "lxc" && ctx.str("ostemplate") === undefined) throw fail("missing 'ostemplate' parameter");
  if (pool !== undefined && !ctx.state.pools.has(pool)) throw fail(`pool '${pool}' does not exist`);
  const options = createOptions(ctx, type);
  for (const key of Object.keys(options)) ctx.check(`/vms/${vmid}`, [privilegeFor(key)]);
  const env = ctx.configEnv(node.name);
  const storage = ctx.str("storage");

  // A restore brings back the backed-up config; options given with it override the backup's.
  const backup = archive !== undefined ? findBackup(ctx, archive, node.name) : undefined;
  if (archive !== undefined && type === "lxc" && !backup && !ctx.state.storages.some((s) => archive.startsWith(`${s.storage}:`))) {
    throw fail(`storage '${archive.split(":")[0]}' does not exist`);
  }
  const scratch: GuestState = { vmid, type, node: node.name, status: "stopped", config: {}, snapshots: [] };
  let build: (log: { info(l: string): void }) => GuestConfig;
  if (archive !== undefined) {
    const restored = restoredConfig(ctx.state, backup?.config, vmid, storage);
    // MACs kept, new ones with unique=1 (qemu-server restore_update_config_line, PVE::LXC::Create)
    for (const k of Object.keys(restored)) {
      if (/^net\d+$/.test(k)) restored[k] = canonicalNet(env, type, k, ctx.bool("unique") ? withoutMac(type, k, String(restored[k])) : String(restored[k]));
    }
    for (const [k, v] of Object.entries(options)) restored[k] = /^net\d+$/.test(k) ? canonicalNet(env, type, k, String(v)) : v;
    build = () => restored;
  } else if (type === "qemu") {
    build = createQemu(ctx, env, vmid, scratch, options, storage);
  } else {
    const ostemplate = ctx.str("ostemplate") as string;
    const sid = ostemplate.split(":")[0] as string;
    const tplStorage = findStorage(ctx.state, sid);
    if (!findVolume(tplStorage, ostemplate, node.name)) throw fail(`volume '${ostemplate}' does not exist`);
    build = createLxc(ctx, env, scratch, options, storage ?? "local");
  }
  addToPool(ctx, scratch, pool);
  // The new guest is visible at once, locked 'create' until the task ends; a replaced one keeps its
  // old config (locked) until the restore writes the backup's.
  const g: GuestState = existing ?? { ...scratch, config: { lock: "create" } };
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
      }
      const config = build(log);
      g.config = { ...config };
      g.pending = undefined;
      g.snapshots = [];
      if (scratch.pool !== undefined) g.pool = scratch.pool;
      if (start) {
        g.status = "running";
        g.startedAt = ctx.world.clock.now();
      }
    },
  });
}

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
  const disks = guestVolumes(src).filter((d) => !d.key.startsWith("unused"));
  if (!full && !template) throw fail(`Linked clone feature is not supported for drive '${disks[0]?.key ?? (type === "qemu" ? "scsi0" : "rootfs")}'`);
  if (src.config.lock !== undefined) throw fail(`${noun(type)} is locked (${src.config.lock})`);
  const storageId = ctx.str("storage");
  if (storageId !== undefined) {
    const s = findStorage(ctx.state, storageId);
    ctx.check(`/storage/${storageId}`, ["Datastore.AllocateSpace"]);
    if (!s.content.includes(type === "qemu" ? "images" : "rootdir")) throw paramError({ storage: `storage '${storageId}' does not support ${type === "qemu" ? "vm images" : "container directories"}` });
  }
  const env = ctx.configEnv(target.name);

  const snapname = ctx.str("snapname");
  const base = snapname ? src.snapshots.find((s) => s.name === snapname)?.config : src.config;
  if (!base) throw fail(`snapshot '${snapname}' does not exist`);
  // qemu-server Qemu.pm clone_vm / pve-container LXC.pm clone_vm: no lock, parent, template, unused volumes
  const config: GuestConfig = {};
  for (const [k, v] of Object.entries(base)) if (!/^(lock|parent|template|snaptime|vmstate|unused\d+)$/.test(k)) config[k] = v;
  const g: GuestState = { vmid: newid, type, node: target.name, status: "stopped", config: { ...config, lock: "clone" }, snapshots: [] };
  const taken = new Set<string>();
  const copies: { key: string; from: string; to: string; size: number; cloudinit: boolean }[] = [];
  for (const d of disks) {
    const value = String(config[d.key]);
    const [store, vol] = d.volid.split(":") as [string, string];
    const rest = value.split(",").slice(1).join(",");
    let volid: string;
    if (full) {
      const storage = findStorage(ctx.state, storageId ?? store);
      volid = nextVolid(storage, newid, taken, { format: ctx.str("format") });
    } else {
      volid = `${store}:${vol}/vm-${newid}-disk-${taken.size}`;
    }
    taken.add(volid);
    const size = volumeSize(ctx.state, d.volid, src.node) ?? d.size;
    recordImageSize(ctx.state, volid, size);
    g.config[d.key] = `${volid}${rest ? `,${rest}` : ""}`;
    copies.push({ key: d.key, from: d.volid, to: volid, size, cloudinit: /cloudinit/.test(value) });
  }
  // new MACs (qemu-server clone_vm: random_ether_addr; pve-container clone_vm: hwaddr), new UUIDs
  for (const [k, v] of Object.entries(g.config)) {
    if (!/^net\d+$/.test(k)) continue;
    g.config[k] = canonicalNet(env, type, k, withoutMac(type, k, String(v)));
  }
  if (type === "qemu") {
    if (g.config.smbios1 !== undefined) g.config.smbios1 = String(g.config.smbios1).replace(/uuid=[^,]+/, `uuid=${randomUUID()}`);
    if (g.config.vmgenid !== undefined) g.config.vmgenid = randomUUID();
  }
  const name = ctx.str(type === "qemu" ? "name" : "hostname");
  if (type === "qemu") g.config.name = name ?? `Copy-of-VM-${src.config.name ?? src.vmid}`;
  else g.config.hostname = name ?? `Copy-of-CT-${src.config.hostname ?? src.vmid}`;
  const description = ctx.str("description");
  if (description !== undefined) g.config.description = description;
  addToPool(ctx, g, ctx.str("pool"));
  ctx.state.guests.set(newid, g); // PVE writes the new config (locked) before copying disks
  const durationMs = full ? 10_000 : 2000;
  return ctx.task({
    type: type === "qemu" ? "qmclone" : "vzclone",
    id: String(src.vmid),
    durationMs,
    lock: { guest: g, name: "clone" },
    ...(type === "qemu" ? { startLog: [`creating a clone of VM ${src.vmid} with ID ${newid}`] } : {}),
    stages: cloneStages(ctx, src, copies, full, durationMs, Boolean(snapname)),
    run: () => {},
  });
}

/**
 * One stage per disk, as qemu-server PVE/QemuServer.pm clone_disk logs it (`create full clone of drive
 * scsi0 (…)`, `allocated target volume '…'`) with the copy's progress: qemu-img convert's percent lines
 * for a stopped VM (QemuImage.pm), a drive mirror's lines for a running one (BlockJob.pm), whose jobs
 * are cancelled once all are ready (the VM suspended meanwhile, or its filesystems frozen by the agent).
 * Containers (pve-container LXC.pm clone_vm) log `create full clone of mountpoint rootfs (…)`.
 */
function cloneStages(
  ctx: SimContext,
  src: GuestState,
  copies: { key: string; from: string; to: string; size: number; cloudinit: boolean }[],
  full: boolean,
  durationMs: number,
  fromSnapshot: boolean,
): TaskStage[] {
  const total = copies.reduce((n, c) => n + (c.cloudinit ? 0 : c.size), 0);
  const mirror = full && src.type === "qemu" && src.status === "running" && !fromSnapshot;
  const agent = /^(1|enabled=1)/.test(String(src.config.agent ?? ""));
  if (copies.length === 0) return [{ durationMs }];
  return copies.map((c, i) => ({
    durationMs: !full || c.cloudinit || total === 0 ? durationMs / copies.length : (durationMs * c.size) / total,
    begin: (log) => {
      if (src.type === "lxc") {
        log.info(full ? `create full clone of mountpoint ${c.key} (${c.from})` : `create linked clone of mount point ${c.key} (${c.from})`);
        return;
      }
      log.info(`create ${full ? "full" : "linked"} clone of drive ${c.key} (${c.from})`);
      if (!full) return;
      if (isLvm(ctx, c.to)) log.info(`  Logical volume "${c.to.split(":")[1]}" created.`);
      log.info(`allocated target volume '${c.to}'`);
    },
    ...(full && src.type === "qemu" && !c.cloudinit ? { progress: mirror ? driveMirrorProgress(c.key, c.size) : qemuImgProgress(c.size) } : {}),
    end: (log) => {
      if (!mirror || i !== copies.length - 1) return;
      const jobs = copies.filter((x) => !x.cloudinit).map((x) => `drive-${x.key}`);
      log.info(agent ? "issuing guest agent 'guest-fsfreeze-freeze' command" : "suspend vm");
      for (const j of jobs) log.info(`${j}: Cancelling block job`);
      for (const j of jobs) log.info(`${j}: Done.`);
      log.info(agent ? "issuing guest agent 'guest-fsfreeze-thaw' command" : "resume vm");
    },
  }));
}

/** LVM storages print lvcreate's `Logical volume "…" created.` when they allocate. */
function isLvm(ctx: SimContext, volid: string): boolean {
  const type = ctx.state.storages.find((s) => s.storage === volid.split(":")[0])?.type;
  return type === "lvm" || type === "lvmthin";
}

export const createCloneEndpoints: Endpoint[] = GUEST_TYPES.flatMap((type) => [
  on(`POST /nodes/{node}/${type}`, (ctx) => create(ctx, type)),
  on(`POST /nodes/{node}/${type}/{vmid}/clone`, (ctx) => clone(ctx, type)),
]);
