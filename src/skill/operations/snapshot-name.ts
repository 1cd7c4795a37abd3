import { SkillUsageError } from "../errors";

/** The placeholders of a naming convention and what they become, for help texts and README. */
export const SNAPSHOT_PLACEHOLDERS: readonly (readonly [string, string])[] = [
  ["{change}", "the change/ticket id (--change), or the timestamp when none is given"],
  ["{change_number}", "the same as {change} (the source skill's name for it)"],
  ["{timestamp}", "YYYYMMDD-HHMMSS in UTC"],
  ["{date}", "YYYYMMDD in UTC"],
  ["{time}", "HHMMSS in UTC"],
  ["{vmid}", "the guest's VMID"],
];

/** How the naming convention is set, for help texts. */
export const SNAPSHOT_NAMING_HELP = [
  "Snapshot naming (when no name is given): the convention comes from PVEKIT_SNAPSHOT_NAME, else the config",
  'file\'s "snapshots: { name: … }" (also "snapshot_name"), else "pvekit-{change}". Placeholders:',
  ...SNAPSHOT_PLACEHOLDERS.map(([k, v]) => `  ${k.padEnd(16)}${v}`),
  'Example: PVEKIT_SNAPSHOT_NAME="aiagent-snap-{change_number}" pvekit snapshot 100 --change 1234 → aiagent-snap-1234.',
  "Names must start with a letter, use letters, digits, - or _, and be at most 40 characters.",
].join("\n");

/**
 * Expands a snapshot naming convention: `{change}` (the change id, or the timestamp when none is given;
 * `{change_number}` is the same), `{timestamp}` (YYYYMMDD-HHMMSS, UTC), `{date}`, `{time}`, `{vmid}`.
 * The result must be a valid PVE snapshot name (letter first, letters/digits/-/_, at most 40 characters).
 */
export function snapshotName(template: string, values: { change?: string; vmid: number; now: Date }): string {
  const iso = values.now.toISOString();
  const date = iso.slice(0, 10).replace(/-/g, "");
  const time = iso.slice(11, 19).replace(/:/g, "");
  const timestamp = `${date}-${time}`;
  const change = values.change?.replace(/[^A-Za-z0-9_-]/g, "-");
  const name = template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    switch (key) {
      case "change":
      case "change_number":
        return change ?? timestamp;
      case "timestamp":
        return timestamp;
      case "date":
        return date;
      case "time":
        return time;
      case "vmid":
        return String(values.vmid);
      default:
        throw new SkillUsageError(`Unknown placeholder ${whole} in the snapshot naming convention "${template}".`);
    }
  });
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name) || name.length > 40) {
    throw new SkillUsageError(
      `The snapshot name "${name}" (from the convention "${template}") is not valid: it must start with a letter, use letters, digits, - or _, and be at most 40 characters.`,
    );
  }
  return name;
}
