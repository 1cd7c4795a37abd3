import type { PropertyFormatMeta, RouteMeta, SchemaMeta } from "../generated/meta-types";
import { stringifyPropertyString } from "../generated/property-string";
import { findParamSchema } from "./param-schema";
import { PveValidationError } from "./errors";
import { dotSegment, pathValueProblem } from "./path-values";
import type { ValidationProblem } from "./validate";

/**
 * Substitutes `{name}` placeholders with URL-encoded values. A missing value, a value that would change
 * the path (`.`, `..`, `/`), or a `.`/`..` segment in a concrete path is a validation error, whether or
 * not schema validation is on: nothing is sent.
 */
export function buildPath(template: string, values: Record<string, unknown>): string {
  const problems: ValidationProblem[] = [];
  const path = template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined || value === null || value === "") {
      problems.push({ param: name, code: "required", message: "path parameter is missing" });
      return "";
    }
    const problem = pathValueProblem(String(value));
    if (problem) problems.push({ param: name, code: "format", message: problem });
    return encodeURIComponent(String(value));
  });
  const dots = problems.length ? undefined : dotSegment(path);
  if (dots) problems.push({ param: "path", code: "format", message: `the path segment '${dots}' would change the request's path` });
  if (problems.length) throw new PveValidationError(problems, { path: template });
  return path;
}

/**
 * Encodes the non-path parameters as wire pairs: undefined/null dropped, booleans as 1/0,
 * property-string objects through the format's stringify, `-list` arrays joined with commas,
 * array parameters as repeated keys.
 */
export function encodeParams(
  route: RouteMeta | undefined,
  params: Record<string, unknown>,
  formats: Record<string, PropertyFormatMeta>,
): [string, string][] {
  const pathParams = new Set(route?.pp ?? []);
  const pairs: [string, string][] = [];
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === null || pathParams.has(name)) continue;
    const meta = route ? findParamSchema(route, name)?.schema : undefined;
    if (Array.isArray(value) && meta?.t === "array") {
      for (const item of value) pairs.push([name, encodeValue(meta?.i, item, formats)]);
    } else {
      pairs.push([name, encodeValue(meta, value, formats)]);
    }
  }
  return pairs;
}

/** One value on the wire. */
export function encodeValue(meta: SchemaMeta | undefined, value: unknown, formats: Record<string, PropertyFormatMeta>): string {
  if (typeof value === "boolean") return value ? "1" : "0";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (Array.isArray(value)) return value.map((v) => encodeValue(meta?.i, v, formats)).join(",");
  if (isPlainObject(value)) {
    const fmt = meta?.ps ? formats[meta.ps] : undefined;
    if (fmt) return stringifyPropertyString(fmt, value as never);
    // no format known (validation off or an unknown name): plain key=value pairs
    return Object.entries(value)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => `${k}=${encodeValue(undefined, v, formats)}`)
      .join(",");
  }
  return String(value);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `a=1&b=2` with `+` for spaces, as PVE's form parser expects. */
export function formEncode(pairs: readonly [string, string][]): string {
  return new URLSearchParams(pairs as [string, string][]).toString();
}
