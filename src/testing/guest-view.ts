import { diskSizeOf } from "./size";
import type { GuestConfig, GuestState } from "./state-types";

const MiB = 1024 ** 2;

/** Config keys that hold volumes (disks, mount points, unused volumes). */
export const DISK_KEY = /^(ide|sata|scsi|virtio|mp|unused)\d+$|^(efidisk0|tpmstate0|rootfs)$/;

/** Disks of a guest that live on a storage (not CD-ROMs, not `none`). */
export function guestVolumes(g: GuestState): { key: string; volid: string; size: number }[] {
  const out: { key: string; volid: string; size: number }[] = [];
  for (const [key, value] of Object.entries(g.config)) {
    if (!DISK_KEY.test(key)) continue;
    const text = String(value);
    if (/(^|,)media=cdrom/.test(text)) continue;
    const volid = text.split(",")[0] as string;
    if (!volid.includes(":")) continue;
    out.push({ key, volid, size: diskSizeOf(text) });
  }
  return out;
}

/** The boot disk size (what PVE reports as `maxdisk`). */
export function maxDisk(g: GuestState): number {
  if (g.type === "lxc") return diskSizeOf(g.config.rootfs ?? "");
  for (const key in g.config) {
    if (key.startsWith("unused") || !DISK_KEY.test(key)) continue;
    const text = String(g.config[key]);
    if (/(^|,)media=cdrom/.test(text) || !text.split(",", 1)[0]?.includes(":")) continue;
    return diskSizeOf(text);
  }
  return 0;
}

/** Memory in MiB; `memory` may be a number or a property string (`current=4096`, PVE 8.1+). */
export function memoryMiB(g: GuestState): number {
  const m = /(?:^|current=)(\d+)/.exec(String(g.config.memory ?? "512"));
  return m ? Number(m[1]) : 512;
}

const isRunning = (g: GuestState): boolean => g.status === "running";

/**
 * The vCPUs PVE reports for a guest (`cpus`; `maxcpu` in /cluster/resources). qemu-server
 * PVE/QemuServer.pm vmstatus: sockets × cores, capped at the host's CPU threads, unless `vcpus` is set;
 * pve-container PVE/LXC.pm vmstatus: `cores`, else `cpulimit`, else the host's CPU threads.
 */
export function guestCpus(g: GuestState, hostCpus: number): number {
  const c = g.config;
  if (g.type === "lxc") return Number(c.cores ?? 0) || Number(c.cpulimit ?? 0) || hostCpus;
  if (c.vcpus !== undefined) return Number(c.vcpus);
  return Math.min(Number(c.sockets ?? 1) * Number(c.cores ?? 1), hostCpus);
}

/** The status fields shared by the guest lists and `status/current` (`hostCpus`: CPU threads of the guest's node). */
export function guestStatus(g: GuestState, nowMs: number, hostCpus: number): Record<string, unknown> {
  const maxmem = memoryMiB(g) * MiB;
  const cpus = guestCpus(g, hostCpus);
  const running = isRunning(g);
  const name = String(g.type === "qemu" ? (g.config.name ?? `VM ${g.vmid}`) : (g.config.hostname ?? `CT${g.vmid}`));
  const out: Record<string, unknown> = {
    vmid: g.vmid,
    name,
    status: g.status,
    cpus,
    maxmem,
    maxdisk: maxDisk(g),
    mem: running ? Math.round(maxmem * 0.4) : 0,
    cpu: running ? 0.03 : 0,
    uptime: running && g.startedAt !== undefined ? Math.max(0, Math.floor((nowMs - g.startedAt) / 1000)) : 0,
    netin: running ? 1_234_567 : 0,
    netout: running ? 765_432 : 0,
    diskread: running ? 9_876_543 : 0,
    diskwrite: running ? 4_567_890 : 0,
  };
  if (g.type === "lxc") {
    out.disk = running ? Math.round(maxDisk(g) * 0.3) : 0;
    out.maxswap = Number(g.config.swap ?? 0) * MiB;
  } else {
    out.qmpstatus = running ? (g.paused ? "paused" : "running") : "stopped";
    if (running) out.pid = 10_000 + g.vmid;
  }
  if (g.config.tags !== undefined) out.tags = String(g.config.tags);
  if (g.config.lock !== undefined) out.lock = String(g.config.lock);
  if (g.config.template) out.template = 1;
  return out;
}

/**
 * A guest as pvestatd's RRD data describes it and pve-manager PVE/API2Tools.pm extract_vm_stats returns it
 * (rows of `/cluster/resources` and pool members): `status` is QEMU's run state for a running VM
 * (pvestatd update_qemu_status: qmpstatus, so a paused VM is `paused`), `maxcpu` the reported vCPUs,
 * `memhost` (RRD format pve-vm-9.0) the host's view of a running VM's memory, 0 for containers.
 */
export function vmStatsRow(g: GuestState, nowMs: number, hostCpus: number): Record<string, unknown> {
  const s = guestStatus(g, nowMs, hostCpus);
  const running = g.status === "running";
  return {
    id: `${g.type}/${g.vmid}`,
    vmid: g.vmid,
    node: g.node,
    type: g.type,
    status: g.type === "qemu" ? s.qmpstatus : s.status,
    uptime: s.uptime,
    name: s.name,
    template: g.config.template ? 1 : 0,
    maxcpu: s.cpus,
    cpu: s.cpu,
    maxmem: s.maxmem,
    mem: s.mem,
    maxdisk: s.maxdisk,
    disk: g.type === "lxc" ? s.disk : 0,
    netin: s.netin,
    netout: s.netout,
    diskread: s.diskread,
    diskwrite: s.diskwrite,
    memhost: g.type === "qemu" && running ? Math.round(Number(s.mem) * 1.05) : 0,
  };
}
