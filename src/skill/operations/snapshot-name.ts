import { SkillUsageError } from "../errors";

/**
 * Expands a snapshot naming convention: `{change}` (the change id, or the timestamp when none is given),
 * `{timestamp}` (YYYYMMDD-HHMMSS, UTC), `{date}`, `{time}`, `{vmid}`.
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
