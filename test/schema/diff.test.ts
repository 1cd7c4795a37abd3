import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { diffSchemas, type SchemaChange, type SchemaDiff } from "../../src/schema/diff";
import { diffSchemaSources } from "../../src/schema/diff-files";
import { renderDiffJson, renderDiffText } from "../../src/schema/diff-render";
import { loadSchema } from "../../src/schema/load";
import type { NormSchemaTree } from "../../src/schema/norm-types";
import { normalize } from "../../src/schema/normalize";
import { sharedApidocDir } from "../../codegen/provision";
import type { RawMethod, RawNode } from "../../src/schema/raw-types";

/** A one-level raw apidoc tree: `{ "/path": { GET: method } }`. */
function tree(nodes: Record<string, Record<string, RawMethod>>): NormSchemaTree {
  const raw: RawNode[] = Object.entries(nodes).map(([path, info]) => ({ path, text: path, info, leaf: 1 }) as RawNode);
  return normalize(raw);
}

const vmid = { type: "integer", minimum: 100 };
const base = (params: Record<string, unknown> = {}, returns: unknown = { type: "null" }, extra: object = {}): RawMethod =>
  ({
    name: "m",
    parameters: { additionalProperties: 0, properties: { node: { type: "string" }, ...params } },
    returns,
    ...extra,
  }) as RawMethod;

function only(d: SchemaDiff, pick: Partial<SchemaChange>): SchemaChange[] {
  return d.changes.filter((c) =>
    Object.entries(pick).every(([k, v]) => isDeepStrictEqual((c as unknown as Record<string, unknown>)[k], v)),
  );
}

