import { describe, expect, test } from "vitest";
import { BUILTIN_ROLES } from "../../src/skill/policy/pve-roles";
import { ALL_PRIVILEGES, ROLES } from "../../src/testing/privileges";
import { createSimulator } from "../../src/testing/simulator";
import { call } from "./helpers";

const sorted = (s: Iterable<string> | undefined) => [...(s ?? [])].sort();

// Facts from pve-access-control src/PVE/AccessControl.pm create_roles() (libpve-access-control 9.1.1).
describe("built-in roles, as PVE derives them", () => {
  test.each([
    ["PVEAuditor", ["Datastore.Audit", "Mapping.Audit", "Pool.Audit", "SDN.Audit", "Sys.Audit", "VM.Audit", "VM.GuestAgent.Audit"]],
    [
      "PVEVMUser",
      [
        "VM.Audit",
        "VM.Backup",
        "VM.Config.CDROM",
        "VM.Config.Cloudinit",
        "VM.Console",
        "VM.GuestAgent.Audit",
        "VM.GuestAgent.FileRead",
        "VM.GuestAgent.FileSystemMgmt",
        "VM.GuestAgent.FileWrite",
        "VM.PowerMgmt",
      ],
    ],
    ["PVEDatastoreUser", ["Datastore.AllocateSpace", "Datastore.Audit"]],
    ["PVEPoolAdmin", ["Pool.Allocate", "Pool.Audit"]],
    ["PVETemplateUser", ["VM.Audit", "VM.Clone"]],
    ["NoAccess", []],
  ])("%s", (role, privs) => {
    expect(ROLES[role]).toEqual([...privs].sort());
  });

  test("PVEVMAdmin holds the VM privileges only (no Datastore, Pool or Sys ones)", () => {
    const vmAdmin = ROLES.PVEVMAdmin ?? [];
    expect(vmAdmin).toHaveLength(23);
    expect(vmAdmin.every((p) => p.startsWith("VM."))).toBe(true);
    expect(vmAdmin).not.toContain("Datastore.AllocateSpace");
  });

  test("the same roles as pvekit's skill derives from the same source (src/skill/policy/pve-roles.ts)", () => {
    expect(Object.keys(ROLES).sort()).toEqual(Object.keys(BUILTIN_ROLES).sort());
    for (const [name, privs] of Object.entries(BUILTIN_ROLES)) expect(ROLES[name], name).toEqual(sorted(privs));
    expect(ALL_PRIVILEGES).toEqual(sorted(BUILTIN_ROLES.Administrator));
  });

  test("GET /access/roles lists them, and a role may hold any privilege PVE knows", async () => {
    const sim = createSimulator();
    const roles = (await call(sim, "GET", "/access/roles")).data as { roleid: string; privs: string; special: number }[];
    expect(roles.find((r) => r.roleid === "PVEVMAdmin")).toMatchObject({ special: 1, privs: ROLES.PVEVMAdmin!.join(",") });
    expect(roles.map((r) => r.roleid).sort()).toEqual(Object.keys(ROLES).sort());
    expect((await call(sim, "POST", "/access/roles", { roleid: "FileReader", privs: "VM.GuestAgent.FileRead" })).status).toBe(200);
  });
});
