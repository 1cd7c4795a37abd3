import { describe, expect, test } from "vitest";
import type { RouteMeta, Verb } from "../../../src/generated/meta-types";
import { routes } from "../../../src/generated/routes";
import type { AllowLists } from "../../../src/skill/policy/allow-list";
import { endpointRule } from "../../../src/skill/policy/endpoint-rules";
import { resolveScope, type GuestInfo } from "../../../src/skill/policy/request-scope";

const GUESTS: GuestInfo[] = [
  { vmid: 100, node: "pve1", pool: "prod", tags: ["web"] },
  { vmid: 101, node: "pve1", tags: [] },
  { vmid: 102, node: "pve2", pool: "prod", tags: [] },
];

async function scope(route: string, params: Record<string, unknown>, lists: AllowLists = {}) {
  const [verb, template] = route.split(" ") as [Verb, string];
  let reads = 0;
  const out = await resolveScope({
    verb,
    template,
    params,
    meta: (routes as Record<string, RouteMeta>)[route],
    rule: endpointRule(verb, template),
    lists,
    guests: async () => {
      reads++;
      return GUESTS;
    },
  });
  return { ...out, reads };
}

describe("node- and cluster-wide actions expand to the guests they select", () => {
  test("stopall: every guest on the node; pinned to that list under an allow-list", async () => {
    expect(await scope("POST /nodes/{node}/stopall", { node: "pve1" })).toMatchObject({ selected: [100, 101] });
    expect((await scope("POST /nodes/{node}/stopall", { node: "pve1" })).pin).toBeUndefined();
    const pinned = await scope("POST /nodes/{node}/stopall", { node: "pve1" }, { vmids: [{ from: 100, to: 200 }] });
    expect(pinned.pin).toEqual({ vms: "100,101" });
    expect(pinned.targets).toEqual(
      expect.arrayContaining([{ vmid: 100, node: "pve1", pool: "prod", tags: ["web"] }, { vmid: 101, node: "pve1", tags: [] }, { node: "pve1" }]),
    );
  });
  test("an explicit vms= list is the selection as given", async () => {
    expect(await scope("POST /nodes/{node}/migrateall", { node: "pve1", target: "pve3", vms: "101" }, { nodes: ["pve1"] })).toMatchObject({
      selected: [101],
      targets: expect.arrayContaining([{ node: "pve3" }]),
    });
  });
  test("bulk actions take the whole cluster; the pin is an array (the parameter is one)", async () => {
    const s = await scope("POST /cluster/bulk-action/guest/suspend", {}, { tags: ["web"] });
    expect(s.selected).toEqual([100, 101, 102]);
    expect(s.pin).toEqual({ vms: [100, 101, 102] });
  });
  test("vzdump: pool, else vmid, else all minus exclude, on the path's node", async () => {
    expect((await scope("POST /nodes/{node}/vzdump", { node: "pve1", pool: "prod" })).selected).toEqual([100]);
    expect((await scope("POST /nodes/{node}/vzdump", { node: "pve1", vmid: "102" })).selected).toEqual([102]);
    const all = await scope("POST /nodes/{node}/vzdump", { node: "pve1", all: 1, exclude: "100" }, { vmids: [{ from: 1, to: 999 }] });
    expect(all.selected).toEqual([101]);
    expect(all.pin).toEqual({ vmid: "101", all: undefined, pool: undefined, exclude: undefined });
  });
});

describe("targets of named requests", () => {
  test("a guest that does not exist yet takes the request's target node, pool and tags", async () => {
    const s = await scope("POST /nodes/{node}/qemu/{vmid}/clone", { node: "pve1", vmid: 100, newid: 777, target: "pve2", pool: "lab" });
    expect(s.targets).toEqual(
      expect.arrayContaining([{ vmid: 777, node: "pve2", pool: "lab", tags: [] }, { vmid: 100, node: "pve1", pool: "prod", tags: ["web"] }]),
    );
  });
  test("pool membership: the guest as it is and as a member of the pool", async () => {
    const s = await scope("PUT /pools/{poolid}", { poolid: "prod", vms: "101" });
    expect(s.targets).toEqual(expect.arrayContaining([{ vmid: 101, node: "pve1", tags: [] }, { vmid: 101, node: "pve1", pool: "prod", tags: [] }, { pool: "prod" }]));
  });
  test("no guest named: the cluster's guests are not read", async () => {
    expect((await scope("PUT /access/acl", { path: "/storage/local", roles: "x", users: "a@pve" })).reads).toBe(0);
  });
});

describe("reach that cannot be listed", () => {
  test("a route the rules do not know: node-wide with {node}, cluster-wide without or when it reaches beyond its node", async () => {
    expect((await scope("POST /nodes/{node}/status", { node: "pve1", command: "reboot" })).unknown).toEqual({
      why: "POST /nodes/{node}/status acts on node pve1",
      node: "pve1",
    });
    expect((await scope("POST /nodes/{node}/execute", { node: "pve1", commands: "[]" })).unknown).toEqual({
      why: "POST /nodes/{node}/execute acts beyond node pve1: it runs API calls of its own choosing, on any node",
    });
    expect((await scope("PUT /cluster/options", { keyboard: "de" })).unknown).toEqual({ why: "PUT /cluster/options acts on the cluster" });
  });
  test("an unknown route under a guest path is bounded by its guest", async () => {
    const s = await scope("POST /nodes/{node}/qemu/{vmid}/move_disk", { node: "pve1", vmid: 100, disk: "scsi0", "target-vmid": 102 });
    expect(s.unknown).toBeUndefined();
    expect(s.targets.map((t) => t.vmid).filter(Boolean)).toEqual([100, 102]);
  });
});
