import { describe, expectTypeOf, it } from "vitest";
import { PveClient, type Params, type Returns, type Upid } from "../../src/index";

declare const pve: PveClient;

describe("PveClient types", () => {
  it("types the path tree from the schema", () => {
    expectTypeOf(pve.api.nodes.$("pve1").qemu.$get()).toEqualTypeOf<Promise<Returns<"GET", "/nodes/{node}/qemu">>>();
    expectTypeOf(pve.api.nodes.$("pve1").qemu.$(100).status.start.$post()).toEqualTypeOf<Promise<Upid>>();
    // @ts-expect-error no $get on a POST-only path
    void pve.api.nodes.$("pve1").qemu.$(100).status.start.$get;
    // @ts-expect-error unknown segment
    void pve.api.nodez;
  });

  it("types request() by verb and path template, path parameters inside params", () => {
    expectTypeOf(pve.request("GET", "/nodes/{node}/qemu", { node: "pve1" })).toEqualTypeOf<Promise<Returns<"GET", "/nodes/{node}/qemu">>>();
    expectTypeOf(pve.request("GET", "/version")).toEqualTypeOf<Promise<Returns<"GET", "/version">>>();
    // @ts-expect-error the node path parameter is required
    void pve.request("GET", "/nodes/{node}/qemu");
    // @ts-expect-error unknown parameter name for a known path
    void pve.request("GET", "/nodes/{node}/qemu", { node: "pve1", fulll: 1 });
    // @ts-expect-error the verb has no such path
    void pve.request("POST", "/version");
  });

  it("resolves concrete paths to their template's types", () => {
    expectTypeOf(pve.request("GET", "/nodes/pve1/qemu")).toEqualTypeOf<Promise<Returns<"GET", "/nodes/{node}/qemu">>>();
    expectTypeOf(pve.request("GET", "/nodes/pve1/qemu/100/status/current")).toEqualTypeOf<
      Promise<Returns<"GET", "/nodes/{node}/qemu/{vmid}/status/current">>
    >();
    expectTypeOf(pve.request("POST", "/nodes/pve1/qemu/100/status/start")).toEqualTypeOf<Promise<Upid>>();
    // literal segments win over parameters, as in the router: /nodes/{node}/qemu is not /nodes/{node}/{x}
    expectTypeOf(pve.request("GET", "/cluster/resources", { type: "vm" })).toEqualTypeOf<Promise<Returns<"GET", "/cluster/resources">>>();
    // a template literal type with string/number holes resolves too
    const node: string = "pve1";
    const vmid: number = 100;
    expectTypeOf(pve.request("GET", `/nodes/${node}/qemu/${vmid}/config`)).toEqualTypeOf<Promise<Returns<"GET", "/nodes/{node}/qemu/{vmid}/config">>>();
    // arguments of a concrete path are the method's own (the path parameters are in the path)
    void pve.request("POST", "/nodes/pve1/qemu", { vmid: 101, memory: "2048" });
    // @ts-expect-error the create call requires vmid
    void pve.request("POST", "/nodes/pve1/qemu", { memory: "2048" });
    // @ts-expect-error unknown parameter for a concrete path
    void pve.request("GET", "/nodes/pve1/qemu", { fulll: 1 });
  });

  it("rejects a path the bindings do not have", () => {
    // @ts-expect-error no such path
    void pve.request("GET", "/no/such/path");
    // @ts-expect-error a typo in a segment
    void pve.request("GET", "/nodes/pve1/qemuu");
    // @ts-expect-error no DELETE on this path
    void pve.request("DELETE", "/nodes/pve1/qemu");
    // @ts-expect-error a path only known at run time needs requestRaw
    void pve.request("GET", String("/nodes/pve1/qemu"));
    expectTypeOf(pve.requestRaw("GET", String("/nodes/pve1/qemu"))).resolves.toHaveProperty("data");
  });

  it("task lists' upid fields go to tasks.wait as they are", async () => {
    const tasks = await pve.request("GET", "/nodes/pve1/tasks");
    expectTypeOf(tasks[0]!.upid).toEqualTypeOf<Upid>();
    void pve.tasks.wait(tasks[0]!.upid);
    const cluster = await pve.api.cluster.tasks.$get();
    void pve.tasks.wait(cluster[0]!.upid);
  });

  it("Params include path parameters", () => {
    expectTypeOf<Params<"POST", "/nodes/{node}/qemu">>().toHaveProperty("node");
    expectTypeOf<Params<"POST", "/nodes/{node}/qemu">>().toHaveProperty("vmid");
  });

  it("fits a structural client interface such as the skill's", () => {
    interface LooseClient {
      request(verb: "GET" | "POST" | "PUT" | "DELETE", path: string, params?: Record<string, unknown>): Promise<unknown>;
      tasks: { wait(upid: string, options?: { timeoutMs?: number; onLog?: (line: string) => void }): Promise<unknown> };
    }
    expectTypeOf(pve).toExtend<LooseClient>();
  });
});
