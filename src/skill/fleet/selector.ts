import * as z from "zod";
import { SkillUsageError } from "../errors";
import { GuestNotFoundError } from "../operations/guest-locator";
import type { GuestRef } from "../operations/operation";

/** PVE's VMID bounds (pve-vmid: 100 … 999999999). */
const VMID_MIN = 100;
const VMID_MAX = 999_999_999;

/** One VMID (`100`) or an inclusive range (`100-110`) as written by the user. */
export type VmidSpec = { vmid: number } | { from: number; to: number };

const listOf = <T extends z.ZodType>(item: T, what: string) =>
  z
    // "a,b c", ["a", "b-c,d"] and [100, 101] alike
    .preprocess((v) => (v === undefined ? v : (Array.isArray(v) ? v : [v]).flatMap((x) => (typeof x === "string" ? splitWords(x) : [x]))), z.array(item).min(1))
    .describe(what);

function buildGuestSelector() {
  const vmidWord = z.union([z.number().int(), z.string().regex(/^\s*\d+(\s*-\s*\d+)?\s*$/, "a VMID or a range like 100-110")]);
  return (
    z
      .object({
        vmids: listOf(vmidWord, "VMIDs and ranges, e.g. [100, \"105-110\"]").optional(),
        all: z.boolean().optional().describe("Every guest of the cluster (templates excepted)"),
        node: listOf(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.-]*$/, "a node name"), "Only guests on these nodes").optional(),
        pool: listOf(z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9._-]*$/, "a pool id"), "Only guests in these pools").optional(),
        tag: listOf(z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_+.-]*$/, "a tag"), "Only guests with one of these tags").optional(),
        type: z.enum(["qemu", "lxc"]).optional().describe("Only VMs (qemu) or only containers (lxc)"),
        status: listOf(z.enum(["running", "stopped"]), "Only guests in this state (as /cluster/resources reports it)").optional(),
        exclude: listOf(vmidWord, "VMIDs and ranges to leave out").optional(),
      })
      // a misspelt key is an error: dropping `exlude` would widen the set to the guests it meant to leave out
      .strict()
      .describe("Which guests: VMIDs/ranges and/or filters (node, pool, tag, type, status), minus exclude")
  );
}

let selectorSchema: ReturnType<typeof buildGuestSelector> | undefined;

/**
 * Which guests a fleet command acts on. Within one field the values are alternatives (`node: ["pve1","pve2"]`:
 * on either node); different fields narrow each other (`node` and `tag`: on that node and with that tag).
 * Templates are never selected by `all`, a range or a filter, only by naming their VMID.
 * Built on first use: every CLI command loads this module (`isVmidWord`), few parse a selector, and
 * building the zod schema costs ≈ 10 ms of a fresh process.
 */
export function guestSelector(): ReturnType<typeof buildGuestSelector> {
  return (selectorSchema ??= buildGuestSelector());
}

export type GuestSelector = z.output<ReturnType<typeof guestSelector>>;

function splitWords(text: string): string[] {
  return text
    .split(/[,;\s]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Parses `100`, `"100-110"` or `"100,101"` into VMID specs; a bad word is a usage error naming it. */
export function parseVmidSpecs(words: readonly (string | number)[], what = "VMID"): VmidSpec[] {
  const out: VmidSpec[] = [];
  for (const word of words.flatMap((w) => (typeof w === "number" ? [String(w)] : splitWords(w)))) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(word.replace(/\s+/g, ""));
    if (!m) throw new SkillUsageError(`"${word}" is not a ${what} or a range like 100-110.`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    for (const n of [from, to]) {
      if (n < VMID_MIN || n > VMID_MAX) throw new SkillUsageError(`${what} ${n} in "${word}" is outside ${VMID_MIN}…${VMID_MAX}.`);
    }
    if (to < from) throw new SkillUsageError(`The range "${word}" ends below its start.`);
    out.push(m[2] === undefined ? { vmid: from } : { from, to });
  }
  return out;
}

/** True when the word is a VMID, a range or a comma list of them (what the CLI takes as a target). */
export function isVmidWord(word: string): boolean {
  return /^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(word);
}

const matches = (specs: readonly VmidSpec[], vmid: number): boolean =>
  specs.some((s) => ("vmid" in s ? s.vmid === vmid : vmid >= s.from && vmid <= s.to));

/** True when the selector names at least one way of choosing guests. */
export function selectsAnything(s: GuestSelector): boolean {
  return Boolean(s.all || s.vmids?.length || s.node || s.pool || s.tag || s.type || s.status);
}

/**
 * The guests `selector` picks out of `guests` (one `/cluster/resources` read), sorted by VMID.
 * Explicitly named VMIDs must exist (a typo must not shrink the set silently); ranges and filters
 * only match what is there. Templates are selected only when named by VMID.
 */
export function selectGuests(guests: readonly GuestRef[], selector: GuestSelector): GuestRef[] {
  if (!selectsAnything(selector)) {
    throw new SkillUsageError("No guests selected: give VMIDs or ranges (100 101, 100-110), --all, or a filter (--node, --pool, --tag, --type, --status).");
  }
  const specs = parseVmidSpecs(selector.vmids ?? []);
  const named = new Set(specs.flatMap((s) => ("vmid" in s ? [s.vmid] : [])));
  const byId = new Map(guests.map((g) => [g.vmid, g]));
  for (const id of named) if (!byId.has(id)) throw new GuestNotFoundError(id);
  const excluded = parseVmidSpecs(selector.exclude ?? [], "VMID to exclude");
  const lower = (xs: readonly string[] | undefined) => xs?.map((x) => x.toLowerCase());
  const tags = lower(selector.tag);
  return guests
    .filter((g) => (specs.length ? matches(specs, g.vmid) : true))
    .filter((g) => !g.template || named.has(g.vmid))
    .filter((g) => !selector.node || selector.node.includes(g.node))
    .filter((g) => !selector.pool || (g.pool !== undefined && selector.pool.includes(g.pool)))
    // PVE compares tags case-insensitively unless the datacenter's tag-style says otherwise
    .filter((g) => !tags || g.tags.some((t) => tags.includes(t.toLowerCase())))
    .filter((g) => !selector.type || g.type === selector.type)
    .filter((g) => !selector.status || (g.status !== undefined && (selector.status as string[]).includes(g.status)))
    .filter((g) => !matches(excluded, g.vmid))
    .sort((a, b) => a.vmid - b.vmid);
}

/** `100-103,105,200`: a compact list of VMIDs for messages and audit entries. */
export function compactVmids(vmids: readonly number[]): string {
  const sorted = [...new Set(vmids)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(j > i ? `${sorted[i]}-${sorted[j]}` : String(sorted[i]));
    i = j + 1;
  }
  return parts.join(",");
}

/** The selector as a short phrase: `--all --node pve1 --exclude 105`. */
export function describeSelector(s: GuestSelector): string {
  const parts: string[] = [];
  if (s.vmids?.length) parts.push(s.vmids.join(" "));
  if (s.all) parts.push("--all");
  for (const key of ["node", "pool", "tag", "status"] as const) if (s[key]) parts.push(`--${key} ${s[key]!.join(",")}`);
  if (s.type) parts.push(`--type ${s.type}`);
  if (s.exclude?.length) parts.push(`--exclude ${s.exclude.join(",")}`);
  return parts.join(" ");
}
