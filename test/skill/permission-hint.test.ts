import { describe, expect, test } from "vitest";
import { grantCommand, parsePermissionFailure, permissionHint } from "../../src/skill/permission-hint";

const token = { auth: "token", identity: "automation@pve!agent" };

describe("403 hints", () => {
  test("parses PVE's Permission check failed (path, privilege[|privilege])", () => {
    expect(parsePermissionFailure("Permission check failed (/vms/100, VM.PowerMgmt)")).toEqual({
      path: "/vms/100",
      privileges: ["VM.PowerMgmt"],
      anyOf: false,
    });
    expect(parsePermissionFailure("403 Permission check failed (/storage/local, Datastore.Audit|Datastore.AllocateSpace)")).toEqual({
      path: "/storage/local",
      privileges: ["Datastore.Audit", "Datastore.AllocateSpace"],
      anyOf: true,
    });
    expect(parsePermissionFailure("Permission check failed (user != root@pam)")).toBeUndefined();
  });

  test("names the privilege, the path, the least powerful role and the exact pveum command", () => {
    expect(permissionHint("Permission check failed (/vms/100, VM.PowerMgmt)", token)).toBe(
      [
        "The token lacks the privilege VM.PowerMgmt on /vms/100.",
        "The least powerful built-in role with it is PVEVMUser (also: PVEVMAdmin, PVEAdmin, Administrator). A PVE administrator can grant it with:",
        "  pveum acl modify /vms/100 --tokens 'automation@pve!agent' --roles PVEVMUser",
        "  (or on /vms for all of them)",
        "With privilege separation the token's user must hold the privilege as well.",
      ].join("\n"),
    );
  });

  test("a password login gets --users; an unknown identity a placeholder", () => {
    expect(permissionHint("Permission check failed (/, Sys.Audit)", { auth: "ticket", identity: "ops@pve" })).toContain(
      "pveum acl modify / --users 'ops@pve' --roles PVEAuditor",
    );
    expect(grantCommand("/vms", "PVEVMAdmin", {})).toBe("pveum acl modify /vms --tokens '<user@realm!token>' --roles PVEVMAdmin");
  });

  test("root-only privileges say only Administrator has them", () => {
    expect(permissionHint("Permission check failed (/nodes/pve1, Sys.Modify)", token)).toContain("--roles Administrator");
  });

  test("no privilege named: no hint", () => {
    expect(permissionHint("Permission check failed (API tokens are not allowed for this endpoint)", token)).toBeUndefined();
  });
});
