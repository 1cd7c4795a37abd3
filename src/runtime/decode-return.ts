import type { SchemaMeta } from "../generated/meta-types";
import { parseWireBoolean, parseWireNumber } from "./wire-scalar";

const INDEXED_KEY = /^([A-Za-z][A-Za-z_-]*?)(\d+)$/;

/** Called once per value that did not convert: where (`[].pid`, `net0`), what arrived, what the schema says. */
export type DecodeMismatch = (property: string, received: string, expected: string) => void;

/** The way down to a value, built only when a mismatch is reported. */
interface Crumb {
  up: Crumb | undefined;
  key: string | number;
}

/**
 * Decodes a response value into the types its return schema declares. PVE is written in Perl,
 * whose scalars carry no type, so the wire holds (all seen in real answers):
 * - booleans as `0`/`1`, `"0"`/`"1"`, `""` (Perl's false) or `"true"`/`"false"`;
 * - numbers as numeric strings (`pid: "6297"` in LXC lists, `vmid` before pve-container 81aa4bd);
 * - `null` for an absent optional value (`pid: null` on stopped guests) — the property is removed;
 * - numbers where a string is declared (a VM named `123`) — converted with `String`.
 * Nested objects, arrays, maps (`additionalProperties` schemas) and indexed keys (`net0` under
 * `net[n]`) are decoded too. A value that cannot convert is kept as received and reported through
 * `onMismatch` (never silently mistyped). Objects and arrays are decoded in place (they are freshly
 * parsed JSON) and returned.
 */
export function decodeReturn(meta: SchemaMeta | undefined, value: unknown, onMismatch?: DecodeMismatch): unknown {
  if (!meta) return value;
  return decode(meta, value, onMismatch, undefined, "");
}

function decode(meta: SchemaMeta, value: unknown, report: DecodeMismatch | undefined, up: Crumb | undefined, key: string | number): unknown {
  if (value === null || value === undefined) return value;
  switch (meta.t) {
    case "integer":
    case "number":
      if (typeof value === "number") return value;
      if (typeof value === "string") {
        const n = parseWireNumber(value);
        if (n !== undefined) return n;
      }
      return mismatch(report, up, key, value, meta.t);
    case "boolean":
      if (typeof value === "boolean") return value;
      if (value === 0 || value === 1) return value === 1;
      if (typeof value === "string") {
        // "" is how Perl's false reaches JSON (`template: ""` in guest lists on PVE 5–7)
        if (value === "") return false;
        const b = parseWireBoolean(value);
        if (b !== undefined) return b;
      }
      return mismatch(report, up, key, value, "boolean");
    case "string":
      if (typeof value === "string") return value;
      if (typeof value === "number") return String(value);
      return mismatch(report, up, key, value, "string");
    case "array":
      if (!Array.isArray(value)) return mismatch(report, up, key, value, "array");
      if (meta.i && isContainerOrConvertible(meta.i)) {
        const crumb: Crumb = { up, key };
        for (let i = 0; i < value.length; i++) value[i] = decode(meta.i, value[i], report, crumb, i);
      }
      return value;
    case "object":
      if (typeof value !== "object" || Array.isArray(value)) return mismatch(report, up, key, value, "object");
      if (meta.props || typeof meta.add === "object") decodeObject(meta, value as Record<string, unknown>, report, { up, key });
      return value;
    default:
      return value;
  }
}

/** String items need no work unless they arrive as numbers; skip the loop only for `any`. */
function isContainerOrConvertible(meta: SchemaMeta): boolean {
  return meta.t !== "any" && meta.t !== "null";
}

function decodeObject(meta: SchemaMeta, obj: Record<string, unknown>, report: DecodeMismatch | undefined, crumb: Crumb): void {
  const props = meta.props;
  const extra = typeof meta.add === "object" ? meta.add : undefined;
  for (const key in obj) {
    const schema = (props && propSchema(props, key)) ?? extra;
    if (!schema) continue;
    const value = obj[key];
    if (value === null) {
      // PVE sends null for an unset value; the declared type of an optional property is "absent"
      if (schema.o === 1 || schema === extra) delete obj[key];
      else mismatch(report, crumb, key, value, schema.t);
      continue;
    }
    const decoded = decode(schema, value, report, crumb, key);
    if (decoded !== value) obj[key] = decoded;
  }
}

/** A property's schema, including indexed ones (`net0` under `net[n]`). */
function propSchema(props: Readonly<Record<string, SchemaMeta>>, key: string): SchemaMeta | undefined {
  if (Object.prototype.hasOwnProperty.call(props, key)) return props[key];
  const m = INDEXED_KEY.exec(key);
  if (!m) return undefined;
  const family = `${m[1]}[n]`;
  return Object.prototype.hasOwnProperty.call(props, family) ? props[family] : undefined;
}

function mismatch(report: DecodeMismatch | undefined, up: Crumb | undefined, key: string | number, value: unknown, expected: string): unknown {
  if (report) report(where(up, key), describe(value), expected);
  return value;
}

/** `a.b[].c`: array positions collapse to `[]` so one log line covers every item. */
function where(up: Crumb | undefined, key: string | number): string {
  const parts: string[] = [];
  for (let c: Crumb | undefined = { up, key }; c; c = c.up) {
    if (c.key === "") continue;
    parts.push(typeof c.key === "number" ? "[]" : c.key);
  }
  let out = "";
  for (let i = parts.length - 1; i >= 0; i--) {
    const p = parts[i] as string;
    out += p === "[]" || out === "" ? p : `.${p}`;
  }
  return out || "(value)";
}

/** What arrived, without the value itself (a value may be a secret, such as a SPICE password). */
function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "string") return value === "" ? "empty string" : "string";
  return typeof value;
}
