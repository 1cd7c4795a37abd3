/**
 * One test per row of ../shared/pve-apidoc/QUIRKS.md, on the real default schema (9.2.11): each quirk is
 * handled on purpose, and this shows how.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { routeMeta } from "../../codegen/emit/meta";
import { emitTreeText } from "../../codegen/emit/tree";
import { methodDoc, typesStatements } from "../../codegen/emit/types";
import { loadFormatDefs } from "../../codegen/formats-defs";
import { hashTree, parseApidocText } from "../../src/schema/load";
import { buildModel, type MethodModel, type Model } from "../../codegen/model";
import { normalize } from "../../src/schema/normalize";
import { SHARED } from "./helpers";

let model: Model;
const m = (key: string): MethodModel => {
  const found = model.methods.find((x) => x.key === key);
  if (!found) throw new Error(`no ${key}`);
  return found;
};
const format = (id: string) => model.formats.find((f) => f.id === id)!;

beforeAll(async () => {
  const tree = parseApidocText(readFileSync(join(SHARED, "pve-9.2.11.json"), "utf8"));
  const namedFormats = await loadFormatDefs(join(SHARED, "formats-9.1-proxmox-rs.json"));
  model = buildModel({ tree: normalize(tree), namedFormats, schemaSha256: hashTree(tree), pveVersion: "9.2.11" });
});

describe("QUIRKS.md on pve-9.2.11", () => {
  it("format: a string name or an inline object (property string)", () => {
    expect(m("DELETE /pools").params.poolid).toMatchObject({ format: "pve-poolid" });
    expect(m("DELETE /pools").params.poolid?.ps).toBeUndefined();
    const bwlimit = m("POST /storage").params.bwlimit!;
    expect(format(bwlimit.ps!).keys.clone).toMatchObject({ type: "number", minimum: 0 });
  });

  it("named property-string formats get their definition from formats-9.1-proxmox-rs.json (18)", () => {
    expect(m("POST /nodes/{node}/qemu").params.cpu?.ps).toBe("pve-vm-cpu-conf");
    expect(format("pve-vm-cpu-conf").keys.cputype).toMatchObject({ defaultKey: true });
    expect(model.formats.filter((f) => f.named)).toHaveLength(18);
  });

  it("-list formats are lists", () => {
    expect(m("PUT /nodes/{node}/qemu/{vmid}/config").params.delete).toMatchObject({ format: "pve-configid-list", list: true });
  });

  it("indexed name[n]: full ranges kept as data, in params and returns; digits alone are not indexes", () => {
    expect(m("POST /nodes/{node}/qemu").params["net[n]"]).toMatchObject({ indexed: "net", n: 32 });
    expect(m("POST /nodes/{node}/qemu").params["scsi[n]"]).toMatchObject({ n: 31 });
    expect(m("GET /nodes/{node}/qemu/{vmid}/config").returns.properties?.["net[n]"]).toMatchObject({ n: 32 });
    expect(m("POST /nodes/{node}/qemu").params.efidisk0?.indexed).toBeUndefined();
    expect(Object.keys(model.indexRanges)).toHaveLength(17);
  });

  it("default_key, alias and keyAlias survive into the format metadata", () => {
    const net = format(m("POST /nodes/{node}/qemu").params["net[n]"]!.ps!);
    expect(net.keys.model).toMatchObject({ defaultKey: true });
    expect(net.keys.e1000).toMatchObject({ alias: "macaddr", keyAlias: "model" });
  });

  it("Perl patterns become anchored JS regexes", () => {
    const p = m("GET /access/permissions").params.userid!.p!;
    const re = new RegExp(model.patterns[p]!);
    expect(re.test("root@pam!token")).toBe(true);
    expect(re.test("root")).toBe(false);
  });

  it("enum order is normalised (sorted)", () => {
    expect(m("POST /nodes/{node}/termproxy").params.cmd?.enum).toEqual([...m("POST /nodes/{node}/termproxy").params.cmd!.enum!].sort());
  });

  it('optional as "1" and default as "1" become booleans', () => {
    expect(m("POST /access/domains/{realm}/sync").params["enable-new"]).toMatchObject({ optional: true, default: true });
  });

  it("prose defaults are kept as text, never as a wrong-typed default", () => {
    const expire = m("POST /access/users/{userid}/token/{tokenid}").params.expire!;
    expect(expire.default).toBeUndefined();
    expect(expire.defaultText).toBe("same as user");
  });

  it("numbers as strings and min/max become numeric minimum/maximum", () => {
    const nextId = format(m("PUT /cluster/options").params["next-id"]!.ps!);
    expect(nextId.keys.lower).toMatchObject({ minimum: 100, maximum: 999999999 });
  });

  it("additionalProperties: 0, 1, or a map schema", () => {
    expect(m("GET /access/users/{userid}").returns.properties?.tokens?.additional).toMatchObject({ type: "object" });
    expect(m("GET /pools").returns.items?.properties?.members?.items?.additional).toBe(true);
    expect(routeMeta(m("GET /version")).params).toEqual({});
  });

  it("arrays without items and returns without a type", () => {
    expect(routeMeta(m("GET /cluster/sdn/ipams/{ipam}/status")).ret).toEqual({ t: "array" });
    // no `type`, but properties: an object
    expect(m("POST /access/openid/login").returns.type).toBe("object");
    expect(m("GET /nodes/{node}/storage/{storage}/file-restore/download").returns.type).toBe("any");
  });

  it("a task UPID hides behind {type: string}", () => {
    expect(m("POST /nodes/{node}/qemu").upid).toBe(true);
    expect(m("POST /nodes/{node}/qemu/{vmid}/status/start").upid).toBe(true);
    expect(m("GET /nodes/{node}/qemu/{vmid}/cloudinit/dump").upid).toBe(false);
    expect(model.methods.filter((x) => x.upid).length).toBeGreaterThan(90);
  });

  it("links (hypermedia) and UI hints (title, renderer, verbose_description) stay out of the metadata", () => {
    const meta = JSON.stringify(model.methods.map(routeMeta));
    for (const word of ["links", "renderer", "title", "verbose_description", "format_description", "typetext"]) {
      expect(meta).not.toContain(`"${word}"`);
    }
  });

  it("requires links two parameters", () => {
    expect(routeMeta(m("GET /pools")).params).toMatchObject({ type: { req: "poolid" } });
    expect(routeMeta(m("POST /access/ticket")).params).toMatchObject({ path: { req: "privs" }, privs: { req: "path" } });
  });

  it("instance-types + type-property + oneOf: discriminated unions", () => {
    const fabric = m("GET /cluster/sdn/fabrics/all").returns.properties?.fabrics?.items?.properties;
    expect(fabric?.area).toMatchObject({ instanceTypes: ["ospf"], typeProperty: "protocol" });
    expect(m("POST /cluster/sdn/fabrics/node/{fabric_id}").params.interfaces?.oneOf?.length).toBeGreaterThan(1);
    const types = typesStatements(model).filter((s): s is string => typeof s === "string").join("\n");
    expect(types).toContain("EndpointsByVerb");
  });

  it("path params: added when missing, non-identifier names, renamed across versions", () => {
    expect(m("PUT /cluster/sdn/prefix-lists/{id}/entries/{url_seq}").params).toMatchObject({ id: { optional: false }, url_seq: { optional: false } });
    const tree = emitTreeText(model);
    expect(tree).toMatch(/\$\(pci_id_or_mapping: string \| number\): ApiNodesByNodeHardwarePciByPciIdOrMapping;/);
  });

  it("nodes without info are path segments in the tree", () => {
    expect(model.methods.some((x) => x.path === "/nodes/{node}/sdn/vnets")).toBe(false);
    expect(emitTreeText(model)).toMatch(/export interface ApiNodesByNodeSdnVnets \{/);
  });

  it("method names are not unique: methods are keyed by verb and path", () => {
    expect(m("GET /version").name).toBe(m("GET /nodes/{node}/version").name);
    expect(m("GET /version").typeName).not.toBe(m("GET /nodes/{node}/version").typeName);
  });

  it("method-level keys and permissions reach the metadata and JSDoc", () => {
    expect(routeMeta(m("POST /access/ticket"))).toMatchObject({ tok: 0, prot: 1 });
    expect(routeMeta(m("GET /nodes/{node}/qemu"))).toMatchObject({ tok: 1, proxy: 1 });
    const doc = methodDoc(m("PUT /nodes/{node}/qemu/{vmid}/config"));
    expect(doc).toContain("`PUT /nodes/{node}/qemu/{vmid}/config`");
    expect(doc).toContain('check: `["perm","/vms/{vmid}"');
    expect(doc).toContain("API tokens: allowed.");
  });

  it("GET methods with required non-path params make their args required", () => {
    const rrd = m("GET /nodes/{node}/rrddata");
    expect(rrd.params.timeframe?.optional).toBe(false);
    expect(emitTreeText(model)).toMatch(/\$get\(args: GetNodesByNodeRrddataArgs, options\?: CallOptions\)/);
  });
});
