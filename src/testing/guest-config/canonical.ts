import { propertyFormats } from "../../generated/formats";
import type { PropertyFormatMeta } from "../../generated/meta-types";
import { DISK_KEY } from "../guest-view";
import { fail, paramError } from "../pve-http-error";
import { parseSize } from "../size";
import type { ClusterState, GuestConfig, GuestState, GuestType } from "../state-types";
import type { MacGenerator } from "./mac";
import { parsePve, printPve, type PropertyValues } from "./property-string";
import { NEW_DISK, checkImageContent, checkStorageOnNode, findStorage, findVolume, gib, nextVolid, recordImageSize, referencedVolids, volumeSize } from "./volumes";

/** What canonicalising a guest's options needs from the simulator. */
export interface ConfigEnv {
  state: ClusterState;
  /** node the guest lives on (where volumes are allocated) */
  node: string;
  macs: MacGenerator;
  /** throws 403 unless the caller holds `privs` on `path` */
  check(path: string, privs: readonly string[]): void;
}

/** Property-string format of a guest option (`net3` → qemu-net), from the schema the simulator validates with. */
export function formatOf(type: GuestType, key: string): PropertyFormatMeta | undefined {
  const family = key.replace(/\d+$/, "");
  const id =
    type === "qemu"
      ? ({ net: "qemu-net", ide: "qemu-ide", sata: "qemu-sata", scsi: "qemu-scsi", virtio: "qemu-virtio", efidisk: "qemu-efidisk0", tpmstate: "qemu-tpmstate0", unused: "qemu-unused" } as Record<string, string>)[family]
      : ({ net: "lxc-net", rootfs: "lxc-rootfs", mp: "lxc-mp", unused: "lxc-unused" } as Record<string, string>)[family];
  return id ? (propertyFormats as Record<string, PropertyFormatMeta>)[id] : undefined;
}

/** Every MAC address in use in the cluster (so a generated one is new). */
export function macsInUse(state: ClusterState): (mac: string) => boolean {
  let used: Set<string> | undefined;
  return (mac) => {
    if (!used) {
      used = new Set();
      for (const g of state.guests.values()) {
        for (const [key, value] of Object.entries(g.config)) {
          if (!/^net\d+$/.test(key)) continue;
          const m = /([0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5})/.exec(String(value));
          if (m) used.add((m[1] as string).toUpperCase());
        }
      }
    }
    return used.has(mac);
  };
}

/**
 * A NIC with its MAC: qemu-server PVE::QemuServer::Network::parse_net/print_net
 * (`virtio,bridge=vmbr0` → `virtio=BC:24:11:…,bridge=vmbr0`); pve-container
 * PVE::LXC::Config::parse_lxc_network (`hwaddr` generated, `type=veth`).
 */
export function canonicalNet(env: ConfigEnv, type: GuestType, key: string, value: string): string {
  const fmt = formatOf(type, key) as PropertyFormatMeta;
  const net = parsePve(fmt, value);
  if (type === "qemu") {
    net.macaddr = net.macaddr ? net.macaddr.toUpperCase() : env.macs.next(macsInUse(env.state));
  } else {
    net.type = "veth";
    net.hwaddr = net.hwaddr ? net.hwaddr.toUpperCase() : env.macs.next(macsInUse(env.state));
  }
  return printPve(fmt, net);
}

/** A NIC option without its MAC (a clone or `unique` restore gets a new one). */
export function withoutMac(type: GuestType, key: string, value: string): string {
  const fmt = formatOf(type, key) as PropertyFormatMeta;
  const net = parsePve(fmt, value);
  delete net.macaddr;
  delete net.hwaddr;
  return printPve(fmt, net);
}

/** PVE::GuestHelpers::get_unique_tags (pve-guest-common): sorted, lower-case, unique, `;`-joined. */
export function uniqueTags(value: string): string {
  const seen = new Set<string>();
  const tags = value
    .split(/[,;\s]+/)
    .filter(Boolean)
    .sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0));
  const out: string[] = [];
  for (const t of tags) {
    const tag = t.toLowerCase();
    if (!seen.has(tag)) out.push(tag);
    seen.add(tag);
  }
  return out.join(";");
}

/** Whether a parsed drive is a CD-ROM (qemu-server Drive.pm drive_is_cdrom). */
export const isCdrom = (d: PropertyValues): boolean => d.media === "cdrom";

