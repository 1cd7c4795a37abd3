import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { createSimulator } from "../../src/testing";
import { call } from "./helpers";

describe("simulator protocol", () => {
  it("answers {data} with 200 OK", async () => {
    const sim = createSimulator();
    const r = await call(sim, "GET", "/version");
    expect(r.status).toBe(200);
    expect(r.statusText).toBe("OK");
    expect(r.data.version).toBe(sim.state.version.version);
  });

  it("answers 501 `Method '…' not implemented` for unknown paths and unmodelled methods, like PVE's rest_handler", async () => {
    const sim = createSimulator();
    // PVE/HTTPServer.pm: find_handler fails → 501 with this message, for unknown paths as well
    const unknown = await call(sim, "GET", "/no/such/thing");
    expect([unknown.status, unknown.statusText]).toEqual([501, "Method 'GET /no/such/thing' not implemented"]);
    expect(unknown.json).toEqual({ data: null, message: "Method 'GET /no/such/thing' not implemented\n" });
    const ceph = await sim.handle({ method: "GET", path: "/api2/json/nodes/pve1/ceph/status", headers: { authorization: sim.credentials.token.header } });
    expect([ceph.status, ceph.statusText]).toEqual([501, "Method 'GET /nodes/pve1/ceph/status' not implemented"]);
    // the simulator says which schema method it did not model (PVE would have served it)
    expect(ceph.headers["x-pvekit-sim-unmodelled"]).toBe("GET /nodes/{node}/ceph/status");
    expect((await call(sim, "DELETE", "/version")).status).toBe(501);
    // authentication comes first, as in PVE::APIServer::AnyEvent
    expect((await call(sim, "GET", "/no/such/thing", {}, {})).statusText).toBe("No ticket");
  });

  it("lists what it models: sim.coverage()", () => {
    const sim = createSimulator();
    const c = sim.coverage();
    expect(c.modelled).toEqual(sim.implemented);
    expect(c.modelled).toContain("GET /nodes/{node}/qemu/{vmid}/config");
    expect(c.indexes).toContain("GET /nodes/{node}/qemu/{vmid}");
    expect(c.unmodelled).toContain("GET /nodes/{node}/ceph/status");
    const all = [...c.modelled, ...c.indexes, ...c.unmodelled];
    expect(new Set(all).size).toBe(all.length);
  });

  it("serves PVE's directory indexes from the schema ([{subdir}] of the path's children)", async () => {
    const sim = createSimulator();
    const vm = await call(sim, "GET", "/nodes/pve1/qemu/100");
    expect(vm.status).toBe(200);
    const subdirs = (vm.data as { subdir: string }[]).map((x) => x.subdir);
    expect(subdirs).toEqual(expect.arrayContaining(["agent", "config", "snapshot", "status"]));
    expect(subdirs).toEqual([...subdirs].sort());
    const status = await call(sim, "GET", "/nodes/pve1/qemu/100/status");
    expect((status.data as { subdir: string }[]).map((x) => x.subdir)).toEqual(
      expect.arrayContaining(["current", "reboot", "reset", "resume", "shutdown", "start", "stop", "suspend"]),
    );
    const access = await call(sim, "GET", "/access");
    expect((access.data as { subdir: string }[]).map((x) => x.subdir)).toEqual(expect.arrayContaining(["ticket", "permissions"]));
  });

  it("validates parameters against the schema: 400 with an errors map", async () => {
    const sim = createSimulator();
    const r = await call(sim, "POST", "/nodes/pve1/qemu/100/snapshot", { vmstate: "maybe", bogus: 1 });
    expect(r.status).toBe(400);
    expect(r.statusText).toBe("Parameter verification failed.");
    expect(r.data).toBeNull();
    expect(r.json.message).toBe("Parameter verification failed.\n");
    expect(Object.keys(r.json.errors).sort()).toEqual(["bogus", "snapname", "vmstate"]);
    expect(r.json.errors.snapname).toBe("property is missing and it is not optional");
    const badVmid = await call(sim, "GET", "/nodes/pve1/qemu/99/status/current");
    expect(badVmid.status).toBe(400);
    expect(badVmid.json.errors).toHaveProperty("vmid");
  });

  it("puts PVE's message into the reason phrase", async () => {
    const sim = createSimulator();
    const r = await call(sim, "POST", "/nodes/pve2/qemu/102/status/suspend");
    expect(r.status).toBe(500);
    expect(r.statusText).toBe("VM 102 not running");
    const missing = await call(sim, "GET", "/nodes/pve1/qemu/555/config");
    expect(missing.statusText).toBe("Configuration file 'nodes/pve1/qemu-server/555.conf' does not exist");
  });

  it("accepts JSON bodies like pve-http-server", async () => {
    const sim = createSimulator();
    const r = await sim.handle({
      method: "PUT",
      path: "/api2/json/nodes/pve1/qemu/101/config",
      headers: { authorization: sim.credentials.token.header, "content-type": "application/json" },
      body: JSON.stringify({ memory: 16384, onboot: true }),
    });
    expect(r.status).toBe(200);
    const g = sim.state.guests.get(101);
    expect(String(g?.pending?.memory)).toBe("16384"); // 101 runs: memory is not hot-pluggable by default
    expect(g?.config.onboot).toBe(1); // a "fast-plug" option applies at once
  });

  it("never shows secrets through inspect or JSON", () => {
    const sim = createSimulator();
    const secret = sim.credentials.token.secret;
    const password = sim.credentials.root.password;
    for (const text of [inspect(sim.credentials, { depth: 5 }), JSON.stringify(sim.credentials), inspect(sim, { depth: 2 })]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(password);
    }
  });
});

