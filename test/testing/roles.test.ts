import { describe, expect, test } from "vitest";
import { BUILTIN_ROLES } from "../../src/runtime/pve-privileges";
import { createSimulator } from "../../src/testing/simulator";
import { call } from "./helpers";

// The simulator's roles are PVE's built-in ones (their derivation: test/runtime/pve-privileges.test.ts).
describe("roles in the simulator", () => {
  test("GET /access/roles lists them, and a role may hold any privilege PVE knows", async () => {
    const sim = createSimulator();
    const roles = (await call(sim, "GET", "/access/roles")).data as { roleid: string; privs: string; special: number }[];
    expect(roles.find((r) => r.roleid === "PVEVMAdmin")).toMatchObject({ special: 1, privs: BUILTIN_ROLES.PVEVMAdmin!.join(",") });
    expect(roles.map((r) => r.roleid).sort()).toEqual(Object.keys(BUILTIN_ROLES).sort());
    expect((await call(sim, "POST", "/access/roles", { roleid: "FileReader", privs: "VM.GuestAgent.FileRead" })).status).toBe(200);
  });
});
