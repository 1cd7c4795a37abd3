import { DISK_KEY } from "../guest-view";
import type { GuestConfig, GuestState } from "../state-types";
import { type ConfigEnv, addUnused, allocateLxcVolume, allocateQemuDrive, canonicalNet, dropReattachedUnused, isManagedVolume, uniqueTags, volidOf } from "./canonical";
import { forgetImage } from "./volumes";

/** A config change as the API hands it over: option values (wire strings, validated), deletions, reverts. */
export interface ConfigChange {
  /** option -> value as stored (numbers for integer options) */
  set: Record<string, string | number>;
  delete: string[];
  revert: string[];
  /** `force`: delete volumes instead of keeping them as `unusedN` */
  force: boolean;
}

/** Where an update writes its task log (POST …/config) or nothing (PUT). */
export interface UpdateLog {
  info(line: string): void;
  warn(line: string): void;
}

/** Options applied to a running QEMU VM at once (qemu-server src/PVE/QemuServer.pm $fast_plug_option, plus cloud-init options). */
const QEMU_FAST_PLUG = /^(description|hookscript|lock|migrate_downtime|migrate_speed|name|onboot|protection|shares|startup|tags|vmstatestorage|ciuser|cipassword|citype|ciupgrade|cicustom|sshkeys|nameserver|searchdomain|ipconfig\d+)$/;
/** Options applied to a running container at once (pve-container src/PVE/LXC/Config.pm $LXC_FASTPLUG_OPTIONS). */
const LXC_FAST_PLUG = /^(description|onboot|startup|protection|hostname|hookscript|cores|tags|lock)$/;

const DELETE_KEY = "delete";

function parsePendingDelete(text: string | number | undefined): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const entry of String(text ?? "").split(/[,;\s]+/).filter(Boolean)) out.set(entry.replace(/^!/, ""), entry.startsWith("!"));
  return out;
}

function setPendingDelete(pending: GuestConfig, map: Map<string, boolean>): void {
  if (map.size === 0) delete pending[DELETE_KEY];
  else pending[DELETE_KEY] = [...map.keys()].sort().map((k) => (map.get(k) ? `!${k}` : k)).join(",");
}

/** PVE::AbstractConfig::cleanup_pending: drop pending values equal to the current ones and deletions of absent keys. */
function cleanupPending(g: GuestState): void {
  const pending = g.pending ?? {};
  for (const key of Object.keys(pending)) {
    if (key !== DELETE_KEY && g.config[key] !== undefined && String(pending[key]) === String(g.config[key])) delete pending[key];
  }
  const dels = parsePendingDelete(pending[DELETE_KEY]);
  for (const key of [...dels.keys()]) if (g.config[key] === undefined) dels.delete(key);
  setPendingDelete(pending, dels);
  if (Object.keys(pending).length === 0) delete g.pending;
  else g.pending = pending;
}

/** Frees a volume (it is gone from the storage). */
function freeVolume(env: ConfigEnv, value: string | number, log: UpdateLog): void {
  const volid = volidOf(value);
  forgetImage(env.state, volid);
  log.info(`Removing image: 100% complete...done. (${volid})`);
}

/** Whether a running guest takes this change at once (hot-plug) or keeps it pending until its next start. */
function hotpluggable(g: GuestState, key: string, value: string | number | undefined, deleting: boolean): boolean {
  if (g.type === "lxc") {
    if (LXC_FAST_PLUG.test(key)) return true;
    if (/^(cpulimit|cpuunits|memory|swap)$/.test(key) || /^net\d+$/.test(key)) return true;
    if (deleting) return /^unused\d+$/.test(key);
    return /^mp\d+$/.test(key) && g.config[key] === undefined;
  }
  if (QEMU_FAST_PLUG.test(key)) return true;
  const features = String(g.config.hotplug ?? "1");
  const enabled = (f: string): boolean => (features === "1" ? ["network", "disk", "usb"].includes(f) : features !== "0" && features.split(/[,;\s]+/).includes(f));
  if (/^net\d+$/.test(key)) return enabled("network");
  if (/^(cpuunits|cpulimit)$/.test(key)) return true;
  if (key === "memory") return enabled("memory");
  if (key === "vcpus") return enabled("cpu");
  if (DISK_KEY.test(key) && !key.startsWith("unused")) {
    if (/^(efidisk|tpmstate)/.test(key)) return false;
    const text = String(value ?? g.config[key] ?? "");
    if (!deleting && /(^|,)media=cdrom/.test(text) && g.config[key] !== undefined) return true; // change of medium
    return enabled("disk") && !/^(ide|sata)\d+$/.test(key);
  }
  return false;
}

