import { DEFAULT_INDEX_RANGE, INDEX_RANGES } from "./data/index-ranges";
import { NOT_TASK_METHODS, TASK_RETURN_HINT } from "./data/task-methods";
import type { NormMethod, NormSchema, NormSchemaTree } from "../src/schema/norm-types";
import { compare } from "../src/schema/normalize";
import { anchoredSource } from "./perl-regex";
import { pascal, methodTypeName, kebab, RESERVED_NAMES } from "./naming";

/** A normalised schema annotated with what the emitters need. */
export interface MSchema extends Omit<NormSchema, "items" | "properties" | "additional" | "formatKeys" | "oneOf"> {
  /** Property-string format id (key of `Model.formats`). */
  ps?: string;
  /** Index into `Model.patterns`. */
  p?: number;
  /** For `name[n]`: how many slots (0..n-1). */
  n?: number;
  items?: MSchema;
  properties?: Record<string, MSchema>;
  additional?: true | MSchema;
  formatKeys?: Record<string, MSchema>;
  oneOf?: MSchema[];
}

export interface FormatModel {
  id: string;
  typeName: string;
  /** Named formats come from the definitions file; inline ones from the tree. */
  named: boolean;
  keys: Record<string, MSchema>;
  /** Where it was first seen (`POST /nodes/{node}/qemu net[n]`), for docs. */
  origin: string;
}

export interface MethodModel extends Omit<NormMethod, "params" | "returns"> {
  key: string;
  typeName: string;
  params: Record<string, MSchema>;
  returns: MSchema;
  /** Returns a task id (UPID). */
  upid: boolean;
}

export interface Model {
  pveVersion?: string;
  schemaSha256: string;
  methods: MethodModel[];
  formats: FormatModel[];
  /** Anchored JS regex sources, sorted; `MSchema.p` indexes this. */
  patterns: string[];
  /** Indexed kinds actually used, with their slot counts. */
  indexRanges: Record<string, number>;
  /** Named formats referenced but defined nowhere (typed as plain strings). */
  undefinedFormats: string[];
  warnings: string[];
}

export interface ModelInput {
  tree: NormSchemaTree;
  /** Named property-string formats: name → key → schema (from formats-*.json). */
  namedFormats: Record<string, Record<string, NormSchema>>;
  schemaSha256: string;
  pveVersion?: string;
}

/** Build the emitter's model: names, formats, patterns, index ranges and task detection. */
export function buildModel(input: ModelInput): Model {
  const warnings: string[] = [];
  const patterns = collectPatterns(input);
  const patternIndex = new Map(patterns.map((p, i) => [p, i]));
  const indexRanges: Record<string, number> = {};
  const formats = new Map<string, FormatModel>();
  const inlineByContent = new Map<string, string>();
  const typeNames = new Set<string>(RESERVED_NAMES);
  const undefinedFormats = new Set<string>();

  // Named formats first, so their names are reserved before inline ones are named.
  const namedIds = Object.keys(input.namedFormats).sort(compare);
  for (const id of namedIds) {
    const typeName = pascal(id);
    typeNames.add(typeName);
    formats.set(id, { id, typeName, named: true, keys: {}, origin: "formats definitions" });
  }
  const annotate = (s: NormSchema, ctx: { segments: string[]; name: string; origin: string }): MSchema => {
    const { items, properties, additional, formatKeys, oneOf, ...rest } = s;
    const m: MSchema = { ...rest };
    if (s.pattern !== undefined) m.p = patternIndex.get(anchoredSource(s.pattern))!;
    if (s.indexed) {
      const n = INDEX_RANGES[s.indexed];
      if (n === undefined) warnings.push(`indexed option ${s.indexed}[n] has no known range; using ${DEFAULT_INDEX_RANGE}`);
      m.n = n ?? DEFAULT_INDEX_RANGE;
      indexRanges[s.indexed] = m.n;
    }
    const child = (name: string) => ({ ...ctx, name });
    if (items) m.items = annotate(items, ctx);
    if (properties) m.properties = mapValues(properties, (v, k) => annotate(v, child(k)));
    if (additional) m.additional = additional === true ? true : annotate(additional, ctx);
    if (oneOf) m.oneOf = oneOf.map((v) => annotate(v, ctx));
    if (formatKeys) {
      const keys = mapValues(formatKeys, (v, k) => annotate(v, child(k)));
      const content = JSON.stringify(keys);
      let id = inlineByContent.get(content);
      if (!id) {
        const typeName = pickName(ctx, typeNames);
        typeNames.add(typeName);
        id = kebab(typeName);
        formats.set(id, { id, typeName, named: false, keys, origin: ctx.origin });
        inlineByContent.set(content, id);
      }
      m.ps = id;
    } else if (s.format && !s.list) {
      if (formats.has(s.format) && formats.get(s.format)!.named) m.ps = s.format;
      else if (looksLikePropertyString(s)) undefinedFormats.add(s.format);
    }
    return m;
  };

  for (const id of namedIds) {
    const keys = input.namedFormats[id]!;
    formats.get(id)!.keys = mapValues(keys, (v, k) => annotate(v, { segments: [], name: k, origin: id }));
  }

  const methods: MethodModel[] = input.tree.methods.map((nm) => {
    const key = `${nm.verb} ${nm.path}`;
    const segments = nm.path.split("/").filter((x) => x && !x.startsWith("{"));
    const params = mapValues(nm.params, (v, k) => annotate(v, { segments, name: k, origin: `${key} ${k}` }));
    const returns = annotate(nm.returns, { segments, name: "returns", origin: `${key} returns` });
    return { ...nm, key, typeName: methodTypeName(nm.verb, nm.path), params, returns, upid: isTaskMethod(nm) };
  });
  const seen = new Map<string, string>();
  for (const m of methods) {
    const other = seen.get(m.typeName);
    if (other) throw new Error(`codegen: type name ${m.typeName} used by ${other} and ${m.key}`);
    seen.set(m.typeName, m.key);
  }

  return {
    ...(input.pveVersion ? { pveVersion: input.pveVersion } : {}),
    schemaSha256: input.schemaSha256,
    methods,
    formats: [...formats.values()].sort((a, b) => compare(a.id, b.id)),
    patterns,
    indexRanges: Object.fromEntries(Object.entries(indexRanges).sort(([a], [b]) => compare(a, b))),
    undefinedFormats: [...undefinedFormats].sort(compare),
    warnings: [...new Set(warnings)].sort(compare),
  };
}

