import { describe, expectTypeOf, it } from "vitest";
import type { PveClient } from "../../src/index";
import type {
  Args,
  Bool,
  LxcNet,
  Params,
  PathOf,
  PropertyFormatTypes,
  QemuNet,
  Returns,
  RouteKey,
  Upid,
} from "../../src/generated";

declare const pve: PveClient;
const node = pve.api.nodes.$("pve1");

describe("generated surface: parameters", () => {
  it("creates a VM with net0 as an object or as a raw string, net31 at most", () => {
    const asObject: Params<"POST", "/nodes/{node}/qemu"> = {
      node: "pve1",
      vmid: 100,
      net0: { model: "virtio", bridge: "vmbr0", firewall: 1 },
      net31: "virtio,bridge=vmbr1",
      scsi30: "local-lvm:32",
      unused255: "local-lvm:vm-100-disk-9",
    };
    expectTypeOf(asObject.net0).toEqualTypeOf<string | QemuNet | undefined>();
    void node.qemu.$post({ vmid: 100, net0: "virtio,bridge=vmbr0", memory: "2048" });

    // @ts-expect-error net32 is beyond PVE's 32 network devices
    void node.qemu.$post({ vmid: 100, net32: "virtio" });
    // @ts-expect-error scsi31 is beyond scsi0..scsi30
    void node.qemu.$post({ vmid: 100, scsi31: "local-lvm:1" });
  });

  it("rejects a wrong enum value, inside a property-string object too", () => {
    // @ts-expect-error "sometimes" is not an onboot boolean
    void node.qemu.$post({ vmid: 100, onboot: "sometimes" });
    // @ts-expect-error ostype has a closed set of values
    void node.qemu.$post({ vmid: 100, ostype: "beos" });
    // @ts-expect-error "rtl9999" is not a NIC model
    void node.qemu.$post({ vmid: 100, net0: { model: "rtl9999" } });
  });

  it("requires required parameters and path parameters", () => {
    // @ts-expect-error vmid is required to create a VM
    void node.qemu.$post({ name: "web" });
    // @ts-expect-error GET rrddata needs timeframe (a required query parameter)
    void node.rrddata.$get();
    void node.rrddata.$get({ timeframe: "hour" });
    // @ts-expect-error Params include path parameters: node is missing
    const missingNode: Params<"POST", "/nodes/{node}/qemu"> = { vmid: 100 };
    void missingNode;
  });

  it("accepts booleans as true|false|0|1 and -list formats as arrays", () => {
    expectTypeOf<Args<"POST", "/nodes/{node}/qemu/{vmid}/status/start">["skiplock"]>().toEqualTypeOf<Bool | undefined>();
    expectTypeOf<Bool>().toEqualTypeOf<boolean | 0 | 1>();
    void node.qemu.$(100).config.$put({ delete: ["net1", "scsi2"], digest: "abc" });
    void node.qemu.$(100).config.$put({ delete: "net1,scsi2" });
  });

  it("types LXC network devices with their own format", () => {
    expectTypeOf<Args<"POST", "/nodes/{node}/lxc">["net0"]>().toEqualTypeOf<string | LxcNet | undefined>();
    expectTypeOf<PropertyFormatTypes["qemu-net"]>().toEqualTypeOf<QemuNet>();
  });
});

describe("generated surface: returns", () => {
  it("methods that start a task return the branded Upid", () => {
    expectTypeOf(node.qemu.$(100).status.start.$post()).toEqualTypeOf<Promise<Upid>>();
    expectTypeOf<Returns<"POST", "/nodes/{node}/lxc/{vmid}/snapshot">>().toEqualTypeOf<Upid>();
    expectTypeOf<Returns<"POST", "/nodes/{node}/qemu/{vmid}/config">>().toEqualTypeOf<Upid | null>();
    // a plain string is not a Upid
    // @ts-expect-error the brand keeps arbitrary strings out
    const u: Upid = "UPID:pve1:…";
    void u;
  });

  it("types /cluster/resources items", () => {
    type Item = Returns<"GET", "/cluster/resources">[number];
    expectTypeOf<Item["type"]>().toEqualTypeOf<"lxc" | "network" | "node" | "openvz" | "pool" | "qemu" | "sdn" | "storage">();
    expectTypeOf<Item["id"]>().toEqualTypeOf<string>();
    expectTypeOf<Item["vmid"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<Item["template"]>().toEqualTypeOf<boolean | undefined>();
  });

  it("types VM status, task lists (upid as Upid) and maps", () => {
    expectTypeOf<Returns<"GET", "/nodes/{node}/qemu/{vmid}/status/current">["status"]>().toEqualTypeOf<"running" | "stopped">();
    expectTypeOf<Returns<"GET", "/nodes/{node}/tasks">[number]["upid"]>().toEqualTypeOf<Upid>();
    expectTypeOf<Returns<"GET", "/nodes/{node}/qemu/{vmid}/config">["net5"]>().toEqualTypeOf<string | undefined>();
  });
});

describe("generated surface: discriminated unions (instance-types, PVE 9 SDN fabrics)", () => {
  it("narrows fabric properties on the protocol", () => {
    type Fabric = Returns<"GET", "/cluster/sdn/fabrics/all">["fabrics"][number];
    const f = {} as Fabric;
    if (f.protocol === "ospf") expectTypeOf(f.area).toEqualTypeOf<string | undefined>();
    // @ts-expect-error area exists only for OSPF fabrics
    if (f.protocol === "openfabric") void f.area;
  });
});

describe("generated surface: both ways", () => {
  it("reaches a method through the tree and through request() with the same types", () => {
    expectTypeOf(pve.request("POST", "/nodes/{node}/qemu/{vmid}/status/start", { node: "pve1", vmid: 100 })).toEqualTypeOf<Promise<Upid>>();
    expectTypeOf(pve.request("GET", "/cluster/resources", { type: "vm" })).toEqualTypeOf(pve.api.cluster.resources.$get({ type: "vm" }));
    expectTypeOf<PathOf<"DELETE">>().toMatchTypeOf<string>();
    expectTypeOf<"GET /version">().toMatchTypeOf<RouteKey>();
    // @ts-expect-error not a route of this schema
    expectTypeOf<"GET /nope">().toMatchTypeOf<RouteKey>();
  });
});
