import type { MethodModel, Model, MSchema } from "../model";
import { HEADER } from "./header";

/** Compact runtime metadata for one schema node (no prose; key legend in meta-types.ts). */
export function toMeta(s: MSchema, asKey = false): Record<string, unknown> {
  const m: Record<string, unknown> = { t: s.type };
  if (s.optional) m.o = 1;
  if (s.enum?.length) m.e = s.enum;
  if (s.p !== undefined) m.p = s.p;
  if (s.minimum !== undefined) m.min = s.minimum;
  if (s.maximum !== undefined) m.max = s.maximum;
  if (s.minLength !== undefined) m.minL = s.minLength;
  if (s.maxLength !== undefined) m.maxL = s.maxLength;
  if (s.format) m.f = s.format;
  if (s.ps) m.ps = s.ps;
  if (s.list) m.l = 1;
  if (s.n !== undefined) m.n = s.n;
  if (s.items) m.i = toMeta(s.items);
  if (s.properties) m.props = mapValues(s.properties, (v) => toMeta(v));
  if (s.additional) m.add = s.additional === true ? 1 : toMeta(s.additional);
  if (s.requires) m.req = s.requires;
  if (s.default !== undefined) m.d = s.default;
  if (s.typeProperty) m.tp = s.typeProperty;
  if (s.instanceTypes) m.it = s.instanceTypes;
  if (s.oneOf) m.one = s.oneOf.map((v) => toMeta(v));
  if (asKey) {
    if (s.defaultKey) m.dk = 1;
    if (s.alias !== undefined) m.alias = s.alias;
    if (s.keyAlias !== undefined) m.keyAlias = s.keyAlias;
  }
  return m;
}

export function routeMeta(m: MethodModel): Record<string, unknown> {
  const r: Record<string, unknown> = {
    v: m.verb,
    path: m.path,
    pp: m.pathParams,
    params: mapValues(m.params, (v) => toMeta(v)),
    ret: toMeta(m.returns),
  };
  if (m.upid) r.upid = 1;
  r.tok = m.allowToken ? 1 : 0;
  if (m.protected) r.prot = 1;
  if (m.proxyTo) r.proxy = 1;
  return r;
}

/** Top-level path segment: routes are split by it so no single file is huge. */
export function routeGroup(path: string): string {
  return path.split("/")[1] || "root";
}

export function groupIdent(group: string): string {
  return `${group.replace(/[^A-Za-z0-9]/g, "_")}Routes`;
}

/** `routes/<group>.ts` files plus `routes.ts` that joins them. */
export function emitRoutes(model: Model): Record<string, string> {
  const groups = new Map<string, MethodModel[]>();
  for (const m of model.methods) {
    const g = routeGroup(m.path);
    groups.set(g, [...(groups.get(g) ?? []), m]);
  }
  const files: Record<string, string> = {};
  const names = [...groups.keys()].sort();
  for (const g of names) {
    const lines = groups.get(g)!.map((m) => `  ${JSON.stringify(m.key)}: ${singleQuoted(JSON.stringify(routeMeta(m)))},`);
    files[`routes/${g}.ts`] =
      `${HEADER}/** Runtime metadata of the \`/${g}\` methods, one JSON text per method: parsed when that method is first used. */\n` +
      `export const ${groupIdent(g)}: Readonly<Record<string, string>> = {\n${lines.join("\n")}\n};\n`;
  }
  files["routes.ts"] =
    `${HEADER}import { lazyEntries } from "./lazy-record";\nimport type { RouteMeta } from "./meta-types";\nimport type { RouteKey } from "./types";\n` +
    names.map((g) => `import { ${groupIdent(g)} } from "./routes/${g}";`).join("\n") +
    `\n\n/** Every method of the schema, keyed \`"VERB /path"\` (each method's metadata parsed on first access). */\n` +
    `export const routes = lazyEntries<RouteMeta>(${names.map(groupIdent).join(", ")}) as Readonly<Record<RouteKey, RouteMeta>>;\n\n` +
    `/** All route keys, sorted by path then verb. */\n` +
    `export const routeKeys: readonly RouteKey[] = ${JSON.stringify(model.methods.map((m) => m.key))};\n`;
  return files;
}

/** A JS single-quoted string literal of `text` (JSON text needs no escaping of its double quotes then). */
function singleQuoted(text: string): string {
  return `'${text.replace(/[\\']/g, (c) => `\\${c}`).replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029")}'`;
}

export function emitPatterns(model: Model): string {
  const list = model.patterns.map((p) => `  new RegExp(${JSON.stringify(p)}),`).join("\n");
  return (
    `${HEADER}/** PVE's Perl patterns as anchored JS regexes (\`SchemaMeta.p\` indexes this list). */\n` +
    `export const patterns: readonly RegExp[] = [\n${list}\n];\n`
  );
}

/**
 * A lazily parsed data constant: JSON text (V8 parses it several times faster than the same object
 * literal, and tsc does not check hundreds of KB of literal), parsed on first access. The readable form of
 * this data is `npm run codegen -- --dump-model <file>`.
 */
export function lazyJsonConst(value: unknown): string {
  return `lazyRecord(() => JSON.parse(${JSON.stringify(JSON.stringify(value))}))`;
}

function mapValues<T, U>(obj: Record<string, T>, fn: (v: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, fn(v)]));
}
