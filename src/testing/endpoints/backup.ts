import { randomUUID } from "node:crypto";
import { guestVolumes, maxDisk } from "../guest-view";
import { fail } from "../pve-http-error";
import type { SimContext } from "../sim-context";
import { formatSize } from "../size";
import type { GuestConfig, GuestState, StorageState } from "../state-types";
import { SPARSE_SHARE, formatHms, logTimestamp, renderBytes, vzdumpQemuProgress, vzdumpSize, vzdumpStamp } from "../task-progress";
import { type TaskStage, checkLock } from "../task-table";
import { type Endpoint, on } from "./endpoint";

/** Simulated time one guest's backup takes (ms of virtual time). */
const GUEST_BACKUP_MS = 10_000;

/** The config a backup keeps: without the lock it holds while being backed up, nor its snapshot parent. */
function backedUpConfig(g: GuestState): GuestConfig {
  const { lock: _l, parent: _p, ...config } = g.config;
  return config;
}

/** Where a storage keeps backups: `<path>/dump` (network storages are mounted at /mnt/pve/<id>). */
function dumpDir(s: StorageState): string {
  const path = s.options?.path ?? (["nfs", "cifs", "cephfs", "glusterfs"].includes(s.type) ? `/mnt/pve/${s.storage}` : "/var/lib/vz");
  return `${String(path)}/dump`;
}

interface Job {
  node: string;
  storageId: string;
  storage: StorageState;
  mode: string;
  notesTemplate: string | undefined;
  isProtected: boolean;
  errors: number;
}

/**
 * One guest's part of a vzdump job, as pve-manager PVE/VZDump.pm exec_backup_task logs it: start lines,
 * the guest's lock (`VM is locked (snapshot)` fails this guest only), the plugin's lines (qemu-server
 * PVE/VZDump/QemuServer.pm, pve-container PVE/VZDump/LXC.pm), QEMU's progress, the archive, the end.
 */
function guestStage(ctx: SimContext, job: Job, vmid: number): TaskStage {
  const g = ctx.state.guests.get(vmid);
  let backupTime = 0;
  let archive = "";
  const kind = g?.type === "lxc" ? "lxc" : "qemu";
  const disks = g ? guestVolumes(g).filter((d) => !d.key.startsWith("unused")) : [];
  const total = disks.reduce((n, d) => n + d.size, 0) || (g ? maxDisk(g) : 0);
  return {
    durationMs: g ? GUEST_BACKUP_MS : 0,
    ...(g ? { lock: { guest: g, name: "backup" } } : {}),
    begin: (log, at) => {
      if (!g) throw new Error(`unable to find VM '${vmid}'`);
      backupTime = at;
      const running = g.status === "running";
      log.info(`INFO: Starting Backup of VM ${vmid} (${kind})`);
      log.info(`INFO: Backup started at ${logTimestamp(at)}`);
      log.info(`INFO: status = ${running ? "running" : "stopped"}`);
      checkLock(g); // the plugin's lock_vm: set_lock dies on another lock
      const mode = running ? job.mode : "stop";
      const ext = kind === "qemu" ? "vma.zst" : "tar.zst";
      archive = `vzdump-${kind}-${vmid}-${vzdumpStamp(at)}.${ext}`;
      const name = kind === "qemu" ? g.config.name : g.config.hostname;
      const prepare =
        kind === "qemu"
          ? [...(name !== undefined ? [`INFO: VM Name: ${name}`] : []), ...disks.map((d) => `INFO: include disk '${d.key}' '${d.volid}' ${formatSize(d.size)}`)]
          : [`INFO: CT Name: ${name ?? `CT${vmid}`}`, ...disks.map((d) => (d.key === "rootfs" ? "INFO: including mount point rootfs ('/') in backup" : `INFO: including mount point ${d.key} in backup`))];
      // VZDump.pm: a snapshot-mode backup prepares before naming the mode, the other modes after
      if (mode === "snapshot") prepare.forEach((l) => log.info(l));
      log.info(`INFO: backup mode: ${mode}`);
      log.info("INFO: ionice priority: 7");
      if (mode !== "snapshot") prepare.forEach((l) => log.info(l));
      if (kind === "lxc" && mode === "snapshot") log.info("INFO: create storage snapshot 'vzdump'");
      log.info(`INFO: creating vzdump archive '${dumpDir(job.storage)}/${archive}'`);
      if (kind === "qemu") {
        if (!running) log.info("INFO: starting kvm to execute backup task");
        log.info(`INFO: started backup task '${randomUUID()}'`);
        if (running && !g.paused) log.info("INFO: resuming VM again");
      }
    },
    ...(kind === "qemu" && total > 0 ? { progress: vzdumpQemuProgress(total) } : {}),
    end: (log, at) => {
      if (!g) return;
      const seconds = Math.round((at - backupTime) / 1000);
      const size = Math.max(1, Math.round(total * 0.1));
      if (kind === "qemu") {
        log.info(`INFO: backup is sparse: ${renderBytes(total * SPARSE_SHARE)} (${Math.floor(SPARSE_SHARE * 100)}%) total zero data`);
        log.info(seconds ? `INFO: transferred ${renderBytes(total)} in ${seconds} seconds (${renderBytes(total / seconds, 1)}/s)` : `INFO: transferred ${renderBytes(total)} in <1 seconds`);
        if (g.status !== "running") log.info("INFO: stopping kvm after backup task");
      } else {
        log.info(`INFO: Total bytes written: ${Math.round(total * (1 - SPARSE_SHARE))} (${renderBytes(total * (1 - SPARSE_SHARE), 1).replace(" ", "")})`);
      }
      log.info(`INFO: archive file size: ${vzdumpSize(size)}`);
      const name = String(g.config.name ?? g.config.hostname ?? vmid);
      if (job.notesTemplate) log.info("INFO: adding notes to backup");
      if (job.isProtected) log.info("INFO: marking backup as protected");
      if (kind === "lxc" && g.status === "running" && job.mode === "snapshot") log.info("INFO: cleanup temporary 'vzdump' snapshot");
      const key = job.storage.shared ? "*" : job.node;
      (job.storage.volumes[key] ??= []).push({
        volid: `${job.storageId}:backup/${archive}`,
        content: "backup",
        format: kind === "qemu" ? "vma.zst" : "tar.zst",
        size,
        ctime: Math.floor(backupTime / 1000),
        vmid,
        ...(job.notesTemplate ? { notes: job.notesTemplate.replace(/\{\{guestname\}\}/g, name).replace(/\{\{vmid\}\}/g, String(vmid)) } : {}),
        ...(job.isProtected ? { protected: true } : {}),
        config: backedUpConfig(g),
      });
      log.info(`INFO: Finished Backup of VM ${vmid} (${formatHms(seconds)})`);
      log.info(`INFO: Backup finished at ${logTimestamp(at)}`);
    },
    failed: (error, log, at) => {
      job.errors++;
      log.info(`ERROR: Backup of VM ${vmid} failed - ${error}`);
      log.info(`INFO: Failed at ${logTimestamp(at)}`);
    },
  };
}

