import type { RouteMeta, SchemaMeta, Verb } from "../generated/meta-types";
import { routes } from "../generated/routes";
import { SkillUsageError } from "./errors";

/** An API path matched against the schema: its template, the path parameters taken from it, and its methods. */
export interface RouteMatch {
  template: string;
  pathParams: Record<string, string>;
  methods: RouteMeta[];
}

let templates: Map<string, RouteMeta[]> | undefined;

function allTemplates(): Map<string, RouteMeta[]> {
  if (!templates) {
    templates = new Map();
    for (const meta of Object.values(routes)) {
      const list = templates.get(meta.path) ?? [];
      list.push(meta);
      templates.set(meta.path, list);
    }
  }
  return templates;
}

/** `/api2/json/nodes/pve1/` → `/nodes/pve1`. */
export function normalizeApiPath(path: string): string {
  let p = path.trim().replace(/^https?:\/\/[^/]+/, "");
  p = p.replace(/^\/?api2\/(json|extjs)/, "");
  if (!p.startsWith("/")) p = `/${p}`;
  return p.length > 1 ? p.replace(/\/+$/, "") : p;
}

/**
 * Matches a concrete path (`/nodes/pve1/qemu/100/status/current`) or a template
 * (`/nodes/{node}/qemu/{vmid}/status/current`) against the schema. Literal segments win over
 * parameters, so `/cluster/resources` never matches a `{param}`.
 */
export function matchRoute(path: string): RouteMatch | undefined {
  const segs = normalizeApiPath(path).split("/").slice(1).map(decodeURIComponent);
  let best: { score: number; match: RouteMatch } | undefined;
  for (const [template, methods] of allTemplates()) {
    const tsegs = template.split("/").slice(1);
    if (tsegs.length !== segs.length) continue;
    const pathParams: Record<string, string> = {};
    let score = 0;
    let ok = true;
    for (let i = 0; i < tsegs.length && ok; i++) {
      const t = tsegs[i]!;
      const s = segs[i]!;
      const param = /^\{([^}]+)\}$/.exec(t);
      if (param) {
        if (s === "") ok = false;
        else if (s !== t) pathParams[param[1]!] = s;
      } else if (t === s) score++;
      else ok = false;
    }
    if (ok && (!best || score > best.score)) best = { score, match: { template, pathParams, methods } };
  }
  return best?.match;
}

/** The route for `verb` on `path`, or a usage error naming the methods that exist. */
export function requireRoute(verb: Verb, path: string): { meta: RouteMeta; pathParams: Record<string, string> } {
  const match = matchRoute(path);
  if (!match) throw new SkillUsageError(`No API endpoint matches ${normalizeApiPath(path)} (see: pvekit usage <path>).`);
  const meta = match.methods.find((m) => m.v === verb);
  if (!meta) {
    throw new SkillUsageError(`${match.template} has no ${verb} method (it has: ${match.methods.map((m) => m.v).join(", ")}).`);
  }
  return { meta, pathParams: match.pathParams };
}

/** The schema of parameter `name`, resolving indexed names (`net0` → `net[n]`). */
export function paramSchema(meta: RouteMeta, name: string): SchemaMeta | undefined {
  const direct = meta.params[name];
  if (direct) return direct;
  const m = /^([A-Za-z_-]+?)(\d+)$/.exec(name);
  return m ? meta.params[`${m[1]}[n]`] : undefined;
}

/**
 * Turns `key=value` text from a command line into typed values by the schema: integers and numbers
 * become numbers, booleans 1/0; everything else stays text (property strings included).
 */
export function coerceParams(meta: RouteMeta | undefined, params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    const schema = meta ? paramSchema(meta, key) : undefined;
    out[key] = typeof value === "string" && schema ? coerceValue(schema, value) : value;
  }
  return out;
}

function coerceValue(schema: SchemaMeta, value: string): unknown {
  if ((schema.t === "integer" || schema.t === "number") && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  if (schema.t === "boolean") {
    const v = value.trim().toLowerCase();
    if (["1", "true", "yes", "on"].includes(v)) return 1;
    if (["0", "false", "no", "off"].includes(v)) return 0;
  }
  return value;
}

/** Parses `key=value` words; a key given twice becomes a list. */
export function parseKeyValues(words: readonly string[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const word of words) {
    const eq = word.indexOf("=");
    if (eq <= 0) throw new SkillUsageError(`Expected key=value, got "${word}".`);
    const key = word.slice(0, eq).replace(/^--?/, "");
    // assigned, __proto__ would set the object's prototype (or vanish): never a parameter
    if (key === "__proto__") throw new SkillUsageError(`"${key}" is not a parameter name (in "${word.slice(0, eq)}=…").`);
    const value = word.slice(eq + 1);
    // own keys only: `constructor=x` must not find Object.prototype.constructor as an earlier value
    const prev = Object.hasOwn(out, key) ? out[key] : undefined;
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}
