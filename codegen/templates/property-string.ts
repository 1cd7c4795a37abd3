/**
 * Property strings (`virtio=AA:BB:CC:DD:EE:FF,bridge=vmbr0,firewall=1`): parse and stringify driven by a
 * format's key metadata, following PVE::JSONSchema::parse_property_string / print_property_string.
 */
import type { PropertyFormatMeta, PropertyKeyMeta } from "./meta-types";

/** Thrown for text that does not follow the format; the message names the key and the problem. */
export class PropertyStringError extends Error {
  override name = "PropertyStringError";
}

/** Typed parse/stringify for one format. */
export interface PropertyStringCodec<T> {
  parse(text: string): T;
  stringify(value: T | string): string;
  readonly format: PropertyFormatMeta;
}

const TRUE = new Set(["1", "on", "yes", "true"]);
const FALSE = new Set(["0", "off", "no", "false"]);

/** Split a `-list` value (`a,b;c d`) into its items. */
export function splitList(text: string): string[] {
  return text.split(/[,;\s]+/).filter((x) => x !== "");
}

/** Parse property-string text into an object keyed by the canonical key names. */
export function parsePropertyString(fmt: PropertyFormatMeta, text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const defaultKey = Object.keys(fmt.keys).find((k) => fmt.keys[k]!.dk);
  for (const part of splitParts(text)) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    let key: string;
    let raw: string;
    if (eq < 0) {
      if (!defaultKey) throw new PropertyStringError(`value without a key: "${part}" (this format has no default key)`);
      key = defaultKey;
      raw = part;
    } else {
      key = part.slice(0, eq);
      raw = unquote(part.slice(eq + 1));
    }
    const meta = fmt.keys[key];
    if (meta?.alias !== undefined) {
      if (meta.keyAlias !== undefined) setOnce(out, meta.keyAlias, key);
      key = meta.alias;
    }
    const target = fmt.keys[key];
    setOnce(out, key, target ? decode(key, target, raw) : raw);
  }
  return out;
}

/** Print an object (or pass a raw string through) as property-string text, default key first. */
export function stringifyPropertyString(fmt: PropertyFormatMeta, value: Record<string, unknown> | string): string {
  if (typeof value === "string") return value;
  if (value === null || typeof value !== "object") {
    throw new PropertyStringError(`expected an object or a string, got ${value === null ? "null" : typeof value}`);
  }
  const parts: string[] = [];
  const done = new Set<string>();
  const keys = fmt.keys;
  // `virtio=<mac>` shorthand: when the value of keyAlias names an alias key, print that pair first.
  for (const [name, meta] of Object.entries(keys)) {
    if (meta.keyAlias === undefined || meta.alias === undefined) continue;
    if (value[meta.keyAlias] === name && value[meta.alias] !== undefined) {
      parts.push(`${name}=${encode(value[meta.alias], keys[meta.alias])}`);
      done.add(meta.keyAlias).add(meta.alias);
    }
  }
  const defaultKey = Object.keys(keys).find((k) => keys[k]!.dk);
  if (defaultKey && !done.has(defaultKey) && value[defaultKey] !== undefined) {
    parts.unshift(encode(value[defaultKey], keys[defaultKey]));
    done.add(defaultKey);
  }
  for (const key of Object.keys(value).sort()) {
    const v = value[key];
    if (done.has(key) || v === undefined || v === null) continue;
    const meta = keys[key];
    const canonical = meta?.alias !== undefined && meta.keyAlias === undefined ? meta.alias : key;
    parts.push(`${canonical}=${encode(v, keys[canonical])}`);
  }
  return parts.join(",");
}

/** Build typed codecs for a table of formats. */
export function makeCodecs<T extends object>(
  formats: Readonly<Record<keyof T & string, PropertyFormatMeta>>,
): { readonly [K in keyof T]: PropertyStringCodec<T[K]> } {
  const out: Record<string, PropertyStringCodec<unknown>> = {};
  for (const [id, format] of Object.entries<PropertyFormatMeta>(formats)) {
    out[id] = {
      format,
      parse: (text) => parsePropertyString(format, text),
      stringify: (v) => stringifyPropertyString(format, v as Record<string, unknown> | string),
    };
  }
  return out as { readonly [K in keyof T]: PropertyStringCodec<T[K]> };
}

function decode(key: string, meta: PropertyKeyMeta, raw: string): unknown {
  switch (meta.t) {
    case "boolean":
      if (TRUE.has(raw.toLowerCase())) return true;
      if (FALSE.has(raw.toLowerCase())) return false;
      throw new PropertyStringError(`${key}: expected a boolean (1|0), got "${raw}"`);
    case "integer":
    case "number": {
      const n = Number(raw);
      if (raw.trim() === "" || !Number.isFinite(n)) throw new PropertyStringError(`${key}: expected a number, got "${raw}"`);
      return n;
    }
    default:
      return meta.l ? raw.split(";").filter((x) => x !== "") : raw;
  }
}

function encode(v: unknown, meta: PropertyKeyMeta | undefined): string {
  if (typeof v === "boolean") return v ? "1" : "0";
  if (Array.isArray(v)) return v.map(String).join(";");
  const s = String(v);
  // Values holding a separator must be quoted (PVE accepts "…" with \" and \\ escapes).
  if (meta?.t === "string" && /[,"]/.test(s)) return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  return s;
}

function setOnce(out: Record<string, unknown>, key: string, v: unknown): void {
  if (key in out) throw new PropertyStringError(`duplicate key "${key}"`);
  out[key] = v;
}

/** Split on commas that are not inside a double-quoted value. */
function splitParts(text: string): string[] {
  const parts: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === "\\" && i + 1 < text.length) {
      cur += c + text[++i];
    } else if (c === '"') {
      quoted = !quoted;
      cur += c;
    } else if (c === "," && !quoted) {
      parts.push(cur.trim());
      cur = "";
    } else cur += c;
  }
  if (quoted) throw new PropertyStringError(`unterminated quote in "${text}"`);
  parts.push(cur.trim());
  return parts;
}

function unquote(raw: string): string {
  if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')) return raw.slice(1, -1).replace(/\\(.)/g, "$1");
  return raw;
}
