import { describe, expectTypeOf, it } from "vitest";
import type { Returns } from "../../src/generated";

/** One type test per row of codegen/data/return-overrides.ts: the generated types admit what PVE sends. */
describe("return types after the overrides", () => {
  it("snapshot lists: description may be missing (the `current` pseudo-snapshot on old hosts)", () => {
    expectTypeOf<Returns<"GET", "/nodes/{node}/qemu/{vmid}/snapshot">[number]["description"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Returns<"GET", "/nodes/{node}/lxc/{vmid}/snapshot">[number]["description"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Returns<"GET", "/nodes/{node}/qemu/{vmid}/snapshot">[number]["name"]>().toEqualTypeOf<string>();
  });

  it("status/current: vmid may be missing (hosts before 2018-08)", () => {
    expectTypeOf<Returns<"GET", "/nodes/{node}/qemu/{vmid}/status/current">["vmid"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<Returns<"GET", "/nodes/{node}/lxc/{vmid}/status/current">["vmid"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<Returns<"GET", "/nodes/{node}/qemu/{vmid}/status/current">["status"]>().toEqualTypeOf<"running" | "stopped">();
  });

  it("node status: every documented member is optional", () => {
    type S = Returns<"GET", "/nodes/{node}/status">;
    expectTypeOf<S["memory"]>().toEqualTypeOf<{ available?: number; free?: number; total?: number; used?: number } | undefined>();
    expectTypeOf<S["loadavg"]>().toEqualTypeOf<string[] | undefined>();
    expectTypeOf<S["boot-info"]>().toMatchTypeOf<object | undefined>();
    expectTypeOf<undefined>().toMatchTypeOf<S["current-kernel"]>();
  });

  it("container lists and status: pid is declared (PVE sends it for running containers)", () => {
    expectTypeOf<Returns<"GET", "/nodes/{node}/lxc">[number]["pid"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<Returns<"GET", "/nodes/{node}/lxc/{vmid}/status/current">["pid"]>().toEqualTypeOf<number | undefined>();
  });
});
