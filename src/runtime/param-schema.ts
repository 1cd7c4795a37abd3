import type { RouteMeta, SchemaMeta } from "../generated/meta-types";

/** An indexed option name such as `net5` split into its family (`net`) and index (5). */
const INDEXED_NAME = /^([A-Za-z][A-Za-z_-]*?)(\d+)$/;

/** Where a caller's parameter name lands in a route's schema. */
export interface ParamLookup {
  /** the schema key: the name itself, or `net[n]` for `net5` */
  key: string;
  schema: SchemaMeta;
}

/**
 * Finds the schema of parameter `name` in `route`: an exact key, or an indexed option
 * (`net5` → `net[n]`, valid when 5 < n). Own-property lookups only, so `constructor`
 * or `__proto__` never resolve to anything.
 */
export function findParamSchema(route: RouteMeta, name: string): ParamLookup | undefined {
  const params = route.params;
  if (Object.prototype.hasOwnProperty.call(params, name)) {
    const schema = params[name];
    // "net[n]" itself is a schema key, not a name a caller may send
    if (schema && schema.n === undefined) return { key: name, schema };
    return undefined;
  }
  const m = INDEXED_NAME.exec(name);
  if (!m) return undefined;
  const key = `${m[1]}[n]`;
  if (!Object.prototype.hasOwnProperty.call(params, key)) return undefined;
  const schema = params[key];
  if (!schema) return undefined;
  const index = Number(m[2]);
  // a leading zero ("net05") is not a name PVE knows
  if (String(index) !== m[2]) return undefined;
  if (schema.n !== undefined && index >= schema.n) return undefined;
  return { key, schema };
}

/** The indexed family (`net[n]`) a name like `net40` would belong to, for error messages. */
export function indexedFamily(route: RouteMeta, name: string): { key: string; count: number } | undefined {
  const m = INDEXED_NAME.exec(name);
  if (!m) return undefined;
  const key = `${m[1]}[n]`;
  const schema = Object.prototype.hasOwnProperty.call(route.params, key) ? route.params[key] : undefined;
  if (!schema || schema.n === undefined) return undefined;
  return { key, count: schema.n };
}
