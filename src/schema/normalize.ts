import { SchemaError } from "./errors";
import type { NormMethod, NormSchema, NormSchemaTree, NormType, Verb } from "./norm-types";
import { VERBS } from "./norm-types";
import type { RawMethod, RawNode, RawSchema } from "./raw-types";

const TYPES = new Set<NormType>(["string", "integer", "number", "boolean", "array", "object", "null", "any"]);

/** Flatten the raw tree into sorted methods whose schemas have every quirk resolved (see QUIRKS.md). */
export function normalize(tree: RawNode[]): NormSchemaTree {
  const methods: NormMethod[] = [];
  const seen = new Set<string>();
  const visit = (node: RawNode): void => {
    for (const [verb, raw] of Object.entries(node.info ?? {})) {
      const v = verb.toUpperCase() as Verb;
      if (!raw || !VERBS.includes(v)) continue;
      const key = `${v} ${node.path}`;
      if (seen.has(key)) throw new SchemaError(`schema defines ${key} twice`);
      seen.add(key);
      methods.push(normalizeMethod(v, node.path, raw));
    }
    node.children?.forEach(visit);
  };
  tree.forEach(visit);
  methods.sort((a, b) => compare(a.path, b.path) || VERBS.indexOf(a.verb) - VERBS.indexOf(b.verb));
  return { methods };
}

function normalizeMethod(verb: Verb, path: string, raw: RawMethod): NormMethod {
  const pathParams = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const { params, typeProperty } = normalizeParamsRoot(raw.parameters ?? {});
  // Some placeholders are missing from `properties` (QUIRKS: prefix-lists entries); path params are always required.
  for (const p of pathParams) {
    params[p] = { ...(params[p] ?? { type: "string", description: `Path parameter ${p}.` }), optional: false };
  }
  const method: NormMethod = {
    verb,
    path,
    pathParams,
    name: raw.name ?? "",
    description: (raw.description ?? "").trim(),
    allowToken: raw.allowtoken === undefined ? true : bool(raw.allowtoken),
    protected: bool(raw.protected),
    downloadAllowed: bool(raw.download_allowed),
    exposeCredentials: bool(raw.expose_credentials),
    params: sortKeys(params),
    returns: raw.returns ? normalizeSchema(raw.returns) : { type: "null", optional: false },
  };
  if (raw.permissions) {
    const { user, check, description } = raw.permissions;
    method.permissions = {
      ...(typeof user === "string" ? { user } : {}),
      ...(Array.isArray(check) ? { check } : {}),
      ...(typeof description === "string" ? { description: description.trim() } : {}),
    };
  }
  if (raw.proxyto) method.proxyTo = raw.proxyto;
  if (typeProperty) method.paramsTypeProperty = typeProperty;
  return method;
}

/**
 * Parameter roots are `{additionalProperties, properties}` without a type; PVE 9 adds `allOf` of property
 * sets and `oneOf` variants selected by a `type-property`. Variants are merged into one property map whose
 * variant-only entries carry `instanceTypes`.
 */
function normalizeParamsRoot(raw: RawSchema): { params: Record<string, NormSchema>; typeProperty?: string } {
  const params: Record<string, NormSchema> = {};
  let typeProperty: string | undefined;
  const parts = raw.allOf ? raw.allOf : [raw];
  for (const part of parts) {
    for (const [name, sub] of Object.entries(part.properties ?? {})) params[name] = normalizeProperty(name, sub);
    if (part.oneOf && part["type-property"]) {
      typeProperty = part["type-property"];
      const values: string[] = [];
      const variants = part.oneOf.map((v) => ({ value: String(v["instance-type"] ?? ""), props: v.properties ?? {} }));
      for (const { value, props } of variants) {
        values.push(value);
        for (const [name, sub] of Object.entries(props)) {
          const norm = normalizeProperty(name, sub);
          const prev = params[name];
          if (prev && !prev.instanceTypes) continue; // a common property wins
          params[name] = {
            ...(prev ?? norm),
            instanceTypes: uniqueSorted([...(prev?.instanceTypes ?? []), value]),
            typeProperty,
            optional: (prev?.optional ?? false) || norm.optional,
          };
        }
      }
      // A property present in only some variants is optional for the merged map.
      for (const [name, p] of Object.entries(params)) {
        if (p.instanceTypes && p.instanceTypes.length < variants.length) params[name] = { ...p, optional: true };
      }
      const tps = part["type-property-schema"];
      params[typeProperty] = {
        ...(tps ? normalizeSchema(tps) : { type: "string", optional: false }),
        enum: uniqueSorted(values),
        optional: false,
      };
    }
  }
  return { params, ...(typeProperty ? { typeProperty } : {}) };
}

