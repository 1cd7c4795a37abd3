import { SkillUsageError } from "../errors";

/** Allow-lists of targets; an undefined list allows everything (an empty list is a configuration error). */
export interface AllowLists {
  vmids?: readonly VmidRange[];
  nodes?: readonly string[];
  pools?: readonly string[];
  tags?: readonly string[];
  storages?: readonly string[];
}

/** An inclusive VMID range (a single VMID has `from === to`). */
export interface VmidRange {
  from: number;
  to: number;
}

/**
 * One thing a request touches, as far as allow-lists are concerned: a guest (its VMID with its node,
 * pool and tags), a node, a storage or a pool.
 */
export interface AllowTarget {
  vmid?: number;
  node?: string;
  /** The pool the guest is in (`""`/undefined when none); without `vmid`, a pool the request names. */
  pool?: string;
  /** The guest's tags. */
  tags?: readonly string[];
  /** A storage the request names (a target storage, a volume's storage). */
  storage?: string;
}

/** The allow-list settings, by the environment variable that sets them (for messages). */
export const ALLOW_LIST_VARS = {
  vmids: "PROXMOX_ALLOWED_VMIDS",
  nodes: "PROXMOX_ALLOWED_NODES",
  pools: "PROXMOX_ALLOWED_POOLS",
  tags: "PROXMOX_ALLOWED_TAGS",
  storages: "PROXMOX_ALLOWED_STORAGES",
} as const;

/** Splits a comma/space separated list (`"a, b;c"`), dropping empties; undefined for an empty value. */
export function splitListValue(value: string | readonly string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const parts = (typeof value === "string" ? [value] : value)
    .flatMap((v) => String(v).split(/[,;\s]+/))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
  return parts.length > 0 ? parts : undefined;
}

const NAME = /^[A-Za-z0-9_][A-Za-z0-9._+-]*$/;

/**
 * Parses one allow-list setting. Unset (undefined) means no restriction; a value that lists nothing
 * (`""`, `","`, `[]`) or holds a malformed entry is a configuration error: it never means "no restriction".
 */
export function parseAllowList(value: string | readonly string[] | undefined, setting: string): string[] | undefined {
  if (value === undefined) return undefined;
  const items = splitListValue(value);
  if (!items) {
    throw new SkillUsageError(
      `${setting} is set but lists nothing ("${String(value)}"): an empty allow-list is a configuration error, not "no restriction". Unset it to allow everything.`,
    );
  }
  const bad = items.find((i) => !NAME.test(i));
  if (bad !== undefined) throw new SkillUsageError(`Invalid ${setting} entry "${bad}": expected names separated by commas.`);
  return items;
}

/** Parses `"100,105-110"` into VMID ranges; an empty or malformed list is a configuration error. */
export function parseVmidList(value: string | readonly (string | number)[] | undefined, setting = ALLOW_LIST_VARS.vmids): VmidRange[] | undefined {
  if (value === undefined) return undefined;
  const items = splitListValue(typeof value === "object" ? value.map(String) : value);
  if (!items) {
    throw new SkillUsageError(
      `${setting} is set but lists nothing ("${String(value)}"): an empty allow-list is a configuration error, not "no restriction". Unset it to allow everything.`,
    );
  }
  return items.map((item) => {
    const m = /^(\d+)(?:-(\d+))?$/.exec(item);
    if (!m) throw new SkillUsageError(`Invalid VMID allow-list entry "${item}" in ${setting}: expected a VMID or a range like 100-199.`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) throw new SkillUsageError(`Invalid VMID range "${item}" in ${setting}: the end is below the start.`);
    return { from, to };
  });
}

/** Renders VMID ranges back as `"100,105-110"`. */
export function formatVmidList(ranges: readonly VmidRange[]): string {
  return ranges.map((r) => (r.from === r.to ? String(r.from) : `${r.from}-${r.to}`)).join(",");
}

/** True when any allow-list is set. */
export function hasAllowLists(lists: AllowLists): boolean {
  return Object.values(lists).some((l) => l !== undefined);
}

