import type { SchemaMeta } from "../generated/meta-types";
import { parseWireBoolean, parseWireNumber } from "./wire-scalar";

const INDEXED_KEY = /^([A-Za-z][A-Za-z_-]*?)(\d+)$/;

/**
 * Decodes a response value guided by its return schema: PVE (Perl) often sends numbers as
 * strings and booleans as 0/1, so `"12"` becomes 12 where the schema says integer/number and
 * 0/1 (or `"0"`/`"1"`) becomes false/true where it says boolean. Anything the schema does not
 * describe, or that does not convert cleanly, is kept as received. Objects and arrays are
 * decoded in place (they are freshly parsed JSON) and returned.
 */
export function decodeReturn(meta: SchemaMeta | undefined, value: unknown): unknown {
  if (!meta || value === null || value === undefined) return value;
  switch (meta.t) {
    case "integer":
    case "number":
      if (typeof value === "string") return parseWireNumber(value) ?? value;
      return value;
    case "boolean":
      if (value === 0 || value === 1) return value === 1;
      if (typeof value === "string") return parseWireBoolean(value) ?? value;
      return value;
    case "array":
      if (Array.isArray(value) && meta.i) {
        for (let i = 0; i < value.length; i++) value[i] = decodeReturn(meta.i, value[i]);
      }
      return value;
    case "object":
      if (typeof value === "object" && !Array.isArray(value)) decodeObject(meta, value as Record<string, unknown>);
      return value;
    default:
      return value;
  }
}

function decodeObject(meta: SchemaMeta, obj: Record<string, unknown>): void {
  const props = meta.props;
  const extra = typeof meta.add === "object" ? meta.add : undefined;
  if (!props && !extra) return;
  for (const key of Object.keys(obj)) {
    const schema = propSchema(props, key) ?? extra;
    if (schema) obj[key] = decodeReturn(schema, obj[key]);
  }
}

/** A property's schema, including indexed ones (`net0` under `net[n]`). */
function propSchema(props: Record<string, SchemaMeta> | undefined, key: string): SchemaMeta | undefined {
  if (!props) return undefined;
  if (Object.prototype.hasOwnProperty.call(props, key)) return props[key];
  const m = INDEXED_KEY.exec(key);
  if (!m) return undefined;
  const family = `${m[1]}[n]`;
  return Object.prototype.hasOwnProperty.call(props, family) ? props[family] : undefined;
}
