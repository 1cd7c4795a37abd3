import { describe, expect, test } from "vitest";
import {
  allowListViolation,
  allowListViolations,
  formatVmidList,
  parseAllowList,
  parseVmidList,
  splitListValue,
  unknownReachViolation,
} from "../../../src/skill/policy/allow-list";

describe("parsing", () => {
  test("VMIDs and ranges", () => {
    expect(parseVmidList("100, 105-107")).toEqual([
      { from: 100, to: 100 },
      { from: 105, to: 107 },
    ]);
    expect(formatVmidList(parseVmidList("100,105-107")!)).toBe("100,105-107");
    expect(parseVmidList(undefined)).toBeUndefined();
    // #11: a list that is set but names nothing is a configuration error, never "no restriction"
    for (const empty of ["", ",", " ; ", []]) expect(() => parseVmidList(empty)).toThrow(/lists nothing/);
    expect(() => parseVmidList("abc")).toThrow(/Invalid VMID allow-list entry "abc"/);
    expect(() => parseVmidList("200-100")).toThrow(/end is below the start/);
  });
  test("lists", () => {
    expect(splitListValue("pve1, pve2;pve3")).toEqual(["pve1", "pve2", "pve3"]);
    expect(splitListValue(" ")).toBeUndefined();
  });
  test("names: empty or malformed lists are errors", () => {
    expect(parseAllowList("pve1,pve2", "PROXMOX_ALLOWED_NODES")).toEqual(["pve1", "pve2"]);
    expect(parseAllowList(undefined, "PROXMOX_ALLOWED_NODES")).toBeUndefined();
    expect(() => parseAllowList(",", "PROXMOX_ALLOWED_NODES")).toThrow(/PROXMOX_ALLOWED_NODES is set but lists nothing/);
    expect(() => parseAllowList("a/b", "PROXMOX_ALLOWED_POOLS")).toThrow(/Invalid PROXMOX_ALLOWED_POOLS entry "a\/b"/);
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

describe("allowListViolations (a list of targets, as fleet operations check a selection)", () => {
  const lists = { vmids: parseVmidList("100-102"), storages: ["local"], pools: ["lab"] };
  test("every violation once, empty when all are allowed", () => {
    expect(allowListViolations(lists, [{ vmid: 100, pool: "lab" }, { storage: "local" }])).toEqual([]);
    const why = allowListViolations(lists, [{ vmid: 100, pool: "lab" }, { vmid: 103, pool: "lab" }, { vmid: 103, pool: "lab" }, { storage: "nfs" }]);
    expect(why).toHaveLength(2);
    expect(why[0]).toMatch(/VMID 103/);
    expect(why[1]).toMatch(/Storage "nfs" is not in the allowed storages \(local; PROXMOX_ALLOWED_STORAGES\)/);
  });
  test("a pool named without a guest (pool membership, an ACL on /pool/x) is checked against the pools", () => {
    expect(allowListViolation(lists, { pool: "production" })).toMatch(/Pool "production" is not in the allowed pools/);
    expect(allowListViolation(lists, { pool: "lab" })).toBeUndefined();
  });
});

describe("requests whose guests cannot be listed", () => {
  test("cluster-wide: refused under any allow-list", () => {
    expect(unknownReachViolation({}, { why: "x" })).toBeUndefined();
    expect(unknownReachViolation({ nodes: ["pve1"] }, { why: "PUT /cluster/options acts on the cluster" })).toMatch(
      /acts on the cluster; .* refused while PROXMOX_ALLOWED_NODES is set/,
    );
  });
  test("node-wide: allowed under a node allow-list alone, refused under a guest allow-list", () => {
    const reach = { why: "POST /nodes/{node}/network acts on node pve1", node: "pve1" };
    expect(unknownReachViolation({ nodes: ["pve1"] }, reach)).toBeUndefined();
    expect(unknownReachViolation({ nodes: ["pve1"], tags: ["agent"] }, reach)).toMatch(/PROXMOX_ALLOWED_TAGS is set/);
  });
});
