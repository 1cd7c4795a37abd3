import { describe, expect, test } from "vitest";
import { ALL_PRIVILEGES, BUILTIN_ROLES } from "../../src/runtime/pve-privileges";

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
    expect(BUILTIN_ROLES[role]).toEqual([...privs].sort());
  });

  test("PVEVMAdmin holds every VM privilege and nothing else", () => {
    const vm = BUILTIN_ROLES.PVEVMAdmin ?? [];
    expect(vm.every((p) => p.startsWith("VM."))).toBe(true);
    expect(vm).toEqual(expect.arrayContaining(["VM.Allocate", "VM.Migrate", "VM.Snapshot.Rollback", "VM.PowerMgmt", "VM.Audit"]));
    expect(vm).toHaveLength(23);
  });

  test("PVEAdmin: all but root-only privileges and Mapping.Modify; Administrator: every privilege PVE knows", () => {
    const admin = BUILTIN_ROLES.PVEAdmin ?? [];
    for (const p of ["Sys.PowerMgmt", "Sys.Modify", "Sys.Incoming", "Sys.AccessNetwork", "Realm.Allocate", "Mapping.Modify", "Permissions.Modify"])
      expect(admin, p).not.toContain(p);
    expect(admin).toEqual(expect.arrayContaining(["VM.Allocate", "Sys.Console", "User.Modify"]));
    expect(BUILTIN_ROLES.Administrator).toEqual(ALL_PRIVILEGES);
    expect(ALL_PRIVILEGES).toEqual(expect.arrayContaining(["Permissions.Modify", "Sys.Modify", "VM.GuestAgent.Unrestricted"]));
  });
});
