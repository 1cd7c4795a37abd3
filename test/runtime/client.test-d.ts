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

  it("accepts other paths untyped", () => {
    expectTypeOf(pve.request("GET", "/nodes/pve1/qemu")).toEqualTypeOf<Promise<unknown>>();
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
