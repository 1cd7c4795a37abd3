import { describe, expect, test } from "vitest";
import { BUILTIN_ROLES, privilegePath, rolesWith } from "../../../src/skill/policy/pve-roles";

const sorted = (s: ReadonlySet<string> | undefined) => [...(s ?? [])].sort();

// Facts from pve-access-control's AccessControl.pm create_roles(), one row per built-in role.
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
    ["PVEDatastoreAdmin", ["Datastore.Allocate", "Datastore.AllocateSpace", "Datastore.AllocateTemplate", "Datastore.Audit"]],
    ["PVETemplateUser", ["VM.Audit", "VM.Clone"]],
    ["PVEPoolUser", ["Pool.Audit"]],
    ["PVEPoolAdmin", ["Pool.Allocate", "Pool.Audit"]],
    ["PVESysAdmin", ["Sys.Audit", "Sys.Console", "Sys.Syslog"]],
    ["PVESDNUser", ["SDN.Audit", "SDN.Use"]],
    ["PVEUserAdmin", ["Group.Allocate", "Realm.AllocateUser", "User.Modify"]],
    ["PVEMappingUser", ["Mapping.Audit", "Mapping.Use"]],
    ["NoAccess", []],
  ])("%s", (role, privs) => {
    expect(sorted(BUILTIN_ROLES[role])).toEqual([...privs].sort());
  });

  test("PVEVMAdmin holds every VM privilege and nothing else", () => {
    const vm = sorted(BUILTIN_ROLES.PVEVMAdmin);
    expect(vm.every((p) => p.startsWith("VM."))).toBe(true);
    expect(vm).toEqual(expect.arrayContaining(["VM.Allocate", "VM.Migrate", "VM.Snapshot.Rollback", "VM.PowerMgmt", "VM.Audit"]));
    expect(vm).toHaveLength(23);
  });

  test("PVEAdmin: all but root-only privileges and Mapping.Modify; Administrator: everything", () => {
    const admin = BUILTIN_ROLES.PVEAdmin!;
    for (const p of ["Sys.PowerMgmt", "Sys.Modify", "Sys.Incoming", "Sys.AccessNetwork", "Realm.Allocate", "Mapping.Modify", "Permissions.Modify"])
      expect(admin.has(p), p).toBe(false);
    expect(admin.has("VM.Allocate") && admin.has("Sys.Console") && admin.has("User.Modify")).toBe(true);
    expect(BUILTIN_ROLES.Administrator!.has("Permissions.Modify") && BUILTIN_ROLES.Administrator!.has("Sys.Modify")).toBe(true);
  });

  test("rolesWith: the least powerful role first (by PVE's audit < user < admin < root classes)", () => {
    expect(rolesWith(["VM.Console"])).toEqual(["PVEVMUser", "PVEVMAdmin", "PVEAdmin", "Administrator"]);
    expect(rolesWith(["Sys.Audit"])).toEqual(["PVEAuditor", "PVESysAdmin", "PVEAdmin", "Administrator"]);
    expect(rolesWith(["VM.Audit"])[0]).toBe("PVEAuditor");
    expect(rolesWith(["VM.Clone"])[0]).toBe("PVETemplateUser");
    expect(rolesWith(["Sys.Audit", "VM.Audit", "Datastore.Audit"])[0]).toBe("PVEAuditor");
    expect(rolesWith(["Sys.Modify"])).toEqual(["Administrator"]);
    expect(rolesWith(["VM.PowerMgmt", "Datastore.AllocateSpace"])).toEqual(["PVEAdmin", "Administrator"]);
  });

  test.each([
    ["VM.PowerMgmt", "/vms"],
    ["Datastore.AllocateSpace", "/storage"],
    ["Sys.Audit", "/"],
    ["Pool.Allocate", "/pool"],
    ["SDN.Use", "/sdn"],
    ["User.Modify", "/access"],
    ["Something.Else", "/"],
  ])("privilegePath(%s) = %s", (priv, path) => {
    expect(privilegePath(priv)).toBe(path);
  });
});
