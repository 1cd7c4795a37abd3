import { describe, expect, test } from "vitest";
import { BUILTIN_ROLES, privilegePath, rolesWith } from "../../../src/skill/policy/pve-roles";

const sorted = (s: ReadonlySet<string> | undefined) => [...(s ?? [])].sort();

// The role facts themselves: test/runtime/pve-privileges.test.ts.
describe("built-in roles for 403 hints", () => {
  test("each built-in role as a set of its privileges", () => {
    expect(sorted(BUILTIN_ROLES.PVEDatastoreUser)).toEqual(["Datastore.AllocateSpace", "Datastore.Audit"]);
    expect(BUILTIN_ROLES.NoAccess?.size).toBe(0);
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