/**
 * Early checks of a QEMU drive option, as qemu-server src/PVE/API2/Qemu.pm $check_drive_param and
 * $check_storage_access do before anything is written: `import-from` syntax, ISO volumes need
 * `media=cdrom`, new volumes need an existing storage with `images` content and
 * Datastore.AllocateSpace. Returns the parsed drive.
 */
export function checkQemuDrive(env: ConfigEnv, key: string, value: string, defaultStorage?: string): PropertyValues {
  const fmt = formatOf("qemu", key) as PropertyFormatMeta;
  const d = parsePve(fmt, value);
  const file = d.file ?? "";
  const fresh = NEW_DISK.exec(file);
  if (d["import-from"] !== undefined && (!fresh || Number(fresh[2]) !== 0)) {
    throw paramError({ [key]: "'import-from' requires special syntax - use <storage ID>:0,import-from=<source>" });
  }
  if (fresh) {
    const sid = fresh[1] ?? defaultStorage;
    if (!sid) throw fail("no storage ID specified (and no default storage)");
    env.check(`/storage/${sid}`, ["Datastore.AllocateSpace"]);
    const storage = findStorage(env.state, sid);
    checkImageContent(storage, "qemu", "storage");
    checkStorageOnNode(storage, env.node);
  } else if (file !== "none" && file !== "cdrom" && file.includes(":") && !/:cloudinit$/.test(file)) {
    const sid = file.split(":")[0] as string;
    const storage = findStorage(env.state, sid);
    const vol = findVolume(storage, file, env.node);
    if (vol?.content === "iso" && !isCdrom(d)) throw paramError({ [key]: "explicit 'media=cdrom' is required for iso images" });
    if (vol && vol.content !== "iso" && vol.content !== "import") throw fail(`cannot use volume ${file} - content type needs to be 'images' or 'iso'`);
  }
  return d;
}

/**
 * Allocates the volumes a QEMU drive option asks for, like create_disks in qemu-server
 * src/PVE/API2/Qemu.pm: `storage:size` (GiB) → a new `vm-<vmid>-disk-<n>` with `size=`; `storage:0,
 * import-from=<vol>` → a new volume the size of the source; `storage:cloudinit` → the cloud-init
 * drive; `none`/`cdrom` kept without size; an existing volume gets its size. Returns the printed
 * drive and, for new volumes, the log line PVE prints ("scsi0: successfully created disk '…'").
 */
export function allocateQemuDrive(env: ConfigEnv, g: GuestState, key: string, value: string, defaultStorage?: string): { value: string; log?: string } {
  const fmt = formatOf("qemu", key) as PropertyFormatMeta;
  const d = checkQemuDrive(env, key, value, defaultStorage);
  const file = d.file ?? "";
  delete d["import-from"];
  if (file === "none" || file === "cdrom" || file === "") {
    delete d.size;
    return { value: printPve(fmt, d) };
  }
  const cloudinit = /^(?:([^/:\s]+):)?cloudinit$/.exec(file);
  if (cloudinit) {
    const storage = findStorage(env.state, cloudinit[1] ?? defaultStorage ?? "");
    const fileBased = storage.type === "dir" || storage.type === "nfs" || storage.type === "cifs";
    d.file = fileBased ? `${storage.storage}:${g.vmid}/vm-${g.vmid}-cloudinit.qcow2` : `${storage.storage}:vm-${g.vmid}-cloudinit`;
    d.media = "cdrom";
    delete d.format;
    const out = printPve(fmt, d);
    return { value: out, log: `${key}: successfully created disk '${out}'` };
  }
  const fresh = NEW_DISK.exec(file);
  if (fresh) {
    const storage = findStorage(env.state, fresh[1] ?? defaultStorage ?? "");
    const source = value.match(/(?:^|,)import-from=([^,]+)/)?.[1];
    let bytes = gib(fresh[2] as string);
    if (source !== undefined) {
      const size = volumeSize(env.state, source, env.node);
      if (size === undefined) throw new Error(`cannot import from '${source}' - volume '${source}' does not exist`);
      bytes = size;
    }
    const volid = nextVolid(storage, g.vmid, referencedVolids(g), { format: d.format, template: Boolean(g.config.template) });
    d.file = volid;
    d.size = String(bytes);
    delete d.format;
    recordImageSize(env.state, volid, bytes);
    const out = printPve(fmt, d);
    return { value: out, log: `${key}: successfully created disk '${out}'` };
  }
  if (file.includes(":")) {
    const size = volumeSize(env.state, file, env.node);
    if (size === undefined) throw new Error(`volume ${file} does not exist`);
    d.size = String(size);
  }
  return { value: printPve(fmt, d) };
}

