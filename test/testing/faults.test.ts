import { describe, expect, it } from "vitest";
import { createSimulator } from "../../src/testing";
import { call } from "./helpers";

describe("fault injection", () => {
  it("answers a status once, then behaves again", async () => {
    const sim = createSimulator();
    const rule = sim.fault("GET /nodes/*/qemu", { kind: "status", status: 596, message: "Connection timed out" });
    const first = await call(sim, "GET", "/nodes/pve1/qemu");
    expect([first.status, first.statusText]).toEqual([596, "Connection timed out"]);
    expect((await call(sim, "GET", "/nodes/pve1/qemu")).status).toBe(200);
    expect(rule.hits).toBe(1);
  });

  it("applies 'always' rules until removed; route keys work as patterns", async () => {
    const sim = createSimulator();
    const rule = sim.fault("GET /nodes/{node}/status", { kind: "status", status: 503 }, { times: "always" });
    expect((await call(sim, "GET", "/nodes/pve1/status")).status).toBe(503);
    expect((await call(sim, "GET", "/nodes/pve2/status")).status).toBe(503);
    sim.faults.remove(rule);
    expect((await call(sim, "GET", "/nodes/pve2/status")).status).toBe(200);
  });

  it("asks the face to reset the connection or delay the answer", async () => {
    const sim = createSimulator();
    sim.fault("/version", { kind: "reset" });
    sim.fault("GET /nodes", { kind: "latency", ms: 250 });
    const headers = { authorization: sim.credentials.token.header };
    expect((await sim.handle({ method: "GET", path: "/api2/json/version", headers })).reset).toBe(true);
    const slow = await sim.handle({ method: "GET", path: "/api2/json/nodes", headers });
    expect(slow.delayMs).toBe(250);
    expect(slow.status).toBe(200);
  });

  it("sends a malformed body", async () => {
    const sim = createSimulator();
    sim.fault("GET /cluster/resources", { kind: "malformed-body" });
    const r = await sim.handle({ method: "GET", path: "/api2/json/cluster/resources", headers: { authorization: sim.credentials.token.header } });
    expect(r.status).toBe(200);
    expect(() => JSON.parse(r.body)).toThrow();
  });

  it("expires the caller's ticket", async () => {
    const sim = createSimulator();
    const { root } = sim.credentials;
    const { ticket } = (await call(sim, "POST", "/access/ticket", { username: root.username, password: root.password }, {})).data;
    sim.fault("GET /nodes", { kind: "expired-ticket" });
    const cookie = { cookie: `PVEAuthCookie=${ticket}` };
    expect((await call(sim, "GET", "/nodes", {}, cookie)).statusText).toBe("Authentication failed!");
    expect((await call(sim, "GET", "/version", {}, cookie)).status).toBe(401);
  });

  it("times out on the config lock", async () => {
    const sim = createSimulator();
    sim.fault("PUT /nodes/*/qemu/*/config", { kind: "lock-timeout" });
    const r = await call(sim, "PUT", "/nodes/pve1/qemu/101/config", { cores: 4 });
    expect(r.statusText).toBe("can't lock file '/var/lock/qemu-server/lock-101.conf' - got timeout");
  });

  it("forces task outcomes: error and warnings", async () => {
    const sim = createSimulator();
    sim.fault("POST /nodes/*/vzdump", { kind: "task-warnings", count: 2 });
    sim.fault("POST /**/status/start", { kind: "task-error", message: "start failed: QEMU exited with code 1" });
    const warn = (await call(sim, "POST", "/nodes/pve1/vzdump", { vmid: "101" })).data;
    const logW = (await call(sim, "GET", `/nodes/pve1/tasks/${encodeURIComponent(warn)}/log`)).data;
    expect(logW.at(-1).t).toBe("TASK WARNINGS: 2");
    const fail = (await call(sim, "POST", "/nodes/pve2/qemu/102/status/start")).data;
    const st = (await call(sim, "GET", `/nodes/pve2/tasks/${encodeURIComponent(fail)}/status`)).data;
    expect(st.exitstatus).toBe("start failed: QEMU exited with code 1");
    expect(sim.state.guests.get(102)?.status).toBe("stopped");
  });

  it("rejects malformed patterns early", () => {
    const sim = createSimulator();
    expect(() => sim.fault("not a pattern", { kind: "reset" })).toThrow(/invalid fault pattern/);
  });
});
