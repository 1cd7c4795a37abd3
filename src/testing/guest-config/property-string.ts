import type { PropertyFormatMeta } from "../../generated/meta-types";
import { formatSize, parseSize } from "../size";

/** A parsed property string: canonical key -> value text (booleans as "1"/"0", sizes as given). */
export type PropertyValues = Record<string, string>;

const TRUE = /^(1|on|yes|true)$/i;
const FALSE = /^(0|off|no|false)$/i;

/**
 * Parses property-string text as PVE::JSONSchema::parse_property_string does (pve-common
 * src/PVE/JSONSchema.pm): plain `,` split, `virtio=<mac>` key aliases (`model` + `macaddr`), the
 * default key for a bare value, booleans normalised to 1/0. The text was validated already.
 */
export function parsePve(fmt: PropertyFormatMeta, text: string): PropertyValues {
  const out: PropertyValues = {};
  const defaultKey = Object.keys(fmt.keys).find((k) => fmt.keys[k]?.dk);
  for (const part of text.split(",")) {
    if (part.trim() === "") continue;
    const eq = part.indexOf("=");
    let key = eq < 0 ? (defaultKey ?? "") : part.slice(0, eq);
    let value = eq < 0 ? part : part.slice(eq + 1);
    const meta = fmt.keys[key];
    if (meta?.alias !== undefined) {
      if (meta.keyAlias !== undefined) out[meta.keyAlias] = key;
      key = meta.alias;
    }
    if (fmt.keys[key]?.t === "boolean") value = TRUE.test(value) ? "1" : FALSE.test(value) ? "0" : value;
    out[key] = value;
  }
  return out;
}

/**
 * Prints values as PVE::JSONSchema::print_property_string does: the default key first (combined
 * with its key alias: `virtio=BC:24:11:…`), then the required keys sorted, then the rest sorted;
 * `disk-size` values in PVE's `format_size` form (`32G`, `512M`).
 */
export function printPve(fmt: PropertyFormatMeta, values: Readonly<Record<string, string | number | undefined>>): string {
  const keys = fmt.keys;
  const parts: string[] = [];
  const done = new Set<string>();
  const text = (key: string, value: string | number): string => {
    if (keys[key]?.f === "disk-size") {
      const bytes = typeof value === "number" ? value : parseSize(value);
      return bytes === undefined ? String(value) : formatSize(bytes);
    }
    return String(value);
  };
  const add = (key: string, isDefault: boolean): void => {
    if (done.has(key)) return;
    done.add(key);
    const value = values[key];
    if (value === undefined) return;
    // `model=virtio` + `macaddr=X` print as `virtio=X`: find the alias entry named by the value
    const aliasEntry = keys[String(value)];
    if (aliasEntry?.keyAlias === key && aliasEntry.alias !== undefined && values[aliasEntry.alias] !== undefined) {
      parts.push(`${value}=${text(aliasEntry.alias, values[aliasEntry.alias] as string)}`);
      done.add(aliasEntry.alias);
      return;
    }
    parts.push(isDefault ? text(key, value) : `${key}=${text(key, value)}`);
  };
  const defaultKey = Object.keys(keys).find((k) => keys[k]?.dk);
  if (defaultKey) add(defaultKey, true);
  const sorted = Object.keys(values).sort();
  for (const key of sorted) if (keys[key] && !keys[key]?.o && keys[key]?.alias === undefined) add(key, false);
  for (const key of sorted) add(key, false);
  return parts.join(",");
}
