import type { PropertyFormatMeta, RouteMeta, SchemaMeta } from "../generated/meta-types";
import { patterns as generatedPatterns } from "../generated/patterns";
import { propertyFormats as generatedFormats } from "../generated/formats";
import { parsePropertyString, splitList } from "../generated/property-string";
import { findParamSchema, indexedFamily } from "./param-schema";
import { formatCheck, listItemFormat } from "./format-checks";
import { parseWireBoolean, parseWireInteger, parseWireNumber } from "./wire-scalar";
import { pathValueProblem } from "./path-values";
import { isSecretName, REDACTED } from "./redact";

/** What kind of rule a parameter broke; stable, for callers that branch on it. */
export type ValidationCode =
  | "unknown"
  | "index"
  | "required"
  | "requires"
  | "type"
  | "enum"
  | "pattern"
  | "range"
  | "length"
  | "format";

/** One broken rule. `param` names the parameter as given (`net0`, or `net0.bridge` inside a property string). */
export interface ValidationProblem {
  param: string;
  code: ValidationCode;
  message: string;
}

export interface ValidateOptions {
  /**
   * Values are strings as a server receives them from a query string or form body
   * (`"1"` for an integer or boolean, a string or repeated strings for arrays).
   * Off: values are what a caller passes (numbers, booleans, arrays, property-string objects, or their strings).
   */
  wire?: boolean;
  /** Pattern table that `SchemaMeta.p` indexes (default: the generated one). */
  patterns?: readonly RegExp[];
  /** Property-string formats that `SchemaMeta.ps` names (default: the generated ones). */
  propertyFormats?: Record<string, PropertyFormatMeta>;
}

interface Ctx {
  wire: boolean;
  patterns: readonly RegExp[];
  formats: Record<string, PropertyFormatMeta>;
  problems: ValidationProblem[];
}

/** Whether a parameter counts as given: undefined and null are dropped before sending. */
const isGiven = (v: unknown): boolean => v !== undefined && v !== null;

/**
 * Checks `params` against a route's schema the way PVE::JSONSchema does: unknown names,
 * indexed ranges, required and `requires`, types, enums, patterns, ranges, lengths, named
 * formats and property-string keys. Pure: returns every problem found (empty when valid).
 * Messages follow PVE's wording, so a server can answer with them unchanged.
 */
export function validateParams(
  route: RouteMeta,
  params: Record<string, unknown>,
  opts: ValidateOptions = {},
): ValidationProblem[] {
  const ctx: Ctx = {
    wire: opts.wire ?? false,
    patterns: opts.patterns ?? generatedPatterns,
    formats: opts.propertyFormats ?? generatedFormats,
    problems: [],
  };
  for (const [name, value] of Object.entries(params)) {
    if (!isGiven(value)) continue;
    const found = findParamSchema(route, name);
    if (found) {
      checkValue(found.schema, value, name, ctx);
      continue;
    }
    const family = indexedFamily(route, name);
    if (family) {
      const base = family.key.slice(0, -"[n]".length);
      add(ctx, name, "index", `index out of range: ${family.key} accepts ${base}0 to ${base}${family.count - 1}`);
    } else {
      add(ctx, name, "unknown", "property is not defined in schema and the schema does not allow additional properties");
    }
  }
  for (const name of route.pp) {
    const value = params[name];
    const problem = isGiven(value) && (typeof value === "string" || typeof value === "number") ? pathValueProblem(String(value)) : undefined;
    if (problem) add(ctx, name, "format", problem);
  }
  for (const [key, schema] of Object.entries(route.params)) {
    if (schema.o || schema.n !== undefined) continue;
    if (!isGiven(params[key])) add(ctx, key, "required", "property is missing and it is not optional");
  }
  for (const [name, value] of Object.entries(params)) {
    const req = isGiven(value) ? findParamSchema(route, name)?.schema.req : undefined;
    if (req && !isGiven(params[req])) add(ctx, req, "requires", `missing property - '${name}' requires this property`);
  }
  return ctx.problems;
}