describe("diffSchemas on small schemas", () => {
  // [what, old method, new method, expected change (subset), breaking]
  const cases: [string, RawMethod, RawMethod, Partial<SchemaChange>, boolean][] = [
    [
      "optional param added",
      base(),
      base({ force: { type: "boolean", optional: 1 } }),
      { kind: "added", name: "force", location: "param" },
      false,
    ],
    ["required param added", base(), base({ size: { type: "string" } }), { kind: "added", name: "size" }, true],
    ["param removed", base({ old: { type: "string", optional: 1 } }), base(), { kind: "removed", name: "old" }, true],
    [
      "param became required",
      base({ x: { type: "string", optional: 1 } }),
      base({ x: { type: "string" } }),
      { kind: "became-required", name: "x" },
      true,
    ],
    [
      "param became optional",
      base({ x: { type: "string" } }),
      base({ x: { type: "string", optional: "1" } }),
      { kind: "became-optional", name: "x" },
      false,
    ],
    [
      "enum value removed from a param",
      base({ mode: { type: "string", enum: ["a", "b"], optional: 1 } }),
      base({ mode: { type: "string", enum: ["b", "c"], optional: 1 } }),
      { kind: "enum-values-removed", name: "mode", before: ["a"] },
      true,
    ],
    [
      "enum value added to a param",
      base({ mode: { type: "string", enum: ["a"], optional: 1 } }),
      base({ mode: { type: "string", enum: ["b", "a"], optional: 1 } }),
      { kind: "enum-values-added", name: "mode", after: ["b"] },
      false,
    ],
    [
      "param type changed",
      base({ memory: { type: "integer", optional: 1 } }),
      base({ memory: { type: "string", optional: 1 } }),
      { kind: "type-changed", name: "memory" },
      true,
    ],
    [
      "param integer → number",
      base({ n: { type: "integer", optional: 1 } }),
      base({ n: { type: "number", optional: 1 } }),
      { kind: "type-changed", name: "n" },
      false,
    ],
    [
      "minimum raised",
      base({ vmid }),
      base({ vmid: { ...vmid, minimum: "200" } }),
      { kind: "constraint-tightened", name: "vmid", before: 100, after: 200 },
      true,
    ],
    [
      "maximum added",
      base({ vmid }),
      base({ vmid: { ...vmid, max: 999 } }),
      { kind: "constraint-tightened", name: "vmid" },
      true,
    ],
    [
      "maxLength raised",
      base({ d: { type: "string", maxLength: 40 } }),
      base({ d: { type: "string", maxLength: 64 } }),
      { kind: "constraint-loosened", name: "d" },
      false,
    ],
    [
      "pattern added",
      base({ id: { type: "string" } }),
      base({ id: { type: "string", pattern: "[a-z]+" } }),
      { kind: "pattern-changed", name: "id" },
      true,
    ],
    [
      "pattern dropped",
      base({ id: { type: "string", pattern: "[a-z]+" } }),
      base({ id: { type: "string" } }),
      { kind: "pattern-changed", name: "id" },
      false,
    ],
    [
      "default changed",
      base({ q: { type: "boolean", default: 0, optional: 1 } }),
      base({ q: { type: "boolean", default: "1", optional: 1 } }),
      { kind: "default-changed", before: false, after: true },
      false,
    ],
    [
      "format widened to a list",
      base({ id: { type: "string", format: "pve-vmid" } }),
      base({ id: { type: "string", format: "pve-vmid-list" } }),
      { kind: "format-changed" },
      false,
    ],
    [
      "format changed",
      base({ id: { type: "string", format: "pve-vmid" } }),
      base({ id: { type: "string", format: "pve-node" } }),
      { kind: "format-changed" },
      true,
    ],
    [
      "property-string key removed",
      base({
        efidisk0: {
          type: "string",
          optional: 1,
          format: { file: { type: "string", default_key: 1 }, "ms-cert": { type: "string", optional: 1 } },
        },
      }),
      base({ efidisk0: { type: "string", optional: 1, format: { file: { type: "string", default_key: 1 } } } }),
      { kind: "removed", name: "efidisk0.ms-cert", location: "param" },
      true,
    ],
    [
      "property-string alias key added",
      base({ "net[n]": { type: "string", optional: 1, format: { model: { type: "string" } } } }),
      base({
        "net[n]": {
          type: "string",
          optional: 1,
          format: { model: { type: "string" }, e1000: { alias: "macaddr", keyAlias: "model" } },
        },
      }),
      { kind: "added", name: "net[n].e1000" },
      false,
    ],
    [
      "return property removed",
      base({}, { type: "array", items: { type: "object", properties: { vmid, cyls: { type: "integer" } } } }),
      base({}, { type: "array", items: { type: "object", properties: { vmid } } }),
      { kind: "removed", name: "[].cyls", location: "return" },
      true,
    ],
    [
      "return property added",
      base({}, { type: "object", properties: { a: { type: "string" } } }),
      base({}, { type: "object", properties: { a: { type: "string" }, b: { type: "string", optional: 1 } } }),
      { kind: "added", name: "b", location: "return" },
      false,
    ],
    [
      "return property became optional",
      base({}, { type: "object", properties: { size: { type: "integer" } } }),
      base({}, { type: "object", properties: { size: { type: "integer", optional: 1 } } }),
      { kind: "became-optional", name: "size", location: "return" },
      true,
    ],
    [
      "return type changed",
      base({}, { type: "string" }),
      base({}, { type: "object" }),
      { kind: "type-changed", name: "", location: "return" },
      true,
    ],
    [
      "return null → string",
      base({}, { type: "null" }),
      base({}, { type: "string" }),
      { kind: "type-changed", location: "return" },
      false,
    ],
    [
      "return enum value added",
      base({}, { type: "object", properties: { status: { type: "string", enum: ["running"] } } }),
      base({}, { type: "object", properties: { status: { type: "string", enum: ["running", "paused"] } } }),
      { kind: "enum-values-added", name: "status", location: "return" },
      false,
    ],
    [
      "map values compared",
      base(
        {},
        {
          type: "object",
          properties: {
            tokens: { type: "object", additionalProperties: { type: "object", properties: { expire: { type: "integer" } } } },
          },
        },
      ),
      base(
        {},
        {
          type: "object",
          properties: {
            tokens: { type: "object", additionalProperties: { type: "object", properties: { expire: { type: "string" } } } },
          },
        },
      ),
      { kind: "type-changed", name: "tokens{}.expire", location: "return" },
      true,
    ],
    [
      "tokens no longer allowed",
      base(),
      base({}, { type: "null" }, { allowtoken: 0 }),
      { kind: "token-disallowed", location: "endpoint" },
      true,
    ],
  ];

  it.each(cases)("%s", (_what, before, after, expected, breaking) => {
    const d = diffSchemas(tree({ "/nodes/{node}/x": { POST: before } }), tree({ "/nodes/{node}/x": { POST: after } }));
    const found = only(d, expected);
    expect(found, JSON.stringify(d.changes, null, 1)).toHaveLength(1);
    expect(found[0]).toMatchObject({ verb: "POST", path: "/nodes/{node}/x", breaking });
    expect(d.summary.breaking + d.summary.nonBreaking).toBe(d.changes.length);
  });

  it("reports added and removed endpoints, and renamed path placeholders as one breaking change", () => {
    const d = diffSchemas(
      tree({ "/a": { GET: base(), POST: base() }, "/pci/{pciid}": { GET: base({ pciid: { type: "string" } }) } }),
      tree({
        "/a": { GET: base() },
        "/b": { PUT: base() },
        "/pci/{pci-id-or-mapping}": { GET: base({ "pci-id-or-mapping": { type: "string" } }) },
      }),
    );
    expect(only(d, { kind: "endpoint-removed" })).toMatchObject([{ verb: "POST", path: "/a", breaking: true }]);
    expect(only(d, { kind: "endpoint-added" })).toMatchObject([{ verb: "PUT", path: "/b", breaking: false }]);
    expect(only(d, { kind: "path-renamed" })).toMatchObject([
      { verb: "GET", path: "/pci/{pci-id-or-mapping}", before: "/pci/{pciid}", breaking: true },
    ]);
    // the renamed path parameter is matched by position, not reported as removed + added
    expect(only(d, { location: "param" })).toEqual([]);
    expect(d.summary).toMatchObject({ endpointsAdded: 1, endpointsRemoved: 1, endpointsRenamed: 1, endpointsChanged: 0 });
  });

  it("finds nothing between a schema and itself", () => {
    const t = tree({ "/nodes/{node}/x": { POST: base({ vmid }, { type: "object", properties: { a: { type: "string" } } }) } });
    expect(diffSchemas(t, t).changes).toEqual([]);
  });

  it("renders text with breaking markers and JSON that round-trips", () => {
    const d = diffSchemas(
      tree({ "/x": { GET: base({ gone: { type: "string", optional: 1 } }) }, "/old": { DELETE: base() } }),
      tree({ "/x": { GET: base({ fresh: { type: "string", optional: 1 } }) } }),
      { old: { label: "a.json", pveVersion: "8.4" }, new: { label: "b.json", pveVersion: "9.0" } },
    );
    const text = renderDiffText(d);
    expect(text).toContain("PVE 8.4 (a.json, 2 methods) → PVE 9.0 (b.json, 1 method)");
    expect(text).toMatch(/Removed endpoints \(breaking\):\n {2}DELETE \/old/);
    expect(text).toContain("    ! param gone: parameter removed");
    expect(text).toContain("      param fresh: parameter added (optional)");
    const breakingOnly = renderDiffText(d, { breakingOnly: true });
    expect(breakingOnly).not.toContain("fresh");
    expect(breakingOnly).toContain("gone");
    expect(JSON.parse(renderDiffJson(d))).toEqual(d);
    expect((JSON.parse(renderDiffJson(d, { breakingOnly: true })) as SchemaDiff).changes.every((c) => c.breaking)).toBe(true);
  });
});

