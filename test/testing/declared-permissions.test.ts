import { describe, expect, it, test } from "vitest";
import { createSimulator } from "../../src/testing";
import { normalizePath, templateReplace } from "../../src/testing/declared-permissions";
import { call } from "./helpers";

test("template_replace and normalize_path as PVE's Perl does them", () => {
  expect(templateReplace("/vms/{vmid}", { vmid: "100" })).toBe("/vms/100");
  expect(templateReplace("/storage/{storage}", {})).toBe("/storage/-");
  expect(normalizePath("//vms///100/")).toBe("/vms/100");
  expect(normalizePath("vms")).toBe("/vms");
  expect(normalizePath("/vms/1 00")).toBeUndefined();
});

describe("declared permissions, checked before the parameters (PVE/HTTPServer.pm rest_handler)", () => {
  it("a caller without the privilege gets 403 even when its parameters are wrong; a privileged one gets the 400", async () => {
    const sim = createSimulator();
    const ro = { authorization: sim.credentials.restrictedToken.header };
    const denied = await call(sim, "POST", "/nodes/pve2/qemu/102/status/start", { timeout: "soon" }, ro);
    expect([denied.status, denied.statusText]).toEqual([403, "Permission check failed (/vms/102, VM.PowerMgmt)"]);
    const invalid = await call(sim, "POST", "/nodes/pve2/qemu/102/status/start", { timeout: "soon" });
    expect(invalid.status).toBe(400);
    expect(invalid.json.errors.timeout).toMatch(/type check \('integer'\) failed/);
  });

  it("checks unmodelled methods too: 403 without the privilege, 501 with it", async () => {
    const sim = createSimulator();
    expect(sim.coverage().unmodelled).toContain("POST /nodes/{node}/ceph/init");
    const ro = { authorization: sim.credentials.restrictedToken.header };
    expect((await call(sim, "POST", "/nodes/pve1/ceph/init", {}, ro)).statusText).toBe("Permission check failed (/, Sys.Modify)");
    expect((await call(sim, "POST", "/nodes/pve1/ceph/init", {})).status).toBe(501);
  });

  it("a method without declared permissions is root@pam's: its API token is refused", async () => {
    const sim = createSimulator();
    const { root } = sim.credentials;
    const r = await call(sim, "POST", "/nodes/pve1/storage/local/content/local:iso%2Fx.iso", { target: "local:iso/y.iso" });
    expect([r.status, r.statusText]).toEqual([403, "Permission check failed (user != root@pam)"]);
    const login = (await call(sim, "POST", "/access/ticket", { username: root.username, password: root.password }, {})).data;
    const asRoot = { cookie: `PVEAuthCookie=${encodeURIComponent(login.ticket)}`, csrfpreventiontoken: login.CSRFPreventionToken };
    expect((await call(sim, "POST", "/nodes/pve1/storage/local/content/local:iso%2Fx.iso", { target: "local:iso/y.iso" }, asRoot)).status).toBe(501);
  });

  it("refuses tokens where the method allows none, in PVE's words", async () => {
    const sim = createSimulator();
    const r = await call(sim, "PUT", "/access/password", { userid: "auditor@pve", password: "x".repeat(12) });
    expect(r.status).toBe(403);
    expect(r.statusText).toBe("Permission check failed (URI '/access/password' not available with API token, need proper ticket.");
  });

  it("a body parameter that contradicts the path is refused", async () => {
    const sim = createSimulator();
    const r = await call(sim, "POST", "/nodes/pve2/qemu/102/status/start", { vmid: 101 });
    expect(r.json.errors).toEqual({ vmid: "duplicate parameter (already defined in URI) with conflicting values!" });
  });

  it("the user tests: 'self' is the user, not its token; a user id must exist", async () => {
    const sim = createSimulator();
    const auditor = (await call(sim, "POST", "/access/ticket", { username: "auditor@pve", password: sim.credentials.auditor.password }, {})).data;
    const asAuditor = { cookie: `PVEAuthCookie=${encodeURIComponent(auditor.ticket)}` };
    expect((await call(sim, "GET", "/access/users/auditor@pve/token", {}, asAuditor)).status).toBe(200); // ['userid-param', 'self']
    const token = { authorization: sim.credentials.restrictedToken.header };
    expect((await call(sim, "GET", "/access/users/auditor@pve/token", {}, token)).statusText).toBe("Permission check failed");
    expect((await call(sim, "GET", "/access/users/nobody@pve", {}, token)).statusText).toBe("no such user ('nobody@pve')");
    expect((await call(sim, "GET", "/access/users/x", {}, token)).statusText).toBe("user name 'x' is too short");
  });
});
