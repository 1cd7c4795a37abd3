import { guestVolumes, memoryMiB } from "../guest-view";
import { fail, paramError } from "../pve-http-error";
import type { SimContext } from "../sim-context";
import type { GuestState, GuestType } from "../state-types";
import { driveMirrorProgress, formatHms, logTimestamp, ramMigrationProgress, renderBytes } from "../task-progress";
import { type TaskLog, type TaskStage, checkLock } from "../task-table";
import { noun } from "./endpoint";

/** Simulated durations: a live migration, an offline one (ms of virtual time). */
const ONLINE_MS = 20_000;
const OFFLINE_MS = 8000;
/** The share of a live migration spent mirroring local disks, when there are any. */
const DISK_SHARE = 0.4;

/** pve-guest-common AbstractMigrate.pm: every migration log line starts with the local time. */
const stamped = (log: TaskLog, at: number, line: string): void => log.info(`${logTimestamp(at)} ${line}`);

/** QemuMigrate.pm phase2: the xbzrle cache is 10 % of the memory, rounded up to a power of two. */
const cacheSize = (bytes: number): number => 2 ** Math.ceil(Math.log2(Math.max(2, bytes / 10)));

/**
 * `POST …/migrate` as qemu-server PVE/QemuMigrate.pm and pve-container PVE/LXC/Migrate.pm log it (through
 * pve-guest-common AbstractMigrate.pm, with time stamps): a live migration mirrors the VM's local disks
 * (BlockJob.pm lines, `drive-scsi0: transferred … (x%) in Ns`) and then its RAM (`migration active,
 * transferred 1.2 GiB of 4.0 GiB VM-state, …` each second) over the task's duration.
 */
export function migrate(ctx: SimContext, type: GuestType): unknown {
  const g = ctx.guest(type);
  ctx.check(`/vms/${g.vmid}`, ["VM.Migrate"]);
  const targetName = ctx.req("target");
  if (targetName === g.node) throw paramError({ target: "target is local node." });
  const target = ctx.state.nodes.find((n) => n.name === targetName);
  if (!target) throw fail(`no such cluster node '${targetName}'`);
  if (!target.online) throw fail(`target node '${targetName}' is not online`);
  const running = g.status === "running";
  if (running && type === "qemu" && !ctx.bool("online")) throw fail("can't migrate running VM without --online");
  if (running && type === "lxc") {
    if (ctx.bool("online")) throw fail("lxc live migration is currently not implemented");
    if (!ctx.bool("restart")) throw fail("running container can only be migrated in restart mode");
  }
  const local = guestVolumes(g).filter((d) => !ctx.state.storages.find((s) => s.storage === d.volid.split(":")[0])?.shared);
  let started = 0;
  const head = (log: TaskLog, at: number): void => {
    started = at;
    if (type === "lxc" && running) stamped(log, at, `shutdown CT ${g.vmid}`);
    stamped(log, at, `starting migration of ${noun(type)} ${g.vmid} to node '${targetName}' (${target.ip})`);
    for (const d of local) {
      const where = d.key.startsWith("unused") ? "" : type === "qemu" ? " (attached)" : " (in current VM config)";
      stamped(log, at, `found local ${type === "qemu" ? "disk" : "volume"} '${d.volid}'${where}`);
    }
  };
  const finished = (log: TaskLog, at: number): void => stamped(log, at, `migration finished successfully (duration ${formatHms((at - started) / 1000)})`);
  const stages: TaskStage[] =
    type === "qemu" && running
      ? liveStages(g, targetName, local, head, finished)
      : [
          {
            durationMs: OFFLINE_MS,
            begin: (log, at) => {
              head(log, at);
              if (local.length && type === "qemu") stamped(log, at, "copying local disk images");
            },
            end: (log, at) => {
              for (const d of local) stamped(log, at, `volume '${d.volid}' is '${d.volid}' on the target`);
              if (type === "lxc") {
                stamped(log, at, "start final cleanup");
                if (running) stamped(log, at, "start container on target node");
              }
              finished(log, at);
            },
          },
        ];
  return ctx.task({
    type: type === "qemu" ? "qmigrate" : "vzmigrate",
    id: String(g.vmid),
    durationMs: running ? ONLINE_MS : OFFLINE_MS,
    check: () => checkLock(g),
    lock: { guest: g, name: "migrate" },
    stages,
    run: () => {
      g.node = targetName;
    },
  });
}

/** A running VM: its local disks mirrored one after the other over NBD, then its RAM. */
function liveStages(
  g: GuestState,
  targetName: string,
  local: { key: string; volid: string; size: number }[],
  head: (log: TaskLog, at: number) => void,
  finished: (log: TaskLog, at: number) => void,
): TaskStage[] {
  const ram = memoryMiB(g) * 1024 ** 2;
  const diskBytes = local.reduce((n, d) => n + d.size, 0);
  const diskMs = local.length ? ONLINE_MS * DISK_SHARE : 0;
  const setup: TaskStage = {
    durationMs: 0,
    begin: (log, at) => {
      head(log, at);
      stamped(log, at, `starting VM ${g.vmid} on remote node '${targetName}'`);
      stamped(log, at, "start remote tunnel");
      stamped(log, at, "ssh tunnel ver 1");
      if (local.length) stamped(log, at, "starting storage migration");
    },
  };
  const disks: TaskStage[] = local.map((d) => ({
    durationMs: diskBytes ? (diskMs * d.size) / diskBytes : diskMs / local.length,
    begin: (log, at) => stamped(log, at, `${d.key}: start migration to nbd:unix:/run/qemu-server/${g.vmid}_nbd.migrate:exportname=drive-${d.key}`),
    progress: driveMirrorProgress(d.key, d.size),
  }));
  let ramStart = 0;
  const memory: TaskStage = {
    durationMs: ONLINE_MS - diskMs,
    begin: (log, at) => {
      ramStart = at;
      if (local.length) stamped(log, at, "switching mirror jobs to actively synced mode");
      stamped(log, at, `starting online/live migration on unix:/run/qemu-server/${g.vmid}.migrate`);
      stamped(log, at, "set migration capabilities");
      stamped(log, at, "migration downtime limit: 100 ms");
      stamped(log, at, `migration cachesize: ${renderBytes(cacheSize(ram), 1)}`);
      stamped(log, at, "set migration parameters");
      stamped(log, at, `start migrate command to unix:/run/qemu-server/${g.vmid}.migrate`);
    },
    progress: ramMigrationProgress(ram),
    end: (log, at) => {
      const seconds = (at - ramStart) / 1000;
      if (seconds > 0) stamped(log, at, `average migration speed: ${renderBytes(ram / seconds, 1)}/s - downtime 54 ms`);
      stamped(log, at, `migration completed, transferred ${renderBytes(ram, 1)} VM-state`);
      stamped(log, at, "migration status: completed");
      for (const d of local) {
        log.info(`drive-${d.key}: Completing block job...`);
        log.info(`drive-${d.key}: Completed successfully.`);
        log.info(`drive-${d.key}: mirror-job finished`);
      }
      if (local.length) stamped(log, at, "stopping NBD storage migration server on target.");
      finished(log, at);
    },
  };
  return [setup, ...disks, memory];
}
