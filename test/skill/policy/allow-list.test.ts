import { describe, expect, test } from "vitest";
import { allowListViolation, formatVmidList, parseVmidList, splitListValue } from "../../../src/skill/policy/allow-list";

describe("parsing", () => {
  test("VMIDs and ranges", () => {
    expect(parseVmidList("100, 105-107")).toEqual([
      { from: 100, to: 100 },
      { from: 105, to: 107 },
    ]);
    expect(formatVmidList(parseVmidList("100,105-107")!)).toBe("100,105-107");
    expect(parseVmidList("")).toBeUndefined();
    expect(() => parseVmidList("abc")).toThrow(/Invalid VMID allow-list entry "abc"/);
    expect(() => parseVmidList("200-100")).toThrow(/end is below the start/);
  });
  test("lists", () => {
    expect(splitListValue("pve1, pve2;pve3")).toEqual(["pve1", "pve2", "pve3"]);
    expect(splitListValue(" ")).toBeUndefined();
  });
});

describe("allowListViolation", () => {
  const lists = { vmids: parseVmidList("100-199"), nodes: ["pve1"], pools: ["lab"], tags: ["agent"] };
  const ok = { vmid: 150, node: "pve1", pool: "lab", tags: ["agent", "web"] };
  test("a target inside every list is allowed", () => {
    expect(allowListViolation(lists, ok)).toBeUndefined();
    expect(allowListViolation({}, { vmid: 1 })).toBeUndefined();
  });
  test.each([
    ["vmid", { ...ok, vmid: 200 }, /VMID 200 is not in the allowed VMIDs \(100-199/],
    ["node", { ...ok, node: "pve2" }, /Node "pve2" is not in the allowed nodes/],
    ["pool", { ...ok, pool: "production" }, /in pool "production", not in the allowed pools/],
    ["no pool", { ...ok, pool: undefined }, /is in no pool/],
    ["tags", { ...ok, tags: ["web"] }, /has tags web, none of the allowed tags/],
    ["no tags", { ...ok, tags: [] }, /has no tags/],
  ])("refuses a target outside the %s list", (_what, target, message) => {
    expect(allowListViolation(lists, target)).toMatch(message);
  });
  test("a node-only target (a migration target) is checked against nodes only", () => {
    expect(allowListViolation(lists, { node: "pve1" })).toBeUndefined();
    expect(allowListViolation(lists, { node: "pve3" })).toMatch(/pve3/);
  });
});
