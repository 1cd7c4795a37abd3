import { describe, expect, it } from "vitest";
import type { PropertyFormatMeta, RouteMeta } from "../../src/generated/meta-types";
import { validateParams } from "../../src/runtime/validate";

const patterns = [/^[a-z][a-z0-9]*$/];
const propertyFormats: Record<string, PropertyFormatMeta> = {
  "pve-qm-net": {
    keys: {
      model: { t: "string", e: ["e1000", "virtio"], dk: 1 },
      macaddr: { t: "string", o: 1, f: "mac-addr" },
      bridge: { t: "string", o: 1, p: 0 },
      firewall: { t: "boolean", o: 1 },
      virtio: { t: "string", o: 1, alias: "macaddr", keyAlias: "model" },
    },
  },
};

const route: RouteMeta = {
  v: "POST",
  path: "/nodes/{node}/qemu",
  pp: ["node"],
  params: {
    node: { t: "string", f: "pve-node" },
    vmid: { t: "integer", f: "pve-vmid", min: 100, max: 999999999 },
    name: { t: "string", o: 1, maxL: 8, p: 0 },
    cores: { t: "integer", o: 1, min: 1 },
    balloon: { t: "number", o: 1, min: 0 },
    onboot: { t: "boolean", o: 1 },
    ostype: { t: "string", o: 1, e: ["l26", "win11"] },
    "net[n]": { t: "string", o: 1, n: 32, ps: "pve-qm-net" },
    delete: { t: "string", o: 1, f: "pve-configid-list", l: 1 },
    pool: { t: "string", o: 1, req: "storage" },
    storage: { t: "string", o: 1, f: "pve-storage-id" },
    tags: { t: "array", o: 1, i: { t: "string", minL: 2 } },
  },
  ret: { t: "string" },
  upid: 1,
};

const check = (params: Record<string, unknown>, wire = false) =>
  validateParams(route, params, { patterns, propertyFormats, wire });

describe("validateParams", () => {
  it("accepts valid caller values, including property-string objects and lists as arrays", () => {
    expect(
      check({
        node: "pve1",
        vmid: 100,
        name: "web1",
        cores: 2,
        balloon: 0.5,
        onboot: true,
        ostype: "l26",
        net0: { model: "virtio", bridge: "vmbr0", firewall: 1 },
        net31: "virtio,bridge=vmbr1",
        delete: ["ide2", "net1"],
        tags: ["ab", "cd"],
        storage: "local-lvm",
        pool: "prod",
        description: undefined,
      }),
    ).toEqual([]);
  });

  it("accepts the numeric and boolean strings PVE accepts, and 0/1 for booleans", () => {
    expect(check({ node: "pve1", vmid: "100", cores: "+4", onboot: 0, balloon: "1.5e2" })).toEqual([]);
    expect(check({ node: "pve1", vmid: 100, onboot: "yes" })).toEqual([]);
  });

  it("lists every problem and names each parameter", () => {
    const problems = check({
      vmid: 99,
      name: "NotLowerAndTooLong",
      cores: 1.5,
      onboot: "maybe",
      ostype: "dos",
      net0: { model: "rtl", bridge: "vmbr0" },
      net32: "virtio",
      netx: "virtio",
      delete: "ide2,9bad",
      tags: ["a"],
      pool: "prod",
    });
    const byParam = Object.fromEntries(problems.map((p) => [`${p.param}:${p.code}`, p.message]));
    expect(byParam).toMatchObject({
      "node:required": "property is missing and it is not optional",
      "vmid:range": "value must have a minimum value of 100",
      "name:length": "value may only be 8 characters long",
      "name:pattern": "value does not match the regex pattern",
      "cores:type": "type check ('integer') failed - got '1.5'",
      "onboot:type": "type check ('boolean') failed - got 'maybe'",
      "ostype:enum": "value 'dos' does not have a value in the enumeration 'l26, win11'",
      "net0.model:enum": expect.stringContaining("rtl"),
      "net32:index": "index out of range: net[n] accepts net0 to net31",
      "netx:unknown": expect.stringContaining("not defined in schema"),
      "delete:format": expect.stringContaining("'9bad'"),
      "tags[0]:length": expect.stringContaining("at least 2"),
      "storage:requires": "missing property - 'pool' requires this property",
    });
    expect(problems).toHaveLength(13);
  });

  it("checks property-string text by parsing it, with keyAlias shorthand counting as the model", () => {
    expect(check({ node: "pve1", vmid: 100, net1: "virtio=AA:BB:CC:DD:EE:FF,bridge=vmbr0" })).toEqual([]);
    const problems = check({ node: "pve1", vmid: 100, net1: { bridge: "Vmbr0", colour: "red" } });
    expect(problems.map((p) => `${p.param}:${p.code}`).sort()).toEqual([
      "net1.bridge:pattern",
      "net1.colour:unknown",
      "net1.model:required",
    ]);
  });

  it("never resolves the literal schema key or prototype names", () => {
    const problems = check({ node: "pve1", vmid: 100, "net[n]": "virtio", constructor: "x", net05: "virtio" });
    expect(problems.map((p) => p.param).sort()).toEqual(["constructor", "net05", "net[n]"]);
  });

  it("in wire mode accepts only strings, as a server receives them", () => {
    expect(check({ node: "pve1", vmid: "100", onboot: "1", tags: "ab", net0: "model=virtio" }, true)).toEqual([]);
    const problems = check({ node: "pve1", vmid: 100, onboot: true, net0: { model: "virtio" } }, true);
    expect(problems.map((p) => `${p.param}:${p.code}`).sort()).toEqual(["net0:type", "onboot:type", "vmid:type"]);
  });

  it("treats null like undefined (not sent), so a required null is missing", () => {
    expect(check({ node: null, vmid: 100 }).map((p) => `${p.param}:${p.code}`)).toEqual(["node:required"]);
  });
});
