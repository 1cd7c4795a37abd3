import { DISK_KEY } from "../guest-view";
import { fail } from "../pve-http-error";
import type { SimContext } from "../sim-context";
import { nextVolid } from "../guest-config/volumes";
import type { ClusterState, GuestConfig, GuestState, GuestType, VolumeState } from "../state-types";
import { lockedMessage } from "../task-table";
import { noun } from "./endpoint";

/** The archive a create request restores from: qemu's `archive`, lxc's `ostemplate` with `restore=1`. */
export function restoreArchive(ctx: SimContext, type: GuestType): string | undefined {
  if (type === "qemu") return ctx.str("archive");
  return ctx.bool("restore") ? ctx.str("ostemplate") : undefined;
}

/**
 * The existing guest a restore may replace, checked as PVE does: only with `force=1`, only a
 * guest of the same type on this node, not locked, not protected, not running.
 */
export function replaceableGuest(ctx: SimContext, type: GuestType, vmid: number, node: string): GuestState | undefined {
  const existing = ctx.state.guests.get(vmid);
  if (!existing) return undefined;
  const emsg = `unable to restore ${noun(type)} ${vmid} -`;
  if (!ctx.bool("force") || existing.type !== type || existing.node !== node) {
    throw fail(`${emsg} ${noun(existing.type)} ${vmid} already exists on node '${existing.node}'`);
  }
  if (existing.config.lock !== undefined) throw fail(`${emsg} ${lockedMessage(existing)}`);
  if (existing.config.protection) throw fail(`${emsg} protection mode enabled`);
  if (existing.status === "running") throw fail(type === "qemu" ? `${emsg} vm is running` : `${emsg} can't overwrite running container`);
  return existing;
}

/** The backup volume `archive` names, on `node` or a shared storage; undefined when the simulator has no such volume. */
export function findBackup(ctx: SimContext, archive: string, node: string): VolumeState | undefined {
  const storage = ctx.state.storages.find((s) => archive.startsWith(`${s.storage}:`));
  if (!storage) return undefined;
  return storage.volumes[storage.shared ? "*" : node]?.find((v) => v.volid === archive && v.content === "backup");
}

/**
 * The config a restore writes: the backed-up config with its disks allocated anew for `vmid`
 * (on `storage` when given), like qmrestore / pct restore do (old volumes are removed first, so
 * names start again at disk-0).
 */
export function restoredConfig(state: ClusterState, backup: GuestConfig | undefined, vmid: number, storage: string | undefined): GuestConfig {
  const out: GuestConfig = {};
  const taken = new Set<string>();
  for (const [key, value] of Object.entries(backup ?? {})) {
    const text = String(value);
    const volid = text.split(",")[0] as string;
    if (!DISK_KEY.test(key) || /(^|,)media=cdrom/.test(text) || !volid.includes(":")) {
      out[key] = value;
      continue;
    }
    if (key.startsWith("unused")) continue; // vzdump does not back up unused volumes
    const rest = text.split(",").slice(1).join(",");
    const target = state.storages.find((s) => s.storage === (storage ?? volid.split(":")[0]));
    const fresh = target ? nextVolid(target, vmid, taken) : `${storage ?? volid.split(":")[0]}:vm-${vmid}-disk-${taken.size}`;
    taken.add(fresh);
    out[key] = `${fresh}${rest ? `,${rest}` : ""}`;
  }
  return out;
}
