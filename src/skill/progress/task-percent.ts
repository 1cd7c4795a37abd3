/**
 * How far a task is, read from the lines PVE writes into its task log. Only formats PVE really
 * prints are recognised (each row cites where), so an unrelated number never passes for progress.
 */

interface PercentRule {
  /** Where PVE prints this line. */
  source: string;
  match(line: string): number | undefined;
}

const UNITS: Record<string, number> = { B: 1, KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30, TiB: 2 ** 40, PiB: 2 ** 50 };

/** PVE::Tools::render_bytes output (`1.5 GiB`) in bytes. */
function bytes(value: string, unit: string): number | undefined {
  const scale = UNITS[unit];
  const n = Number(value);
  return scale === undefined || !Number.isFinite(n) ? undefined : n * scale;
}

const clamp = (n: number): number => Math.max(0, Math.min(100, n));

export const PERCENT_RULES: readonly PercentRule[] = [
  {
    // qemu-server src/PVE/VZDump/QemuServer.pm: sprintf("%3d%% ($transferred_h of $target_h) in %s, read: …, write: …"),
    // logged through VZDump's loginfo as "INFO: " + line.
    source: "vzdump (qemu) backup status",
    match: (line) => {
      const m = /^INFO:\s+(\d{1,3})% \([\d.]+ \w+ of [\d.]+ \w+\) in /.exec(line);
      return m ? clamp(Number(m[1])) : undefined;
    },
  },
  {
    // qemu-server src/PVE/QemuServer/BlockJob.pm (drive mirror: clone, move disk, migration with local disks):
    //   "$job_id: transferred $transferred_h of $total_h ($percent%) in %s"
    // and src/PVE/QemuServer/QemuImage.pm (qemu-img convert: full clone, import):
    //   "transferred $transferred_h of $total_h ($percent%)"
    source: "drive mirror / qemu-img convert",
    match: (line) => {
      const m = /transferred [\d.]+ \w+ of [\d.]+ \w+ \((\d+(?:\.\d+)?)%\)/.exec(line);
      return m ? clamp(Number(m[1])) : undefined;
    },
  },
  {
    // qemu-server src/PVE/QemuMigrate.pm (live migration of RAM):
    //   "migration $status, transferred $transferred_h of $total_h VM-state, ${speed_h}/s"
    // (no percentage printed: it is computed from the two sizes)
    source: "live migration (RAM)",
    match: (line) => {
      const m = /migration \w+, transferred ([\d.]+) (\w+) of ([\d.]+) (\w+) VM-state/.exec(line);
      if (!m) return undefined;
      const done = bytes(m[1]!, m[2]!);
      const total = bytes(m[3]!, m[4]!);
      return done !== undefined && total ? clamp(Math.round((done / total) * 1000) / 10) : undefined;
    },
  },
];

/** The percentage a task log line reports, or undefined when it reports none. */
export function taskPercent(line: string): number | undefined {
  for (const rule of PERCENT_RULES) {
    const p = rule.match(line);
    if (p !== undefined) return p;
  }
  return undefined;
}
