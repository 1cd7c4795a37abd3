import { SkillUsageError } from "../errors";

/** Allow-lists of targets; an undefined list allows everything. */
export interface AllowLists {
  vmids?: readonly VmidRange[];
  nodes?: readonly string[];
  pools?: readonly string[];
  tags?: readonly string[];
}

/** An inclusive VMID range (a single VMID has `from === to`). */
export interface VmidRange {
  from: number;
  to: number;
}

/** What a mutation touches, as far as allow-lists are concerned. */
export interface AllowTarget {
  vmid?: number;
  node?: string;
  /** The pool the guest is in (`""`/undefined when none). */
  pool?: string;
  /** The guest's tags. */
  tags?: readonly string[];
}

/** Splits a comma/space separated list (`"a, b;c"`), dropping empties; undefined for an empty value. */
export function splitListValue(value: string | readonly string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const parts = (typeof value === "string" ? [value] : value)
    .flatMap((v) => String(v).split(/[,;\s]+/))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
  return parts.length > 0 ? parts : undefined;
}

/** Parses `"100,105-110"` into VMID ranges. */
export function parseVmidList(value: string | readonly (string | number)[] | undefined): VmidRange[] | undefined {
  const items = splitListValue(typeof value === "object" ? value.map(String) : value);
  if (!items) return undefined;
  return items.map((item) => {
    const m = /^(\d+)(?:-(\d+))?$/.exec(item);
    if (!m) throw new SkillUsageError(`Invalid VMID allow-list entry "${item}": expected a VMID or a range like 100-199.`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) throw new SkillUsageError(`Invalid VMID range "${item}": the end is below the start.`);
    return { from, to };
  });
}

/** Renders VMID ranges back as `"100,105-110"`. */
export function formatVmidList(ranges: readonly VmidRange[]): string {
  return ranges.map((r) => (r.from === r.to ? String(r.from) : `${r.from}-${r.to}`)).join(",");
}

/**
 * Returns why `target` is outside the allow-lists, or undefined when it is allowed.
 * Tags: the guest must carry at least one allowed tag. Pools: the guest must be in an allowed pool.
 */
export function allowListViolation(lists: AllowLists, target: AllowTarget): string | undefined {
  if (lists.vmids && target.vmid !== undefined) {
    const vmid = target.vmid;
    if (!lists.vmids.some((r) => vmid >= r.from && vmid <= r.to)) {
      return `VMID ${vmid} is not in the allowed VMIDs (${formatVmidList(lists.vmids)}; PROXMOX_ALLOWED_VMIDS).`;
    }
  }
  if (lists.nodes && target.node !== undefined && !lists.nodes.includes(target.node)) {
    return `Node "${target.node}" is not in the allowed nodes (${lists.nodes.join(",")}; PROXMOX_ALLOWED_NODES).`;
  }
  if (lists.pools && target.vmid !== undefined) {
    const pool = target.pool ?? "";
    if (!lists.pools.includes(pool)) {
      const where = pool ? `is in pool "${pool}"` : "is in no pool";
      return `Guest ${target.vmid} ${where}, not in the allowed pools (${lists.pools.join(",")}; PROXMOX_ALLOWED_POOLS).`;
    }
  }
  if (lists.tags && target.vmid !== undefined) {
    const tags = target.tags ?? [];
    if (!tags.some((t) => lists.tags!.includes(t))) {
      const has = tags.length ? `has tags ${tags.join(",")}` : "has no tags";
      return `Guest ${target.vmid} ${has}, none of the allowed tags (${lists.tags.join(",")}; PROXMOX_ALLOWED_TAGS).`;
    }
  }
  return undefined;
}
