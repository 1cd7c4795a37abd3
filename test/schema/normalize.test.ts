import { describe, expect, it } from "vitest";
import { normalize, normalizeSchema } from "../../src/schema/normalize";
import type { RawNode, RawSchema } from "../../src/schema/raw-types";
import { params, treeWith } from "../codegen/helpers";

const only = (tree: RawNode[]) => normalize(tree).methods[0]!;

describe("normalizeSchema: QUIRKS.md, one row each", () => {
  it.each([
    ["optional as the string \"1\"", { type: "boolean", optional: "1" }, { optional: true }],
    ["optional 0", { type: "string", optional: 0 }, { optional: false }],
    ["boolean default as a string", { type: "boolean", default: "1" }, { default: true }],
    ["integer default as a string", { type: "integer", default: "5" }, { default: 5 }],
    ["prose default kept as text", { type: "integer", default: "same as user" }, { defaultText: "same as user" }],
    ["numbers as strings", { type: "integer", minimum: "0", maximum: "10" }, { minimum: 0, maximum: 10 }],
    ["non-standard min/max (7.2+)", { type: "integer", min: 100, max: 999999999 }, { minimum: 100, maximum: 999999999 }],
    ["enum order is not stable between dumps", { type: "string", enum: ["login", "ceph_install"] }, { enum: ["ceph_install", "login"] }],
    ["-list formats", { type: "string", format: "pve-configid-list" }, { format: "pve-configid-list", list: true }],
    ["additionalProperties 1", { type: "object", additionalProperties: 1 }, { additional: true }],
    ["additionalProperties schema = a map", { type: "object", additionalProperties: { type: "integer" } }, { additional: { type: "integer", optional: false } }],
    ["no type but properties", { properties: { a: { type: "string" } } }, { type: "object" }],
    ["no type at all", {}, { type: "any" }],
    ["array without items", { type: "array" }, { type: "array" }],
    ["alias entry without a type", { alias: "macaddr", keyAlias: "model" }, { type: "string", alias: "macaddr", keyAlias: "model" }],
    ["default_key marker", { type: "string", default_key: 1 }, { defaultKey: true }],
    ["instance-types", { type: "string", "instance-types": ["ospf"], "type-property": "protocol" }, { instanceTypes: ["ospf"], typeProperty: "protocol" }],
  ])("%s", (_name, raw, expected) => {
    expect(normalizeSchema(raw as RawSchema)).toMatchObject(expected);
  });

  it("keeps an inline property-string format as keyed sub-schemas", () => {
    const s = normalizeSchema({ type: "string", format: { model: { type: "string", default_key: 1 }, tag: { type: "integer", minimum: "1" } } });
    expect(s.formatKeys?.model).toMatchObject({ defaultKey: true });
    expect(s.formatKeys?.tag).toMatchObject({ type: "integer", minimum: 1 });
  });

  it("marks indexed properties name[n] in nested objects too", () => {
    const s = normalizeSchema({ type: "object", properties: { "net[n]": { type: "string" }, efidisk0: { type: "string" } } });
    expect(s.properties?.["net[n]"]?.indexed).toBe("net");
    expect(s.properties?.efidisk0?.indexed).toBeUndefined();
  });
});

describe("normalize", () => {
  it("sorts methods by path then verb and skips nodes without info", () => {
    const tree: RawNode[] = [
      { path: "/b", info: { POST: { returns: {} }, GET: { returns: {} } } },
      { path: "/a", children: [{ path: "/a/x", info: { DELETE: {} } }] },
    ];
    expect(normalize(tree).methods.map((m) => `${m.verb} ${m.path}`)).toEqual(["DELETE /a/x", "GET /b", "POST /b"]);
  });

  it("adds path placeholders missing from properties, always required", () => {
    const m = only(treeWith("/cluster/sdn/prefix-lists/{id}/entries/{url_seq}", "PUT", { parameters: params({ id: { type: "string", optional: 1 } }) }));
    expect(m.pathParams).toEqual(["id", "url_seq"]);
    expect(m.params.id).toMatchObject({ type: "string", optional: false });
    expect(m.params.url_seq).toMatchObject({ type: "string", optional: false });
  });

  it("reads method-level keys (0/1 booleans, proxyto, permissions)", () => {
    const m = only(
      treeWith("/nodes/{node}/x", "POST", {
        allowtoken: 0,
        protected: 1,
        proxyto: "node",
        expose_credentials: 1,
        permissions: { check: ["perm", "/", ["Sys.Audit"]] },
      }),
    );
    expect(m).toMatchObject({ allowToken: false, protected: true, proxyTo: "node", exposeCredentials: true });
    expect(m.permissions?.check).toEqual(["perm", "/", ["Sys.Audit"]]);
  });

  it("treats a missing returns as null", () => {
    const tree: RawNode[] = [{ path: "/x", info: { GET: { name: "x" } } }];
    expect(only(tree).returns.type).toBe("null");
  });

  it("merges allOf + oneOf parameter roots (PVE 9 HA rules) into one map with a selector", () => {
    const m = only(
      treeWith("/cluster/ha/rules", "POST", {
        parameters: {
          allOf: [
            { additionalProperties: 0, properties: { rule: { type: "string", optional: 0 } } },
            {
              "type-property": "type",
              "type-property-schema": { type: "string", enum: ["node-affinity", "resource-affinity"] },
              oneOf: [
                { "instance-type": "node-affinity", properties: { nodes: { type: "string", optional: 0 }, comment: { type: "string", optional: 1 } } },
                { "instance-type": "resource-affinity", properties: { affinity: { type: "string", optional: 0 }, comment: { type: "string", optional: 1 } } },
              ],
            },
          ],
        },
      }),
    );
    expect(m.paramsTypeProperty).toBe("type");
    expect(m.params.type).toMatchObject({ enum: ["node-affinity", "resource-affinity"], optional: false });
    expect(m.params.rule).toMatchObject({ optional: false });
    expect(m.params.rule?.instanceTypes).toBeUndefined();
    expect(m.params.nodes).toMatchObject({ instanceTypes: ["node-affinity"], optional: true });
    expect(m.params.comment).toMatchObject({ instanceTypes: ["node-affinity", "resource-affinity"] });
  });

  it("refuses a tree that defines a method twice", () => {
    const tree: RawNode[] = [
      { path: "/x", info: { GET: {} } },
      { path: "/x", info: { GET: {} } },
    ];
    expect(() => normalize(tree)).toThrowError(/defines GET \/x twice/);
  });
});
