import { RETURN_OVERRIDES, type ReturnOverride } from "./data/return-overrides";
import type { NormSchema, NormSchemaTree } from "../src/schema/norm-types";
import { sortKeys } from "../src/schema/normalize";

/**
 * The overrides stage (between normalise and model): applies data/return-overrides.ts to the
 * methods' return schemas. Rows for methods a schema lacks (older PVE) are skipped; a row whose
 * method exists but whose property is not found is reported, so a stale row does not go unnoticed.
 */
export function applyReturnOverrides(
  tree: NormSchemaTree,
  rows: readonly ReturnOverride[] = RETURN_OVERRIDES,
): { tree: NormSchemaTree; unmatched: string[] } {
  const unmatched: string[] = [];
  const byMethod = new Map<string, ReturnOverride[]>();
  for (const row of rows) byMethod.set(row.method, [...(byMethod.get(row.method) ?? []), row]);
  const methods = tree.methods.map((m) => {
    const mine = byMethod.get(`${m.verb} ${m.path}`);
    if (!mine) return m;
    let returns = m.returns;
    for (const row of mine) {
      const next = applyRow(returns, row.property.split("."), row.change);
      if (next) returns = next;
      else unmatched.push(`${row.method} ${row.property}`);
    }
    return { ...m, returns };
  });
  return { tree: { ...tree, methods }, unmatched };
}

/** A copy of `s` with the change applied at `path`, or undefined when the path is not there. */
function applyRow(s: NormSchema, path: string[], change: ReturnOverride["change"]): NormSchema | undefined {
  if (s.type === "array" && s.items) {
    const items = applyRow(s.items, path, change);
    return items && { ...s, items };
  }
  const [head, ...rest] = path;
  if (head === "*") return "optional" in change ? allOptional(s) : undefined;
  if (!head || !s.properties) return undefined;
  const prop = s.properties[head];
  if (rest.length === 0) {
    // a schema that declares it already needs no addition
    if ("add" in change) return prop ? s : { ...s, properties: sortKeys({ ...s.properties, [head]: change.add }) };
    return prop && { ...s, properties: { ...s.properties, [head]: { ...prop, optional: true } } };
  }
  const inner = prop && applyRow(prop, rest, change);
  return inner && { ...s, properties: { ...s.properties, [head]: inner } };
}

function allOptional(s: NormSchema): NormSchema {
  const out: NormSchema = { ...s };
  if (s.items) out.items = allOptional(s.items);
  if (s.properties) {
    out.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, { ...allOptional(v), optional: true }]));
  }
  return out;
}