describe("authentication and privileges", () => {
  it("refuses requests without credentials or with a wrong token, as PVE::HTTPServer::auth_handler words it, without a body", async () => {
    const sim = createSimulator();
    const none = await sim.handle({ method: "GET", path: "/api2/json/version", headers: {} });
    expect([none.status, none.statusText, none.body]).toEqual([401, "No ticket", ""]);
    const wrong = await sim.handle({ method: "GET", path: "/api2/json/version", headers: { authorization: `PVEAPIToken=${sim.credentials.token.tokenId}=nope` } });
    expect([wrong.status, wrong.statusText, wrong.body, wrong.headers["content-type"]]).toEqual([401, "Authentication failed!", "", undefined]);
    // why it failed (no such token, wrong secret, expired, disabled user) is not told
    for (const authorization of ["PVEAPIToken=root@pam!missing=x", "PVEAPIToken=garbage"]) {
      expect((await call(sim, "GET", "/version", {}, { authorization })).statusText).toBe("Authentication failed!");
    }
    const cookie = await call(sim, "GET", "/version", {}, { cookie: "PVEAuthCookie=PVE:root@pam:00000000::forged" });
    expect([cookie.status, cookie.statusText]).toEqual([401, "Authentication failed!"]);
  });

  it("logs in with a password; writes need the CSRF token", async () => {
    const sim = createSimulator();
    const { root } = sim.credentials;
    const login = await call(sim, "POST", "/access/ticket", { username: root.username, password: root.password }, {});
    expect(login.status).toBe(200);
    const { ticket, CSRFPreventionToken } = login.data;
    expect(ticket).toMatch(/^PVE:root@pam:[0-9A-F]{8}::/);
    const cookie = { cookie: `PVEAuthCookie=${encodeURIComponent(ticket)}` };
    expect((await call(sim, "GET", "/nodes", {}, cookie)).status).toBe(200);
    const noCsrf = await call(sim, "POST", "/nodes/pve1/qemu/101/status/reboot", {}, cookie);
    expect([noCsrf.status, noCsrf.statusText, noCsrf.json]).toEqual([401, "Permission denied - invalid csrf token", null]);
    const ok = await call(sim, "POST", "/nodes/pve1/qemu/101/status/reboot", {}, { ...cookie, csrfpreventiontoken: CSRFPreventionToken });
    expect(ok.status).toBe(200);
    expect(ok.data).toMatch(/^UPID:pve1:.*:qmreboot:101:root@pam:$/);
    const bad = await call(sim, "POST", "/access/ticket", { username: root.username, password: "wrong" }, {});
    expect(bad.status).toBe(401);
    expect(bad.statusText).toBe("authentication failure");
  });

  it("expires tickets on the virtual clock", async () => {
    const sim = createSimulator();
    const { root } = sim.credentials;
    const { ticket } = (await call(sim, "POST", "/access/ticket", { username: "root", realm: "pam", password: root.password }, {})).data;
    sim.clock.advance(2 * 3600_000 + 1);
    const r = await call(sim, "GET", "/nodes", {}, { cookie: `PVEAuthCookie=${ticket}` });
    expect(r.status).toBe(401);
    expect(r.statusText).toBe("Authentication failed!");
  });

  it("runs the TOTP challenge for a user with a second factor", async () => {
    const sim = createSimulator();
    const { tfa } = sim.credentials;
    const first = await call(sim, "POST", "/access/ticket", { username: tfa.username, password: tfa.password }, {});
    expect(first.data.NeedTFA).toBe(1);
    expect(first.data.CSRFPreventionToken).toBeUndefined();
    const partial = { cookie: `PVEAuthCookie=${first.data.ticket}` };
    // a ticket waiting for its second factor is no ticket yet (PVE::HTTPServer::auth_handler)
    expect((await call(sim, "GET", "/nodes", {}, partial)).statusText).toBe("No ticket");
    const wrong = await call(sim, "POST", "/access/ticket", { username: tfa.username, "tfa-challenge": first.data.ticket, password: "totp:000000" }, {});
    expect(wrong.status).toBe(401);
    const again = await call(sim, "POST", "/access/ticket", { username: tfa.username, password: tfa.password }, {});
    const second = await call(sim, "POST", "/access/ticket", { username: tfa.username, "tfa-challenge": again.data.ticket, password: `totp:${sim.totp()}` }, {});
    expect(second.status).toBe(200);
    expect(second.data.CSRFPreventionToken).toBeTruthy();
    const old = await call(sim, "POST", "/access/ticket", { username: tfa.username, password: tfa.password, otp: sim.totp() }, {});
    expect(old.data.CSRFPreventionToken).toBeTruthy();
  });

  it("checks privileges: the restricted token reads but may not act", async () => {
    const sim = createSimulator();
    const ro = { authorization: sim.credentials.restrictedToken.header };
    expect((await call(sim, "GET", "/nodes/pve1/qemu", {}, ro)).data.length).toBeGreaterThan(0);
    const r = await call(sim, "POST", "/nodes/pve1/qemu/100/status/stop", {}, ro);
    expect(r.status).toBe(403);
    expect(r.statusText).toBe("Permission check failed (/vms/100, VM.PowerMgmt)");
    const perms = await call(sim, "GET", "/access/permissions", { path: "/vms/100" }, ro);
    expect(perms.data["/vms/100"]).toHaveProperty("VM.Audit", 1);
    expect(perms.data["/vms/100"]).not.toHaveProperty("VM.PowerMgmt");
  });
});

describe("configuration and reset", () => {
  it("applies a setup hook to the default cluster, and again on reset()", async () => {
    const sim = createSimulator({
      setup: (state) => {
        state.clusterName = "lab";
        state.guests.delete(9000);
      },
    });
    expect(sim.state.clusterName).toBe("lab");
    await call(sim, "POST", "/pools", { poolid: "tmp" });
    sim.fault("/version", { kind: "reset" }, { times: "always" });
    sim.reset();
    expect(sim.state.pools.has("tmp")).toBe(false);
    expect(sim.state.guests.has(9000)).toBe(false);
    expect(sim.state.clusterName).toBe("lab");
    expect((await call(sim, "GET", "/version")).status).toBe(200);
  });

  it("lets tests fix the default secrets", async () => {
    const sim = createSimulator({ credentials: { tokenSecret: "00000000-1111-2222-3333-444444444444" } });
    const r = await call(sim, "GET", "/version", {}, { authorization: "PVEAPIToken=root@pam!pvekit=00000000-1111-2222-3333-444444444444" });
    expect(r.status).toBe(200);
  });
});