/**
 * Allocates a container mount point (`rootfs`, `mpN`) like PVE::LXC::create_disks (pve-container
 * src/PVE/LXC.pm): `storage:size` (GiB; a bare number uses `storage`) → `vm-<vmid>-disk-<n>` with
 * `size=`, a subvolume for size 0 on directory storages; bind mounts and existing volumes kept.
 */
export function allocateLxcVolume(env: ConfigEnv, g: GuestState, key: string, value: string, defaultStorage?: string): string {
  const fmt = formatOf("lxc", key) as PropertyFormatMeta;
  const mp = parsePve(fmt, value);
  const volume = mp.volume ?? "";
  const fresh = NEW_DISK.exec(volume);
  if (!fresh) {
    if (volume.includes(":") && mp.size === undefined) {
      const size = volumeSize(env.state, volume, env.node);
      if (size !== undefined) mp.size = String(size);
    }
    return printPve(fmt, mp);
  }
  const sid = fresh[1] ?? defaultStorage;
  if (!sid) throw fail("no storage ID specified (and no default storage)");
  const storage = findStorage(env.state, sid);
  env.check(`/storage/${sid}`, ["Datastore.AllocateSpace"]);
  checkImageContent(storage, "lxc", key === "rootfs" ? "storage" : key);
  checkStorageOnNode(storage, env.node);
  const bytes = gib(fresh[2] as string);
  const subvol = bytes === 0 && storage.type === "dir";
  const volid = nextVolid(storage, g.vmid, referencedVolids(g), { format: subvol ? "subvol" : "raw", template: Boolean(g.config.template) });
  mp.volume = volid;
  mp.size = String(bytes);
  recordImageSize(env.state, volid, bytes);
  return printPve(fmt, mp);
}

/** Volume id of a drive or mount-point option value. */
export const volidOf = (value: string | number | undefined): string => String(value ?? "").split(",")[0]?.replace(/^(volume|file)=/, "") ?? "";

/** Whether an option holds a volume that belongs to the guest's storage (not a CD-ROM, `none` or a path). */
export function isManagedVolume(key: string, value: string | number): boolean {
  if (!DISK_KEY.test(key)) return false;
  const text = String(value);
  if (/(^|,)media=cdrom/.test(text)) return false;
  const volid = volidOf(text);
  return volid.includes(":") && !volid.startsWith("/");
}

/**
 * Registers a detached volume as `unused<n>` (the lowest free n), like PVE::AbstractConfig::add_unused_volume
 * (pve-guest-common src/PVE/AbstractConfig.pm), and returns that key; CD-ROMs and paths are not registered.
 */
export function addUnused(config: GuestConfig, key: string, value: string | number, state: ClusterState): string | undefined {
  if (!isManagedVolume(key, value)) return undefined;
  const volid = volidOf(value);
  const size = /(?:^|,)size=([^,]+)/.exec(String(value))?.[1];
  const bytes = size === undefined ? undefined : parseSize(size);
  if (bytes !== undefined && !state.imageSizes?.has(volid)) recordImageSize(state, volid, bytes);
  let free: string | undefined;
  for (let i = 255; i >= 0; i--) {
    const k = `unused${i}`;
    if (config[k] !== undefined) {
      if (volidOf(config[k]) === volid) return k; // no duplicates
    } else free = k;
  }
  if (!free) throw new Error("Too many unused volumes - please delete them first.");
  config[free] = volid;
  return free;
}

/**
 * `unusedN` entries whose volume is attached again are dropped when the config is written
 * (qemu-server write_vm_config: "remove 'unusedX' settings if we re-add a volume").
 */
export function dropReattachedUnused(config: GuestConfig): void {
  const used = new Set<string>();
  for (const [key, value] of Object.entries(config)) if (!key.startsWith("unused") && DISK_KEY.test(key)) used.add(volidOf(value));
  for (const key of Object.keys(config)) if (key.startsWith("unused") && used.has(volidOf(config[key]))) delete config[key];
}
