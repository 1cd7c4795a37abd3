import { describe, expect, test } from "vitest";
import { settingsFromVars } from "../../../src/runtime/config/settings";

describe("seed 003's environment: PVE_USER + a short PVE_TOKEN_ID (+ PVE_REALM)", () => {
  test.each([
    [{ PVE_USER: "automation@pam", PVE_TOKEN_ID: "automation", PVE_REALM: "pam" }, "automation@pam!automation"],
    [{ PVE_USER: "automation@pam", PVE_TOKEN_ID: "automation" }, "automation@pam!automation"],
    [{ PVE_USER: "automation", PVE_REALM: "pve", PVE_TOKEN_ID: "ci" }, "automation@pve!ci"],
    [{ PVE_USER: "automation", PVE_TOKEN_ID: "ci" }, "automation@pam!ci"],
    [{ PROXMOX_USER: "ops@pve", PROXMOX_TOKEN_ID: "agent" }, "ops@pve!agent"],
    // a full id is left alone, whatever the user says
    [{ PVE_USER: "other@pam", PVE_TOKEN_ID: "automation@pve!ci" }, "automation@pve!ci"],
  ])("%o → %s", (vars, tokenId) => {
    expect(settingsFromVars(vars).tokenId).toBe(tokenId);
  });

  test("a short token name without a user stays as given (and fails later, naming it)", () => {
    expect(settingsFromVars({ PVE_TOKEN_ID: "automation" }).tokenId).toBe("automation");
  });
});