describe("diffs of the shared PVE schemas", () => {
  const dir = sharedApidocDir();
  const files = ["pve-7.4.json", "pve-8.4-final.json", "pve-9.0.json", "pve-9.1.json", "pve-9.2-pre.json", "pve-9.2.11.json"];
  const trees = new Map<string, NormSchemaTree>();

  beforeAll(async () => {
    for (const f of files) trees.set(f, normalize((await loadSchema(join(dir, f))).tree));
  });

  const pairs = files.slice(1).map((f, i) => [files[i]!, f] as const);
  it.each(pairs)("%s → %s diffs, and its endpoint changes agree with the data", (a, b) => {
    const before = trees.get(a)!;
    const after = trees.get(b)!;
    const d = diffSchemas(before, after);
    const keys = (t: NormSchemaTree): Set<string> => new Set(t.methods.map((m) => `${m.verb} ${m.path}`));
    const oldKeys = keys(before);
    const newKeys = keys(after);
    const gone = [...oldKeys].filter((k) => !newKeys.has(k));
    const fresh = [...newKeys].filter((k) => !oldKeys.has(k));
    const removed = only(d, { kind: "endpoint-removed" }).map((c) => `${c.verb} ${c.path}`);
    const added = only(d, { kind: "endpoint-added" }).map((c) => `${c.verb} ${c.path}`);
    const renamed = only(d, { kind: "path-renamed" });
    // every vanished route is reported as removed or renamed, every new one as added or renamed
    expect([...removed, ...renamed.map((c) => `${c.verb} ${String(c.before)}`)].sort()).toEqual(gone.sort());
    expect([...added, ...renamed.map((c) => `${c.verb} ${c.path}`)].sort()).toEqual(fresh.sort());
    expect(d.summary.breaking + d.summary.nonBreaking).toBe(d.changes.length);
    expect(d.old.methods).toBe(before.methods.length);
    expect(renderDiffText(d)).toContain(`${d.summary.breaking} breaking`);
  });

  it("7.4 → 8.4 reports the removal of POST /access/tfa and the old ceph/pools endpoints", async () => {
    const d = await diffSchemaSources(join(dir, "pve-7.4.json"), join(dir, "pve-8.4-final.json"));
    expect(d.old).toMatchObject({ label: "pve-7.4.json", pveVersion: "7.4" });
    expect(d.new).toMatchObject({ label: "pve-8.4-final.json", pveVersion: "8.4" });
    const removed = only(d, { kind: "endpoint-removed" });
    expect(removed.every((c) => c.breaking)).toBe(true);
    const keys = removed.map((c) => `${c.verb} ${c.path}`);
    expect(keys).toContain("POST /access/tfa");
    for (const k of [
      "GET /nodes/{node}/ceph/pools",
      "POST /nodes/{node}/ceph/pools",
      "GET /nodes/{node}/ceph/pools/{name}",
      "PUT /nodes/{node}/ceph/pools/{name}",
      "DELETE /nodes/{node}/ceph/pools/{name}",
    ]) {
      expect(keys).toContain(k);
    }
    const text = renderDiffText(d);
    expect(text).toMatch(/Removed endpoints \(breaking\):[\s\S]*POST {3}\/access\/tfa/);
    // 8.x renamed {pciid}: reported as a rename, not as a removal
    expect(only(d, { kind: "path-renamed", path: "/nodes/{node}/hardware/pci/{pci-id-or-mapping}" })).toHaveLength(1);
  });

  it("8.4 → 9.0 reports the qemu disk geometry options as removed return properties", () => {
    const d = diffSchemas(trees.get("pve-8.4-final.json")!, trees.get("pve-9.0.json")!);
    const cyls = only(d, { kind: "removed", location: "return", path: "/nodes/{node}/qemu/{vmid}/config", name: "ide[n].cyls" });
    expect(cyls).toMatchObject([{ breaking: true }]);
  });
});
