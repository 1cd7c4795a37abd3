import { DISK_KEY } from "../guest-view";
import { fail, paramError } from "../pve-http-error";
import { diskSizeOf } from "../size";
import type { ClusterState, GuestState, GuestType, StorageState, VolumeState } from "../state-types";

const GiB = 1024 ** 3;

/** Storage types whose images are files under `<vmid>/` (pve-storage src/PVE/Storage/Plugin.pm: `path`-based plugins). */
const FILE_BASED = new Set(["dir", "nfs", "cifs", "cephfs", "glusterfs", "btrfs"]);

/** `<storage>:<size in GiB>`: a new volume (qemu-server src/PVE/QemuServer/Drive.pm NEW_DISK_RE). */
export const NEW_DISK = /^(?:([^/:\s]+):)?(\d+(?:\.\d+)?)$/;

export function findStorage(state: ClusterState, id: string): StorageState {
  const s = state.storages.find((x) => x.storage === id);
  // pve-storage src/PVE/Storage.pm storage_config
  if (!s) throw fail(`storage '${id}' does not exist`);
  return s;
}

/** pve-storage src/PVE/Storage.pm storage_check_node: the storage must exist on `node`. */
export function checkStorageOnNode(storage: StorageState, node: string): void {
  if (storage.nodes && !storage.nodes.includes(node)) throw fail(`storage '${storage.storage}' is not available on node '${node}'`);
  if (storage.disabled) throw fail(`storage '${storage.storage}' is disabled`);
}

/** Every volume id a guest refers to: current config, pending changes and snapshots. */
export function referencedVolids(g: GuestState): Set<string> {
  const out = new Set<string>();
  const scan = (config: Record<string, string | number>) => {
    for (const [key, value] of Object.entries(config)) {
      if (!DISK_KEY.test(key)) continue;
      const volid = String(value).split(",")[0] as string;
      if (volid.includes(":")) out.add(volid);
    }
  };
  scan(g.config);
  if (g.pending) scan(g.pending);
  for (const s of g.snapshots) scan(s.config);
  return out;
}

/**
 * The next free image name of `vmid` on `storage` (pve-storage Plugin.pm get_next_vm_diskname):
 * `vm-<vmid>-disk-<n>` on block storages, `<vmid>/vm-<vmid>-disk-<n>.<fmt>` on file storages;
 * `base-` for templates, `subvol-` for container subvolumes.
 */
export function nextVolid(storage: StorageState, vmid: number, taken: ReadonlySet<string>, opts: { format?: string; template?: boolean } = {}): string {
  const fileBased = FILE_BASED.has(storage.type);
  const format = opts.format ?? "raw";
  const prefix = format === "subvol" ? "subvol" : opts.template ? "base" : "vm";
  for (let n = 0; n < 1000; n++) {
    const name = `${prefix}-${vmid}-disk-${n}`;
    const volname = fileBased ? `${vmid}/${name}${format === "subvol" ? "" : `.${format}`}` : name;
    const volid = `${storage.storage}:${volname}`;
    // a name is taken whatever its prefix (vm-/base-): list_images sees both
    const other = volid.replace(/\b(vm|base)-(\d+)-disk-/, (_m, p: string, id: string) => `${p === "vm" ? "base" : "vm"}-${id}-disk-`);
    if (!taken.has(volid) && !taken.has(other)) return volid;
  }
  throw fail(`unable to allocate an image name for VM ${vmid} in storage '${storage.storage}'`);
}

/** Size in bytes of an existing volume: a stored volume (ISO, template), or a guest image we know. */
export function volumeSize(state: ClusterState, volid: string, node: string): number | undefined {
  const known = state.imageSizes?.get(volid);
  if (known !== undefined) return known;
  const storage = state.storages.find((s) => volid.startsWith(`${s.storage}:`));
  if (storage) {
    const vol = findVolume(storage, volid, node);
    if (vol) return vol.size;
  }
  for (const g of state.guests.values()) {
    for (const [key, value] of Object.entries(g.config)) {
      if (!DISK_KEY.test(key)) continue;
      const text = String(value);
      if (text.split(",")[0] === volid && /(^|,)size=/.test(text)) return diskSizeOf(text);
    }
  }
  return undefined;
}

/** A non-image volume (iso, vztmpl, backup, snippets, import) on `storage` as seen from `node`. */
export function findVolume(storage: StorageState, volid: string, node: string): VolumeState | undefined {
  return storage.volumes[storage.shared ? "*" : node]?.find((v) => v.volid === volid);
}

/** Remembers an image's size (for unused volumes, whose config line has no `size=`). */
export function recordImageSize(state: ClusterState, volid: string, bytes: number): void {
  (state.imageSizes ??= new Map()).set(volid, bytes);
}

/** Content type a guest's images need on a storage (qemu: images, lxc: rootdir). */
export function checkImageContent(storage: StorageState, type: GuestType, param: string): void {
  const need = type === "qemu" ? "images" : "rootdir";
  if (storage.content.includes(need)) return;
  // qemu-server src/PVE/API2/Qemu.pm check_storage_access; pve-container src/PVE/API2/LXC.pm check_and_activate_storage
  throw paramError({ [param]: type === "qemu" ? `storage '${storage.storage}' does not support vm images` : `storage '${storage.storage}' does not support container directories` });
}

/** GiB given as `local-lvm:8` or `0.5` → bytes (PVE::Tools::convert_size gb → kb → b). */
export const gib = (text: string): number => Math.floor(Number(text) * 1024 * 1024) * 1024;

export { GiB };

/** Forgets a freed image. */
export function forgetImage(state: ClusterState, volid: string): void {
  state.imageSizes?.delete(volid);
}