/**
 * Returns why `target` is outside the allow-lists, or undefined when it is allowed.
 * Guests: the VMID must be allowed, the guest must be in an allowed pool and carry an allowed tag.
 * A pool, node or storage the request names must be in its list.
 */
export function allowListViolation(lists: AllowLists, target: AllowTarget): string | undefined {
  if (lists.vmids && target.vmid !== undefined) {
    const vmid = target.vmid;
    if (!lists.vmids.some((r) => vmid >= r.from && vmid <= r.to)) {
      return `VMID ${vmid} is not in the allowed VMIDs (${formatVmidList(lists.vmids)}; ${ALLOW_LIST_VARS.vmids}).`;
    }
  }
  if (lists.nodes && target.node !== undefined && !lists.nodes.includes(target.node)) {
    return `Node "${target.node}" is not in the allowed nodes (${lists.nodes.join(",")}; ${ALLOW_LIST_VARS.nodes}).`;
  }
  if (lists.storages && target.storage !== undefined && !lists.storages.includes(target.storage)) {
    return `Storage "${target.storage}" is not in the allowed storages (${lists.storages.join(",")}; ${ALLOW_LIST_VARS.storages}).`;
  }
  if (lists.pools && target.vmid !== undefined) {
    const pool = target.pool ?? "";
    if (!lists.pools.includes(pool)) {
      const where = pool ? `is in pool "${pool}"` : "is in no pool";
      return `Guest ${target.vmid} ${where}, not in the allowed pools (${lists.pools.join(",")}; ${ALLOW_LIST_VARS.pools}).`;
    }
  } else if (lists.pools && target.pool !== undefined && !lists.pools.includes(target.pool)) {
    return `Pool "${target.pool}" is not in the allowed pools (${lists.pools.join(",")}; ${ALLOW_LIST_VARS.pools}).`;
  }
  if (lists.tags && target.vmid !== undefined) {
    const tags = target.tags ?? [];
    if (!tags.some((t) => lists.tags!.includes(t))) {
      const has = tags.length ? `has tags ${tags.join(",")}` : "has no tags";
      return `Guest ${target.vmid} ${has}, none of the allowed tags (${lists.tags.join(",")}; ${ALLOW_LIST_VARS.tags}).`;
    }
  }
  return undefined;
}

/**
 * Why each of `targets` is outside the allow-lists (empty when every one is allowed), without repeats.
 * Fleet operations call it with every guest of a selection before anything runs.
 *
 * @example
 * const why = allowListViolations(settings.allow, guests.map((g) => ({ vmid: g.vmid, node: g.node, pool: g.pool, tags: g.tags })));
 * if (why.length) throw new PolicyRefusedError(`Refused by allow-list: ${why.join(" ")}`, "allow-list");
 */
export function allowListViolations(lists: AllowLists, targets: readonly AllowTarget[]): string[] {
  const out = new Set<string>();
  for (const t of targets) {
    const why = allowListViolation(lists, t);
    if (why) out.add(why);
  }
  return [...out];
}

/** A request whose affected guests cannot be known: node-wide (only its node is known) or cluster-wide. */
export interface UnknownReach {
  /** What the request reaches and why pvekit cannot list the guests it affects. */
  why: string;
  /** The node it is limited to, when it is node-wide. */
  node?: string;
}

/**
 * Why a request whose affected guests cannot be known is refused, or undefined: refused under any
 * guest, pool, tag or storage allow-list; a node-wide one is allowed under a node allow-list alone
 * (its node is checked as a target).
 */
export function unknownReachViolation(lists: AllowLists, reach: UnknownReach | undefined): string | undefined {
  if (!reach) return undefined;
  const set = (Object.keys(ALLOW_LIST_VARS) as (keyof AllowLists)[]).filter((k) => lists[k] !== undefined);
  const blocking = reach.node !== undefined ? set.filter((k) => k !== "nodes") : set;
  if (blocking.length === 0) return undefined;
  return `${reach.why}; the guests it affects cannot be listed, so it is refused while ${blocking.map((k) => ALLOW_LIST_VARS[k]).join(", ")} ${blocking.length > 1 ? "are" : "is"} set.`;
}
