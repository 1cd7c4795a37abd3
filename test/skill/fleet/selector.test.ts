import { describe, expect, expectTypeOf, test } from "vitest";
import { compactVmids, describeSelector, guestSelector, isVmidWord, parseVmidSpecs, selectGuests, type GuestSelector } from "../../../src/skill/fleet/selector";
import { GuestNotFoundError } from "../../../src/skill/operations/guest-locator";
import type { GuestRef } from "../../../src/skill/operations/operation";
import { SkillUsageError } from "../../../src/skill/errors";

const g = (vmid: number, over: Partial<GuestRef> = {}): GuestRef => ({
  vmid,
  node: "pve1",
  type: "qemu",
  status: "running",
  tags: [],
  template: false,
  ...over,
});

const cluster: GuestRef[] = [
  g(100, { tags: ["prod", "web"], pool: "production" }),
  g(101, { tags: ["prod"], pool: "production" }),
  g(102, { node: "pve2", status: "stopped" }),
  g(103, { node: "pve3", status: "stopped", tags: ["Web"] }),
  g(200, { type: "lxc", tags: ["prod"], pool: "production" }),
  g(201, { type: "lxc", node: "pve2", status: "stopped", tags: ["ci"] }),
  g(9000, { node: "pve2", status: "stopped", template: true }),
];

const ids = (s: GuestSelector) => selectGuests(cluster, guestSelector().parse(s)).map((x) => x.vmid);

describe("VMIDs and ranges", () => {
  test("several VMIDs, ranges and comma lists", () => {
    expect(ids({ vmids: [100, 102] })).toEqual([100, 102]);
    expect(ids({ vmids: ["100-102"] })).toEqual([100, 101, 102]);
    expect(ids({ vmids: ["100,103", "200-299"] })).toEqual([100, 103, 200, 201]);
    expect(ids({ vmids: "101 201" as unknown as string[] })).toEqual([101, 201]);
  });

  test("ranges match what exists; a named VMID must exist", () => {
    expect(ids({ vmids: ["150-199"] })).toEqual([]);
    expect(() => ids({ vmids: [100, 4242] })).toThrow(GuestNotFoundError);
    expect(() => ids({ vmids: [100, 4242] })).toThrow(/VMID 4242/);
  });

  test("bad words are usage errors that name them", () => {
    expect(() => parseVmidSpecs(["10-x"])).toThrow(SkillUsageError);
    expect(() => parseVmidSpecs(["110-100"])).toThrow(/ends below its start/);
    expect(() => parseVmidSpecs(["99"])).toThrow(/outside 100…999999999/);
    expect(guestSelector().safeParse({ vmids: ["web"] }).success).toBe(false);
    expect(parseVmidSpecs(["100", "105-107"])).toEqual([{ vmid: 100 }, { from: 105, to: 107 }]);
  });

  test("isVmidWord tells targets from a trailing name", () => {
    expect(["100", "100-110", "100,105-107"].every(isVmidWord)).toBe(true);
    expect(["pre-upgrade", "production", "1a", "-5"].some(isVmidWord)).toBe(false);
  });
});

describe("selectors", () => {
  test("--all selects every guest but templates", () => {
    expect(ids({ all: true })).toEqual([100, 101, 102, 103, 200, 201]);
  });

  test("a template is selected only when named by VMID, never by a range or filter", () => {
    expect(ids({ vmids: ["9000-9999"] })).toEqual([]);
    expect(ids({ node: ["pve2"] })).toEqual([102, 201]);
    expect(ids({ vmids: [9000] })).toEqual([9000]);
  });

  test("filters alone select; values of one filter are alternatives, filters narrow each other", () => {
    expect(ids({ node: ["pve2", "pve3"] })).toEqual([102, 103, 201]);
    expect(ids({ pool: ["production"], type: "lxc" })).toEqual([200]);
    expect(ids({ tag: ["prod"], status: ["running"], type: "qemu" })).toEqual([100, 101]);
    expect(ids({ status: ["stopped"] })).toEqual([102, 103, 201]);
  });

  test("tags compare case-insensitively, as PVE's default tag style", () => {
    expect(ids({ tag: ["web"] })).toEqual([100, 103]);
  });

  test("VMIDs combined with filters: the filters narrow the listed guests", () => {
    expect(ids({ vmids: ["100-201"], node: ["pve1"] })).toEqual([100, 101, 200]);
  });

  test("exclude takes VMIDs and ranges", () => {
    expect(ids({ all: true, exclude: ["101", "200-299"] })).toEqual([100, 102, 103]);
  });

  test("nothing to select by is a usage error", () => {
    expect(() => ids({})).toThrow(SkillUsageError);
    expect(() => ids({ exclude: [100] })).toThrow(/No guests selected/);
  });

  test("invalid filter values are refused by the schema", () => {
    expect(guestSelector().safeParse({ status: ["sleeping"] }).success).toBe(false);
    expect(guestSelector().safeParse({ type: "vm" }).success).toBe(false);
    expect(guestSelector().safeParse({ node: ["pve_1"] }).success).toBe(false);
  });

  test("the selector type is what MCP and library callers pass", () => {
    expectTypeOf<GuestSelector["vmids"]>().toEqualTypeOf<(string | number)[] | undefined>();
    expectTypeOf<GuestSelector["type"]>().toEqualTypeOf<"qemu" | "lxc" | undefined>();
    // @ts-expect-error statuses are a closed list
    const bad: GuestSelector = { status: ["sleeping"] };
    void bad;
  });
});

describe("descriptions", () => {
  test("compact VMID lists and selector phrases", () => {
    expect(compactVmids([105, 100, 101, 102, 200, 101])).toBe("100-102,105,200");
    expect(describeSelector(guestSelector().parse({ all: true, node: "pve1", exclude: "105" }))).toBe("--all --node pve1 --exclude 105");
  });
});