/** See data/task-methods.ts for the rule and why it is a heuristic. */
export function isTaskMethod(m: NormMethod): boolean {
  const r = m.returns;
  if (m.verb === "GET" || r.type !== "string" || r.format || r.enum || r.pattern) return false;
  if (NOT_TASK_METHODS.has(`${m.verb} ${m.path}`)) return false;
  return r.description ? TASK_RETURN_HINT.test(r.description) : true;
}

/** A named format we lack a definition for, but whose typetext shows `key=value` pairs. */
function looksLikePropertyString(s: NormSchema): boolean {
  return !!s.typetext && /\[?,?[a-z0-9_-]+=</i.test(s.typetext);
}

/** Path segments that say nothing about what a format belongs to (`/qemu/{vmid}/config` → `Qemu…`). */
const GENERIC_SEGMENTS = new Set(["config", "current", "pending", "status"]);

function pickName(ctx: { segments: string[]; name: string }, taken: Set<string>): string {
  const base = pascal(ctx.name.replace(/\[n\]$/, ""));
  const segs = ctx.segments.map(pascal);
  let end = segs.length;
  while (end > 1 && GENERIC_SEGMENTS.has(ctx.segments[end - 1]!)) end--;
  const tail = segs.slice(end).join("");
  // Most specific meaningful segment (`Qemu`), then with the generic tail (`QemuConfig`), then longer prefixes.
  const candidates = [segs[end - 1] ?? "", (segs[end - 1] ?? "") + tail];
  for (let k = 2; k <= end; k++) candidates.push(segs.slice(end - k, end).join("") + tail);
  for (const c of candidates) if (!taken.has(c + base)) return c + base;
  for (let i = 2; ; i++) if (!taken.has(`${segs.join("")}${base}${i}`)) return `${segs.join("")}${base}${i}`;
}

function collectPatterns(input: ModelInput): string[] {
  const set = new Set<string>();
  const visit = (s: NormSchema): void => {
    if (s.pattern !== undefined) set.add(anchoredSource(s.pattern));
    if (s.items) visit(s.items);
    Object.values(s.properties ?? {}).forEach(visit);
    Object.values(s.formatKeys ?? {}).forEach(visit);
    if (s.additional && s.additional !== true) visit(s.additional);
    s.oneOf?.forEach(visit);
  };
  for (const m of input.tree.methods) {
    Object.values(m.params).forEach(visit);
    visit(m.returns);
  }
  Object.values(input.namedFormats).forEach((keys) => Object.values(keys).forEach(visit));
  return [...set].sort(compare);
}

function mapValues<T, U>(obj: Record<string, T>, fn: (v: T, k: string) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, fn(v, k)]));
}