/**
 * `POST /nodes/{node}/vzdump` (pve-manager PVE/API2/VZDump.pm, PVE/VZDump.pm exec_backup): one task
 * backing up this node's selected guests in VMID order, one after another. A guest that fails (locked,
 * unknown VMID) is logged as failed and the job goes on; the task then ends with `job errors`.
 */
function vzdump(ctx: SimContext): unknown {
  const node = ctx.node();
  const storageId = ctx.str("storage") ?? "local";
  const storage = ctx.state.storages.find((s) => s.storage === storageId);
  if (!storage) throw fail(`storage '${storageId}' does not exist`);
  if (!storage.content.includes("backup")) throw fail(`storage '${storageId}' does not support backups`);
  ctx.check(`/storage/${storageId}`, ["Datastore.AllocateSpace"]);
  const ids = ctx.bool("all")
    ? [...ctx.state.guests.values()].filter((g) => g.node === node.name).map((g) => g.vmid)
    : (ctx.str("vmid") ?? "").split(/[,; ]+/).filter(Boolean).map(Number);
  if (ids.length === 0) throw fail("no guests selected - use 'vmid' or 'all'");
  // VZDump.pm get_included_guests: guests on other nodes are skipped; unknown VMIDs stay, to fail visibly
  const local: number[] = [];
  const external: number[] = [];
  for (const id of ids) {
    const g = ctx.state.guests.get(id);
    if (g) ctx.check(`/vms/${id}`, ["VM.Backup"]);
    if (!g || g.node === node.name) local.push(id);
    else external.push(id);
  }
  // PVE/API2/VZDump.pm: nothing local to back up (the guests run elsewhere) is a silent success
  if (local.length === 0) return ctx.route.upid ? "OK" : null;
  const job: Job = {
    node: node.name,
    storageId,
    storage,
    mode: ctx.str("mode") ?? "snapshot",
    notesTemplate: ctx.str("notes-template"),
    isProtected: ctx.bool("protected"),
    errors: 0,
  };
  const stages = [...local].sort((a, b) => a - b).map((id) => guestStage(ctx, job, id));
  return ctx.task({
    type: "vzdump",
    id: local.length === 1 ? String(local[0]) : "",
    durationMs: GUEST_BACKUP_MS * stages.length,
    stages,
    startLog: [
      `INFO: starting new backup job: vzdump ${ids.join(" ")} --storage ${storageId} --mode ${job.mode}`,
      ...(external.length ? [`INFO: skip external VMs: ${[...external].sort((a, b) => a - b).join(", ")}`] : []),
    ],
    run: (log) => {
      log.info(job.errors ? "INFO: Backup job finished with errors" : "INFO: Backup job finished successfully");
      if (job.errors) throw new Error("job errors");
    },
  });
}

export const backupEndpoints: Endpoint[] = [on("POST /nodes/{node}/vzdump", vzdump)];