function normalizeProperty(name: string, raw: RawSchema): NormSchema {
  const schema = normalizeSchema(raw);
  const m = /^(.+)\[n\]$/.exec(name);
  if (m) schema.indexed = m[1]!;
  return schema;
}

/** Normalise one schema node (recursively). */
export function normalizeSchema(raw: RawSchema): NormSchema {
  const type = inferType(raw);
  const s: NormSchema = { type, optional: bool(raw.optional) };
  const description = raw.description?.trim();
  if (description) s.description = description;
  if (Array.isArray(raw.enum)) s.enum = uniqueSorted(raw.enum.map(String));
  if (typeof raw.pattern === "string") s.pattern = raw.pattern;
  setNum(s, "minimum", raw.minimum ?? raw.min);
  setNum(s, "maximum", raw.maximum ?? raw.max);
  setNum(s, "minLength", raw.minLength);
  setNum(s, "maxLength", raw.maxLength);
  if (raw.default !== undefined) applyDefault(s, raw.default);
  if (typeof raw.format === "string") {
    s.format = raw.format;
    if (raw.format.endsWith("-list")) s.list = true;
  } else if (raw.format && typeof raw.format === "object") {
    s.formatKeys = sortKeys(
      Object.fromEntries(Object.entries(raw.format).map(([k, sub]) => [k, normalizeSchema(sub)])),
    );
  }
  if (typeof raw.typetext === "string") s.typetext = raw.typetext;
  if (raw.items && typeof raw.items === "object") s.items = normalizeSchema(raw.items);
  if (raw.properties) {
    s.properties = sortKeys(
      Object.fromEntries(Object.entries(raw.properties).map(([k, sub]) => [k, normalizeProperty(k, sub)])),
    );
  }
  const ap = raw.additionalProperties;
  if (ap && typeof ap === "object") s.additional = normalizeSchema(ap);
  else if (ap !== undefined && bool(ap)) s.additional = true;
  if (typeof raw.requires === "string") s.requires = raw.requires;
  if (bool(raw.default_key)) s.defaultKey = true;
  if (typeof raw.alias === "string") s.alias = raw.alias;
  if (typeof raw.keyAlias === "string") s.keyAlias = raw.keyAlias;
  const it = raw["instance-types"];
  if (Array.isArray(it)) s.instanceTypes = uniqueSorted(it.map(String));
  if (typeof raw["type-property"] === "string") s.typeProperty = raw["type-property"];
  if (Array.isArray(raw.oneOf)) s.oneOf = raw.oneOf.map(normalizeSchema);
  return s;
}

function inferType(raw: RawSchema): NormType {
  if (typeof raw.type === "string" && TYPES.has(raw.type as NormType)) return raw.type as NormType;
  if (raw.properties) return "object";
  if (raw.items) return "array";
  if (raw.format && typeof raw.format === "object") return "string";
  if (raw.alias) return "string"; // property-string alias entries carry no type
  if (Array.isArray(raw.oneOf) && raw.oneOf[0]) return inferType(raw.oneOf[0]);
  return "any";
}

/** `default` often disagrees with `type` (strings for booleans, prose such as "same as user"). */
function applyDefault(s: NormSchema, value: unknown): void {
  const v = coerce(s.type, value);
  if (v === undefined) s.defaultText = String(value);
  else s.default = v;
}

function coerce(type: NormType, value: unknown): string | number | boolean | undefined {
  switch (type) {
    case "boolean":
      if (value === 1 || value === "1" || value === true) return true;
      if (value === 0 || value === "0" || value === false) return false;
      return undefined;
    case "integer":
    case "number": {
      const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
      if (!Number.isFinite(n) || (type === "integer" && !Number.isInteger(n))) return undefined;
      return n;
    }
    case "string":
      return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
    default:
      return typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? value : undefined;
  }
}

function setNum(s: NormSchema, key: "minimum" | "maximum" | "minLength" | "maxLength", value: unknown): void {
  if (value === undefined || value === null || value === "") return;
  const n = Number(value);
  if (Number.isFinite(n)) s[key] = n;
}

/** PVE writes booleans as 0/1, sometimes as the strings "0"/"1". */
export function bool(v: unknown): boolean {
  return v === true || v === 1 || v === "1";
}

function uniqueSorted(values: string[]): string[] {
  return [...new Set(values)].sort(compare);
}

/** Locale-independent ordering so output never depends on the machine. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortKeys<T>(obj: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.keys(obj).sort(compare).map((k) => [k, obj[k]!]));
}