/**
 * Applies a config change as PVE does (qemu-server src/PVE/API2/Qemu.pm $update_vm_api,
 * pve-container PVE::LXC::Config::update_pct_config): values go to the pending section
 * (disks allocated, NICs given MACs, tags made unique), then a stopped guest takes them all
 * (vmconfig_apply_pending) and a running one those it can hot-plug (vmconfig_hotplug_pending);
 * the rest stay pending until the next start. Detached volumes become `unusedN`; deleting an
 * `unusedN` frees its volume.
 */
export function updateConfig(env: ConfigEnv, g: GuestState, change: ConfigChange, log: UpdateLog): void {
  const pending: GuestConfig = { ...(g.pending ?? {}) };
  g.pending = pending;
  const dels = parsePendingDelete(pending[DELETE_KEY]);
  const modified = new Set<string>();

  for (const key of change.revert) {
    delete pending[key];
    dels.delete(key);
  }
  setPendingDelete(pending, dels);

  for (const key of change.delete) {
    const current = g.config[key] ?? pending[key];
    if (current === undefined) {
      log.warn(`cannot delete '${key}' - not set in current configuration!`);
      continue;
    }
    modified.add(key);
    if (g.type === "lxc" && /^(memory|rootfs|ostype)$/.test(key)) throw new Error(`unable to delete required option '${key}'`);
    if (g.type === "lxc" && key === "unprivileged") throw new Error(`unable to delete read-only option: '${key}'`);
    const isPendingValue = pending[key] !== undefined;
    if (/^unused\d+$/.test(key)) {
      if (g.config.protection) throw new Error(`can't remove unused disk '${volidOf(current)}' - protection mode enabled`);
      freeVolume(env, current, log);
      delete g.config[key];
      delete pending[key];
      continue;
    }
    if (DISK_KEY.test(key) && g.config.protection) throw new Error(`can't remove drive '${key}' - protection mode enabled`);
    delete pending[key];
    if (isPendingValue && DISK_KEY.test(key)) addUnused(g.config, key, current, env.state);
    if (key === "tags" && g.type === "qemu") {
      delete g.config[key];
      continue;
    }
    dels.set(key, change.force);
  }
  setPendingDelete(pending, dels);

  for (const [key, raw] of Object.entries(change.set)) {
    modified.add(key);
    let value: string | number = raw;
    if (pending[key] !== undefined && String(pending[key]) === String(value)) continue;
    if (key === "tags") value = uniqueTags(String(raw));
    else if (/^net\d+$/.test(key) && g.type === "qemu") value = canonicalNet(env, g.type, key, String(raw));
    else if (DISK_KEY.test(key) && !key.startsWith("unused")) {
      if (g.type === "lxc" && g.config.protection) throw new Error(`can't update CT ${g.vmid} drive '${key}' - protection mode enabled`);
      if (pending[key] !== undefined) addUnused(g.config, key, pending[key] as string, env.state);
      if (g.type === "qemu") {
        const r = allocateQemuDrive(env, g, key, String(raw));
        value = r.value;
        if (r.log) log.info(r.log);
      } else {
        value = allocateLxcVolume(env, g, key, String(raw));
      }
    }
    pending[key] = value;
    dels.delete(key);
  }
  setPendingDelete(pending, dels);
  cleanupPending(g);

  if (g.status === "running") hotplugPending(env, g, modified, log);
  else applyPending(env, g, log);
  dropReattachedUnused(g.config);
}

