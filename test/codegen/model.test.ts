import { describe, expect, it } from "vitest";
import { buildModel, isTaskMethod } from "../../codegen/model";
import { normalize, normalizeSchema } from "../../src/schema/normalize";
import type { RawNode, RawSchema } from "../../src/schema/raw-types";
import { params, treeWith } from "./helpers";

const model = (tree: RawNode[], namedFormats = {}) => buildModel({ tree: normalize(tree), namedFormats, schemaSha256: "0".repeat(64) });
const method = (path: string, verb: string, m: object) => normalize(treeWith(path, verb, m)).methods[0]!;

describe("task (UPID) detection", () => {
  it.each([
    ["a bare string from POST", "POST", "/nodes/{node}/qemu/{vmid}/status/start", { type: "string" }, true],
    ["'the task ID.'", "DELETE", "/nodes/{node}/qemu/{vmid}/snapshot/{snapname}", { type: "string", description: "the task ID." }, true],
    ["'Worker Task-UPID'", "POST", "/access/domains/{realm}/sync", { type: "string", description: "Worker Task-UPID" }, true],
    ["an optional string (async config)", "POST", "/nodes/{node}/qemu/{vmid}/config", { type: "string", optional: 1 }, true],
    ["GET never starts a task", "GET", "/nodes/{node}/report", { type: "string" }, false],
    ["a described non-task string", "POST", "/nodes/{node}/storage/{storage}/content", { type: "string", description: "Volume identifier" }, false],
    ["a formatted string", "POST", "/nodes/{node}/wakeonlan", { type: "string", format: "mac-addr" }, false],
    ["listed exceptions (lock token)", "POST", "/cluster/sdn/lock", { type: "string" }, false],
    ["objects", "POST", "/access/ticket", { type: "object" }, false],
  ])("%s", (_name, verb, path, returns, expected) => {
    expect(isTaskMethod(method(path, verb, { returns }))).toBe(expected);
  });
});

describe("buildModel", () => {
  it("deduplicates inline property-string formats and names them from their context", () => {
    const net: RawSchema = { type: "string", format: { model: { type: "string", default_key: 1, enum: ["virtio", "e1000"] } } };
    const tree: RawNode[] = [
      {
        path: "/nodes",
        children: [
          { path: "/nodes/{node}/qemu", info: { POST: { parameters: params({ "net[n]": net }) } } },
          { path: "/nodes/{node}/qemu/{vmid}/config", info: { PUT: { parameters: params({ "net[n]": net }) } } },
          { path: "/nodes/{node}/lxc", info: { POST: { parameters: params({ "net[n]": { type: "string", format: { name: { type: "string" } } } }) } } },
        ],
      },
    ];
    const m = model(tree);
    expect(m.formats.map((f) => [f.id, f.typeName])).toEqual([
      ["lxc-net", "LxcNet"],
      ["qemu-net", "QemuNet"],
    ]);
    const qemu = m.methods.find((x) => x.key === "POST /nodes/{node}/qemu")!;
    const config = m.methods.find((x) => x.key === "PUT /nodes/{node}/qemu/{vmid}/config")!;
    expect(qemu.params["net[n]"]).toMatchObject({ ps: "qemu-net", n: 32, indexed: "net" });
    expect(config.params["net[n]"]?.ps).toBe("qemu-net");
  });

  it("uses named format definitions for bare format names and reports undefined ones", () => {
    const tree = treeWith("/nodes/{node}/qemu", "POST", {
      parameters: params({
        cpu: { type: "string", format: "pve-vm-cpu-conf" },
        other: { type: "string", format: "pve-unknown-conf", typetext: "[a=<string>] [,b=<int>]" },
        node: { type: "string", format: "pve-node" },
      }),
    });
    const m = model(tree, { "pve-vm-cpu-conf": { cputype: normalizeSchema({ type: "string", default_key: 1 }) } });
    const p = m.methods[0]!.params;
    expect(p.cpu?.ps).toBe("pve-vm-cpu-conf");
    expect(p.other?.ps).toBeUndefined();
    expect(p.node?.ps).toBeUndefined();
    expect(m.formats.find((f) => f.id === "pve-vm-cpu-conf")).toMatchObject({ typeName: "PveVmCpuConf", named: true });
    expect(m.undefinedFormats).toEqual(["pve-unknown-conf"]);
  });

  it("takes index ranges from data, warning about unknown kinds", () => {
    const tree = treeWith("/x", "POST", { parameters: params({ "scsi[n]": { type: "string" }, "widget[n]": { type: "string" } }) });
    const m = model(tree);
    expect(m.indexRanges).toEqual({ scsi: 31, widget: 32 });
    expect(m.warnings).toEqual(["indexed option widget[n] has no known range; using 32"]);
  });

  it("stores converted patterns once, sorted, and points at them", () => {
    const tree = treeWith("/x", "POST", {
      parameters: params({ b: { type: "string", pattern: "(?^:b+)" }, a: { type: "string", pattern: "a+" }, c: { type: "string", pattern: "a+" } }),
    });
    const m = model(tree);
    expect(m.patterns).toEqual(["^(?:(?:b+))$", "^(?:a+)$"]);
    expect(m.methods[0]!.params.a?.p).toBe(1);
    expect(m.methods[0]!.params.c?.p).toBe(1);
  });

  it("gives placeholders distinct type names from literal segments", () => {
    const tree: RawNode[] = [
      { path: "/cluster", children: [{ path: "/cluster/sdn/fabrics/node/{fabric_id}", info: { GET: {} } }] },
      { path: "/nodes/{node}", info: { GET: {} } },
    ];
    expect(model(tree).methods.map((x) => x.typeName)).toEqual(["GetClusterSdnFabricsNodeByFabricId", "GetNodesByNode"]);
  });
});