function add(ctx: Ctx, param: string, code: ValidationCode, message: string): void {
  ctx.problems.push({ param, code, message });
}

/** Short, secret-free description of a value for messages: secret parameters show as `***`. */
function show(where: string, value: unknown): string {
  if (isSecretName(where)) return REDACTED;
  const text = typeof value === "string" ? value : typeof value === "object" ? Object.prototype.toString.call(value) : String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function typeProblem(ctx: Ctx, where: string, type: string, value: unknown): void {
  add(ctx, where, "type", `type check ('${type}') failed - got '${show(where, value)}'`);
}

function checkValue(schema: SchemaMeta, value: unknown, where: string, ctx: Ctx): void {
  switch (schema.t) {
    case "boolean":
      return checkBoolean(value, where, ctx);
    case "integer":
    case "number":
      return checkNumber(schema, value, where, ctx);
    case "string":
      return checkString(schema, value, where, ctx);
    case "array":
      return checkArray(schema, value, where, ctx);
    case "object":
      return checkObject(schema, value, where, ctx);
    default:
      return; // "any" and "null": nothing to check
  }
}

function checkBoolean(value: unknown, where: string, ctx: Ctx): void {
  if (!ctx.wire && (typeof value === "boolean" || value === 0 || value === 1)) return;
  if (typeof value === "string" && parseWireBoolean(value) !== undefined) return;
  typeProblem(ctx, where, "boolean", value);
}

function checkNumber(schema: SchemaMeta, value: unknown, where: string, ctx: Ctx): void {
  const integer = schema.t === "integer";
  let n: number | undefined;
  if (typeof value === "string") n = integer ? parseWireInteger(value) : parseWireNumber(value);
  else if (!ctx.wire && typeof value === "number" && Number.isFinite(value) && (!integer || Number.isInteger(value))) n = value;
  if (n === undefined) return typeProblem(ctx, where, schema.t, value);
  if (schema.min !== undefined && n < schema.min) add(ctx, where, "range", `value must have a minimum value of ${schema.min}`);
  if (schema.max !== undefined && n > schema.max) add(ctx, where, "range", `value may have a maximum value of ${schema.max}`);
  if (schema.e && !schema.e.includes(String(n))) enumProblem(schema, n, where, ctx);
}

function enumProblem(schema: SchemaMeta, value: unknown, where: string, ctx: Ctx): void {
  add(ctx, where, "enum", `value '${show(where, value)}' does not have a value in the enumeration '${(schema.e ?? []).join(", ")}'`);
}

function checkString(schema: SchemaMeta, value: unknown, where: string, ctx: Ctx): void {
  if (schema.ps && !ctx.wire && isPlainObject(value)) return checkPropertyObject(schema.ps, value, where, ctx);
  let text: string;
  if (typeof value === "string") text = value;
  else if (!ctx.wire && typeof value === "number" && Number.isFinite(value)) text = String(value);
  else if (!ctx.wire && schema.l && Array.isArray(value) && value.every((v) => typeof v === "string" || typeof v === "number"))
    text = value.join(",");
  else return typeProblem(ctx, where, "string", value);

  if (schema.minL !== undefined && text.length < schema.minL)
    add(ctx, where, "length", `value must be at least ${schema.minL} characters long`);
  if (schema.maxL !== undefined && text.length > schema.maxL)
    add(ctx, where, "length", `value may only be ${schema.maxL} characters long`);
  if (schema.e && !schema.e.includes(text)) enumProblem(schema, text, where, ctx);
  if (schema.p !== undefined) {
    const re = ctx.patterns[schema.p];
    if (re && !re.test(text)) add(ctx, where, "pattern", "value does not match the regex pattern");
  }
  if (schema.f) checkFormat(schema, text, where, ctx);
  if (schema.ps) checkPropertyText(schema.ps, text, where, ctx);
}

function checkFormat(schema: SchemaMeta, text: string, where: string, ctx: Ctx): void {
  const format = schema.f as string;
  const itemFormat = schema.l ? (listItemFormat(format) ?? format) : undefined;
  const check = formatCheck(itemFormat ?? format);
  if (!check) return;
  const items = itemFormat ? splitList(text) : [text];
  for (const item of items) {
    if (!check(item)) add(ctx, where, "format", `invalid format - value '${show(where, item)}' is not a valid ${itemFormat ?? format}`);
  }
}

function checkPropertyText(ps: string, text: string, where: string, ctx: Ctx): void {
  const fmt = ctx.formats[ps];
  if (!fmt) return; // unknown format: leave it to the server
  let parsed: Record<string, unknown>;
  try {
    parsed = parsePropertyString(fmt, text) as Record<string, unknown>;
  } catch (err) {
    add(ctx, where, "format", `invalid format - ${err instanceof Error ? err.message : String(err)}`);
    return;
  }
  checkPropertyObject(ps, parsed, where, ctx);
}

/**
 * Checks the keys of a property-string value given as an object. `keyAlias` shorthands
 * (`{ virtio: "AA:BB:…" }` sets model=virtio and macaddr) count for the keys they set.
 */
function checkPropertyObject(ps: string, value: Record<string, unknown>, where: string, ctx: Ctx): void {
  const fmt = ctx.formats[ps];
  if (!fmt) return;
  const keys = fmt.keys;
  const present = new Set<string>();
  for (const [k, v] of Object.entries(value)) {
    if (!isGiven(v)) continue;
    const entry = Object.prototype.hasOwnProperty.call(keys, k) ? keys[k] : undefined;
    if (!entry) {
      add(ctx, `${where}.${k}`, "unknown", "property is not defined in schema and the schema does not allow additional properties");
      continue;
    }
    present.add(k);
    const target = entry.alias ? keys[entry.alias] : entry;
    if (entry.alias) present.add(entry.alias);
    if (entry.keyAlias) present.add(entry.keyAlias);
    if (target) checkValue(target, v, `${where}.${entry.alias ?? k}`, { ...ctx, wire: false });
  }
  for (const [k, entry] of Object.entries(keys)) {
    if (entry.o || entry.alias || present.has(k)) continue;
    add(ctx, `${where}.${k}`, "required", "property is missing and it is not optional");
  }
}

function checkArray(schema: SchemaMeta, value: unknown, where: string, ctx: Ctx): void {
  let items: unknown[];
  if (Array.isArray(value)) items = value;
  else if (ctx.wire && typeof value === "string") items = [value];
  else return typeProblem(ctx, where, "array", value);
  if (schema.i) items.forEach((item, i) => checkValue(schema.i as SchemaMeta, item, `${where}[${i}]`, ctx));
}

function checkObject(schema: SchemaMeta, value: unknown, where: string, ctx: Ctx): void {
  if (!isPlainObject(value)) return typeProblem(ctx, where, "object", value);
  const props = schema.props ?? {};
  for (const [k, v] of Object.entries(value)) {
    if (!isGiven(v)) continue;
    const prop = Object.prototype.hasOwnProperty.call(props, k) ? props[k] : undefined;
    if (prop) checkValue(prop, v, `${where}.${k}`, ctx);
    else if (typeof schema.add === "object") checkValue(schema.add, v, `${where}.${k}`, ctx);
    else if (schema.add !== 1 && schema.props)
      add(ctx, `${where}.${k}`, "unknown", "property is not defined in schema and the schema does not allow additional properties");
  }
  for (const [k, prop] of Object.entries(props)) {
    if (!prop.o && !isGiven(value[k])) add(ctx, `${where}.${k}`, "required", "property is missing and it is not optional");
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
