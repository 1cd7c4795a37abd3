import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { PolicyRefusedError } from "../../../src/skill/errors";
import type { ConfirmationOutcome } from "../../../src/skill/skill-outcome";
import { startSimSkill, type SimSkill } from "../helpers/sim-skill";

// Finding 4: allow-lists looked only at `vmid`, `node` and `target`. Every request below touches a guest
// outside the allow-list through another parameter (or touches an unknown set of guests): it must be refused
// before anything is sent and before a confirm token is issued.
let t: SimSkill;
beforeAll(async () => {
  t = await startSimSkill();
});
afterAll(async () => t.close());
beforeEach(() => {
  t.sim.reset();
  t.writes.length = 0;
});

async function refused(overrides: Record<string, string>, method: string, path: string, params: Record<string, string> = {}): Promise<string> {
  const err = await t
    .skill({ mode: "admin", ...overrides })
    .run("api", { method, path, params })
    .catch((e: unknown) => e);
  expect(err, `${method} ${path} ${JSON.stringify(params)}`).toBeInstanceOf(PolicyRefusedError);
  expect((err as PolicyRefusedError).rule).toBe("allow-list");
  expect(t.writes).toEqual([]);
  return (err as Error).message;
}

describe("VMIDs in other parameters", () => {
  test("clone newid=777 creates a guest outside the allowed VMIDs", async () => {
    expect(await refused({ allowedVmids: "100-102" }, "post", "/nodes/pve1/qemu/100/clone", { newid: "777" })).toMatch(/VMID 777/);
    expect(t.sim.state.guests.has(777)).toBe(false);
  });
  test("move_disk target-vmid hands a disk to a foreign guest", async () => {
    await refused({ allowedVmids: "100" }, "post", "/nodes/pve1/qemu/100/move_disk", { disk: "scsi0", "target-vmid": "101" });
  });
});

describe("volumes and HA resources of other guests", () => {
  test("attaching another guest's disk (local-lvm:vm-103-disk-0)", async () => {
    expect(await refused({ allowedVmids: "102" }, "put", "/nodes/pve2/qemu/102/config", { scsi1: "local-lvm:vm-103-disk-0" })).toMatch(/VMID 103/);
  });
  test("importing from another guest's disk inside a property string", async () => {
    await refused({ allowedVmids: "102" }, "put", "/nodes/pve2/qemu/102/config", { scsi1: "local-lvm:0,import-from=local-lvm:vm-100-disk-0" });
  });
  test("deleting another guest's backup volume", async () => {
    const local = t.sim.state.storages.find((s) => s.storage === "local")!;
    const volid = local.volumes.pve1!.find((v) => v.vmid === 100 && v.content === "backup")!.volid;
    expect(await refused({ allowedVmids: "102" }, "delete", `/nodes/pve1/storage/local/content/${encodeURIComponent(volid)}`)).toMatch(/VMID 100/);
  });
  test("HA resource sid vm:103", async () => {
    await refused({ allowedVmids: "102" }, "post", "/cluster/ha/resources", { sid: "vm:103" });
    await refused({ allowedVmids: "102" }, "delete", "/cluster/ha/resources/ct:201");
  });
});

describe("pool membership", () => {
  test("PUT /pools/production vms=103 pulls a foreign guest into the allowed pool", async () => {
    await refused({ allowedPools: "production" }, "put", "/pools/production", { vms: "103" });
    expect(t.sim.state.guests.get(103)!.pool).toBeUndefined();
  });
  test("the PUT /pools form with poolid as a parameter", async () => {
    await refused({ allowedPools: "production" }, "put", "/pools", { poolid: "production", vms: "103" });
  });
});

describe("node- and cluster-wide actions", () => {
  test.each([
    ["stopall", "/nodes/pve1/stopall", {}],
    ["startall", "/nodes/pve1/startall", { force: "1" }],
    ["suspendall", "/nodes/pve1/suspendall", {}],
    ["migrateall", "/nodes/pve1/migrateall", { target: "pve3" }],
    ["bulk shutdown of the cluster", "/cluster/bulk-action/guest/shutdown", {}],
  ])("%s acts on guests outside the allowed VMIDs", async (_what, path, params) => {
    expect(await refused({ allowedVmids: "100" }, "post", path, params)).toMatch(/VMID (101|200|102|103)/);
  });
  test("stopall limited with vms= to a foreign guest", async () => {
    await refused({ allowedVmids: "100" }, "post", "/nodes/pve1/stopall", { vms: "101" });
  });
});

describe("requests whose affected guests cannot be known are refused under an allow-list", () => {
  test.each([
    ["an ACL on another guest", "put", "/access/acl", { path: "/vms/103", roles: "PVEVMAdmin", users: "root@pam" }],
    ["an ACL on /", "put", "/access/acl", { path: "/", roles: "Administrator", users: "root@pam" }],
    ["a node-wide batch of API calls", "post", "/nodes/pve1/execute", { commands: "[]" }],
    ["a cluster-wide backup job", "post", "/cluster/backup", { schedule: "daily", all: "1", storage: "local" }],
  ])("%s", async (_what, method, path, params) => {
    await refused({ allowedVmids: "102" }, method, path, params);
  });
});

describe("the same requests inside the allow-lists still work", () => {
  test("clone to an allowed new VMID runs in operator mode", async () => {
    const out = await t
      .skill({ mode: "operator", allowedVmids: "100,150-160" })
      .run("api", { method: "post", path: "/nodes/pve1/qemu/100/clone", params: { newid: "150" } });
    expect(out.status).toBe("done");
    expect(t.sim.state.guests.has(150)).toBe(true);
  });
  test("stopall on a node whose guests are all allowed asks for confirmation, bound to those guests", async () => {
    const out = (await t
      .skill({ mode: "admin", allowedVmids: "102,201,9000" })
      .run("api", { method: "post", path: "/nodes/pve2/stopall" })) as ConfirmationOutcome;
    expect(out.status).toBe("confirmation-required");
    expect(out.plan.steps.join("\n")).toMatch(/102, 201, 9000|102,201,9000/);
  });
  test("an ACL on an allowed guest is a known target", async () => {
    const out = (await t
      .skill({ mode: "admin", allowedVmids: "102" })
      .run("api", { method: "put", path: "/access/acl", params: { path: "/vms/102", roles: "PVEVMUser", users: "root@pam" } })) as ConfirmationOutcome;
    expect(out.status).toBe("confirmation-required");
  });
});