/** vmconfig_apply_pending: a stopped guest takes every pending change (also called at start). */
export function applyPending(env: ConfigEnv, g: GuestState, log: UpdateLog = { info: () => {}, warn: () => {} }): void {
  const pending = g.pending;
  if (!pending) return;
  const dels = parsePendingDelete(pending[DELETE_KEY]);
  for (const [key, force] of dels) {
    const current = g.config[key];
    if (current !== undefined && DISK_KEY.test(key)) {
      if (force && isManagedVolume(key, current)) freeVolume(env, current, log);
      else addUnused(g.config, key, current, env.state);
    }
    delete g.config[key];
  }
  delete pending[DELETE_KEY];
  for (const [key, value] of Object.entries(pending)) {
    const current = g.config[key];
    if (current !== undefined && DISK_KEY.test(key) && volidOf(current) !== volidOf(value)) addUnused(g.config, key, current, env.state);
    g.config[key] = g.type === "lxc" && /^net\d+$/.test(key) ? canonicalNet(env, "lxc", key, String(value)) : value;
  }
  delete g.pending;
  dropReattachedUnused(g.config);
}

/** vmconfig_hotplug_pending: a running guest takes what it can hot-plug; the rest stays pending. */
function hotplugPending(env: ConfigEnv, g: GuestState, modified: ReadonlySet<string>, log: UpdateLog): void {
  const pending = g.pending;
  if (!pending) return;
  const dels = parsePendingDelete(pending[DELETE_KEY]);
  for (const [key, force] of [...dels]) {
    if (!modified.has(key) || !hotpluggable(g, key, undefined, true)) continue;
    const current = g.config[key];
    if (current !== undefined && DISK_KEY.test(key)) {
      if (force && isManagedVolume(key, current)) freeVolume(env, current, log);
      else addUnused(g.config, key, current, env.state);
    }
    delete g.config[key];
    dels.delete(key);
  }
  setPendingDelete(pending, dels);
  for (const [key, value] of Object.entries(pending)) {
    if (key === DELETE_KEY || !modified.has(key) || !hotpluggable(g, key, value, false)) continue;
    const current = g.config[key];
    if (current !== undefined && DISK_KEY.test(key) && volidOf(current) !== volidOf(value)) addUnused(g.config, key, current, env.state);
    g.config[key] = g.type === "lxc" && /^net\d+$/.test(key) ? canonicalNet(env, "lxc", key, String(value)) : value;
    delete pending[key];
  }
  cleanupPending(g);
}

/** The config with pending changes taken in, as `GET …/config` shows it (PVE::AbstractConfig::load_current_config). */
export function configWithPending(g: GuestState): GuestConfig {
  if (!g.pending) return g.config;
  const out: GuestConfig = { ...g.config };
  for (const [key, value] of Object.entries(g.pending)) if (key !== DELETE_KEY) out[key] = value;
  for (const key of parsePendingDelete(g.pending[DELETE_KEY]).keys()) delete out[key];
  return out;
}

/** `GET …/pending` rows (PVE::GuestHelpers::config_with_pending_array). */
export function pendingRows(g: GuestState): Record<string, unknown>[] {
  const pending = { ...(g.pending ?? {}) };
  const dels = parsePendingDelete(pending[DELETE_KEY]);
  delete pending[DELETE_KEY];
  const rows: Record<string, unknown>[] = [];
  for (const [key, value] of Object.entries(g.config)) {
    const row: Record<string, unknown> = { key, value: String(value) };
    if (pending[key] !== undefined) row.pending = String(pending[key]);
    delete pending[key];
    if (dels.has(key)) row.delete = dels.get(key) ? 2 : 1;
    dels.delete(key);
    rows.push(row);
  }
  for (const [key, value] of Object.entries(pending)) rows.push({ key, pending: String(value) });
  for (const [key, force] of dels) rows.push({ key, delete: force ? 2 : 1 });
  return rows;
}
