import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RETURN_OVERRIDES } from "../../codegen/data/return-overrides";
import { loadSchema } from "../../src/schema/load";
import type { NormSchema } from "../../src/schema/norm-types";
import { normalize } from "../../src/schema/normalize";
import { applyReturnOverrides } from "../../codegen/overrides";
import type { RouteMeta, SchemaMeta } from "../../src/generated/meta-types";
import { routes } from "../../src/generated/routes";
import { params, SHARED, treeWith } from "./helpers";

const tree = normalize((await loadSchema(join(SHARED, "pve-9.2.11.json"))).tree);
const applied = applyReturnOverrides(tree);
const returnsOf = (t: typeof tree, key: string) => t.methods.find((m) => `${m.verb} ${m.path}` === key)!.returns;

/** The schema at a dot path, walking through array items. */
function at(s: NormSchema, path: string[]): NormSchema | undefined {
  if (s.type === "array" && s.items) return at(s.items, path);
  const [head, ...rest] = path;
  if (!head) return s;
  const prop = s.properties?.[head];
  return prop && (rest.length ? at(prop, rest) : prop);
}

function metaAt(s: SchemaMeta, path: string[]): SchemaMeta | undefined {
  if (s.t === "array" && s.i) return metaAt(s.i, path);
  const [head, ...rest] = path;
  if (!head) return s;
  const prop = s.props?.[head];
  return prop && (rest.length ? metaAt(prop, rest) : prop);
}

function everyProperty(s: NormSchema, out: [string, NormSchema][] = [], prefix = ""): [string, NormSchema][] {
  if (s.items) everyProperty(s.items, out, prefix);
  for (const [k, v] of Object.entries(s.properties ?? {})) {
    out.push([prefix + k, v]);
    everyProperty(v, out, `${prefix}${k}.`);
  }
  return out;
}

describe("return overrides (codegen/data/return-overrides.ts) on the 9.2.11 schema", () => {
  it("every row matches the schema", () => {
    expect(applied.unmatched).toEqual([]);
  });

  for (const row of RETURN_OVERRIDES) {
    it(`${row.method} ${row.property}: ${"add" in row.change ? "added" : "optional"}`, () => {
      const before = returnsOf(tree, row.method);
      const after = returnsOf(applied.tree, row.method);
      const route = (routes as Record<string, RouteMeta>)[row.method]!;
      if (row.property === "*") {
        const before_ = everyProperty(before);
        expect(before_.some(([, p]) => !p.optional)).toBe(true); // the row changes something
        for (const [name, p] of everyProperty(after)) expect(p.optional, name).toBe(true);
        for (const [name] of before_) expect(metaAt(route.ret, name.split("."))?.o, name).toBe(1);
        return;
      }
      const path = row.property.split(".");
      if ("add" in row.change) {
        expect(at(before, path)).toBeUndefined();
        expect(at(after, path)).toEqual(row.change.add);
        expect(metaAt(route.ret, path)).toMatchObject({ t: row.change.add.type });
      } else {
        expect(at(before, path)?.optional).toBe(false);
        expect(at(after, path)?.optional).toBe(true);
      }
      // the generated runtime metadata (src/generated) carries the change, so null decodes to absent
      expect(metaAt(route.ret, path)?.o).toBe(1);
    });
  }
});

describe("applyReturnOverrides", () => {
  const list = treeWith("/a", "GET", {
    returns: { type: "array", items: { type: "object", properties: { x: { type: "string" }, o: { type: "object", properties: { y: { type: "integer" } } } } } },
    parameters: params({}),
  });

  it("walks array items and dot paths; leaves the input untouched", () => {
    const t = normalize(list);
    const r = applyReturnOverrides(t, [{ method: "GET /a", property: "o.y", change: { optional: true }, why: "test" }]);
    expect(r.unmatched).toEqual([]);
    expect(r.tree.methods[0]!.returns.items!.properties!.o!.properties!.y!.optional).toBe(true);
    expect(t.methods[0]!.returns.items!.properties!.o!.properties!.y!.optional).toBe(false);
  });

  it("reports a row whose method exists but whose property does not; skips a row for a missing method", () => {
    const r = applyReturnOverrides(normalize(list), [
      { method: "GET /a", property: "nope", change: { optional: true }, why: "test" },
      { method: "GET /older-pve-lacks-this", property: "x", change: { optional: true }, why: "test" },
    ]);
    expect(r.unmatched).toEqual(["GET /a nope"]);
  });

  it("an added property the schema already declares is left as the schema has it", () => {
    const r = applyReturnOverrides(normalize(list), [{ method: "GET /a", property: "x", change: { add: { type: "integer", optional: true } }, why: "test" }]);
    expect(r.unmatched).toEqual([]);
    expect(r.tree.methods[0]!.returns.items!.properties!.x).toMatchObject({ type: "string", optional: false });
  });
});
