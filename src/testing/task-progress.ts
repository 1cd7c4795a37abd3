import type { TaskProgress } from "./task-table";

/**
 * The progress lines PVE's workers write into their task logs, with PVE's own formatting. The
 * simulator makes them up from a task's simulated duration; each format cites where PVE prints it.
 */

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

/** pve-common src/PVE/Format.pm render_bytes: `32.0 GiB` (precision 1), `22.40 GiB` (default 2). */
export function renderBytes(value: number, precision = 2): string {
  let unit = 0;
  if (value > 1023) {
    unit = Math.min(UNITS.length - 1, Math.floor(Math.log(value) / Math.log(1024)));
    value /= 1024 ** unit;
  }
  return `${value.toFixed(precision)} ${UNITS[unit]}`;
}

/** pve-common src/PVE/Format.pm render_duration: `0s`, `45s`, `1m 5s`, `2h 3m 1s`. */
export function renderDuration(seconds: number): string {
  let rest = Math.round(seconds);
  if (!rest) return "0s";
  const parts: string[] = [];
  for (const [unit, len] of [["w", 604_800], ["d", 86_400], ["h", 3600], ["m", 60], ["s", 1]] as const) {
    const v = Math.floor(rest / len);
    if (v > 0) {
      parts.push(`${v}${unit}`);
      rest -= v * len;
    }
  }
  return parts.join(" ");
}

/** pve-manager PVE/VZDump.pm format_time: `00:01:42`. */
export function formatHms(seconds: number): string {
  const s = Math.floor(seconds);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

/** strftime("%F %H:%M:%S") of a virtual time (the simulated hosts run on UTC). */
export function logTimestamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}

/** A backup archive's time stamp, pve-manager PVE/VZDump.pm: strftime("%Y_%m_%d-%H_%M_%S") (UTC here). */
export function vzdumpStamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace(/[-:]/g, "_").replace("T", "-");
}

/** pve-manager PVE/VZDump.pm format_size (archive sizes): `812MB`, `3.20GB`. */
export function vzdumpSize(bytes: number): string {
  const kb = bytes / 1024;
  if (kb < 1024) return `${Math.floor(kb)}KB`;
  const mb = kb / 1024;
  if (mb < 1024) return `${Math.floor(mb)}MB`;
  const gb = mb / 1024;
  return gb < 1024 ? `${gb.toFixed(2)}GB` : `${(gb / 1024).toFixed(2)}TB`;
}

/** The share of a guest's disks that is zeroes (what makes a backup "sparse"). */
export const SPARSE_SHARE = 0.7;

/**
 * vzdump of a VM (qemu-server src/PVE/VZDump/QemuServer.pm): QEMU's backup job polled every second,
 * a status line when the percentage changed and more than 2 s passed since the last one, and a last
 * one at 100 %: `INFO:  30% (9.6 GiB of 32.0 GiB) in 3s, read: 3.2 GiB/s, write: 983.0 MiB/s`.
 */
export function vzdumpQemuProgress(targetBytes: number): TaskProgress {
  let lastBytes = 0;
  let lastMs = 0;
  const mbps = (bytes: number, seconds: number) => (bytes <= 0 ? "0 B/s" : `${renderBytes(Math.floor(bytes / seconds), 1)}/s`);
  return {
    everyMs: 3000,
    line: (fraction, elapsedMs) => {
      if (fraction === 0) return undefined;
      const transferred = Math.floor(targetBytes * fraction);
      const seconds = Math.max(1, Math.round((elapsedMs - lastMs) / 1000));
      const read = transferred - lastBytes;
      lastBytes = transferred;
      lastMs = elapsedMs;
      const percent = String(Math.floor(fraction * 100)).padStart(3);
      return (
        `INFO: ${percent}% (${renderBytes(transferred, 1)} of ${renderBytes(targetBytes, 1)}) in ${renderDuration(elapsedMs / 1000)}` +
        `, read: ${mbps(read, seconds)}, write: ${mbps(read * (1 - SPARSE_SHARE), seconds)}`
      );
    },
  };
}

/**
 * qemu-img convert with `-p` (qemu-server src/PVE/QemuServer/QemuImage.pm convert): qemu-img reports
 * each percent, PVE prints `transferred 3.2 GiB of 32.0 GiB (10.00%)` — whatever the copy's speed.
 */
export function qemuImgProgress(sizeBytes: number): TaskProgress {
  return {
    steps: 100,
    line: (fraction) => {
      const percent = Math.round(fraction * 100);
      return `transferred ${renderBytes(Math.floor((sizeBytes * percent) / 100), 1)} of ${renderBytes(sizeBytes, 1)} (${percent.toFixed(2)}%)`;
    },
  };
}

/**
 * A drive mirror block job of a running VM (qemu-server src/PVE/QemuServer/BlockJob.pm monitor), polled
 * each second: `drive-scsi0: transferred 9.6 GiB of 32.0 GiB (30.00%) in 3s`, `…, ready` at the end, then
 * `all 'mirror' jobs are ready`.
 */
export function driveMirrorProgress(drive: string, sizeBytes: number): TaskProgress {
  return {
    everyMs: 1000,
    line: (fraction, elapsedMs) => {
      const status = `drive-${drive}: transferred ${renderBytes(Math.floor(sizeBytes * fraction), 1)} of ${renderBytes(sizeBytes, 1)} (${(fraction * 100).toFixed(2)}%) in ${renderDuration(elapsedMs / 1000)}`;
      if (fraction === 0) return [`drive mirror is starting for drive-${drive}`, status];
      return fraction < 1 ? status : [`${status}, ready`, "all 'mirror' jobs are ready"];
    },
  };
}

/**
 * Live migration of a VM's RAM (qemu-server src/PVE/QemuMigrate.pm phase2), polled each second, each
 * line with the migration log's timestamp (pve-guest-common AbstractMigrate.pm):
 * `2026-01-01 10:00:03 migration active, transferred 1.2 GiB of 4.0 GiB VM-state, 409.6 MiB/s`.
 */
export function ramMigrationProgress(ramBytes: number): TaskProgress {
  return {
    everyMs: 1000,
    line: (fraction, elapsedMs, atMs) => {
      if (fraction <= 0 || fraction >= 1) return undefined;
      const transferred = Math.floor(ramBytes * fraction);
      const speed = transferred / Math.max(1, elapsedMs / 1000);
      return `${logTimestamp(atMs)} migration active, transferred ${renderBytes(transferred, 1)} of ${renderBytes(ramBytes, 1)} VM-state, ${renderBytes(speed, 1)}/s`;
    },
  };
}
