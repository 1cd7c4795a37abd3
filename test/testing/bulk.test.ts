import { describe, expect, it } from "vitest";
import { createSimulator } from "../../src/testing";
import { call } from "./helpers";

type Sim = ReturnType<typeof createSimulator>;

/** POST with a form body that may repeat keys (`vms=101&vms=102`: an array parameter). */
async function post(sim: Sim, path: string, form: [string, string | number][], headers: Record<string, string> = { authorization: sim.credentials.token.header }) {
  const r = await sim.handle({
    method: "POST",
    path: `/api2/json${path}`,
    body: new URLSearchParams(form.map(([k, v]): [string, string] => [k, String(v)])).toString(),
    headers: { ...headers, "content-type": "application/x-www-form-urlencoded" },
  });
  const json = JSON.parse(r.body);
  return { status: r.status, statusText: r.statusText, data: json.data, json };
}

async function task(sim: Sim, upid: string) {
  const node = upid.split(":")[1] as string;
  const status = (await call(sim, "GET", `/nodes/${node}/tasks/${encodeURIComponent(upid)}/status`)).data;
  const log = (await call(sim, "GET", `/nodes/${node}/tasks/${encodeURIComponent(upid)}/log`, { limit: 1000 })).data.map((l: { t: string }) => l.t);
  return { status, log };
}

const running = (sim: Sim) => [...sim.state.guests.values()].filter((g) => g.status === "running").map((g) => g.vmid).sort((a, b) => a - b);

describe("cluster bulk actions (/cluster/bulk-action/guest/*)", () => {
  it("starts every guest of the cluster, skipping running VMs and templates, as one bulk-start task", async () => {
    const sim = createSimulator();
    const upid = (await post(sim, "/cluster/bulk-action/guest/start", [])).data as string;
    expect(upid).toMatch(/^UPID:pve1:[^:]+:[^:]+:[^:]+:bulk-start::root@pam!pvekit:$/);
    const t = await task(sim, upid);
    // Guest.pm start skips a running guest only when its status has a qmpstatus other than paused, and
    // resumes the others: a running container (no qmpstatus) gets a resume, which pve-container refuses
    expect(t.status.exitstatus).toBe("Some guests failed to start: 200");
    expect(t.log).toEqual([
      "Starting all guests",
      "WARN: Skipping VM 100, already running.",
      "WARN: Skipping VM 101, already running.",
      "Starting VM 102",
      "Starting VM 103",
      "Starting CT 200",
      "WARN: 500 CT 200 already running",
      "Starting CT 201",
      "TASK ERROR: Some guests failed to start: 200",
    ]);
    expect(running(sim)).toEqual([100, 101, 102, 103, 200, 201]);
    // each guest got its own task, started by the caller
    const starts = (await call(sim, "GET", "/cluster/tasks")).data.filter((x: { type: string }) => /start$/.test(x.type) && x.type !== "bulk-start");
    expect(starts.map((x: { id: string; user: string; tokenid: string }) => [x.id, `${x.user}!${x.tokenid}`])).toEqual(
      expect.arrayContaining([
        ["102", "root@pam!pvekit"],
        ["201", "root@pam!pvekit"],
      ]),
    );
  });

  it("runs at most max-workers guest tasks at a time; one advance of the clock runs the whole chain", async () => {
    const sim = createSimulator({ clock: { mode: "manual" }, taskDurationMs: 10_000 });
    const t0 = sim.clock.now();
    const upid = (await post(sim, "/cluster/bulk-action/guest/shutdown", [["max-workers", 2]])).data as string;
    const children = () => sim.tasks.list().filter((x) => x.type.endsWith("shutdown") && x.type !== "bulk-shutdown");
    expect(children().filter((x) => x.status === "running")).toHaveLength(2);
    expect(sim.tasks.get(upid)?.status).toBe("running");
    sim.clock.advance(60_000);
    const t = await task(sim, upid);
    expect(t.status.exitstatus).toBe("WARNINGS: 3"); // 102, 103, 201 were not running
    expect(running(sim)).toEqual([]);
    // three guests, two at a time, 10 s each: the third started when the first ended, all done at 20 s
    const starts = children().map((x) => x.starttime - Math.floor(t0 / 1000)).sort((a, b) => a - b);
    expect(starts).toEqual([0, 0, 10]);
    expect(sim.tasks.get(upid)?.endtime).toBe(Math.floor(t0 / 1000) + 20);
    expect(t.log).toContain("Shutting down VM 101 (Timeout = 180 seconds)");
  });

  it("takes a list of guests (vms as an array), reports failed ones and fails the bulk task", async () => {
    const sim = createSimulator();
    sim.state.guests.get(101)!.config.lock = "backup";
    const upid = (await post(sim, "/cluster/bulk-action/guest/shutdown", [["vms", 101], ["vms", 200]])).data as string;
    const t = await task(sim, upid);
    expect(t.status.exitstatus).toBe("Some guests failed to shutdown 101");
    expect(t.log[0]).toBe("Shutting down guests: 101, 200");
    expect(t.log).toContain("WARN: Stopping VM 101 failed: VM is locked (backup)");
    expect(running(sim)).toEqual([100, 101]);
  });

  it("suspends VMs only, migrates guests to a target, and needs the privileges on / without vms", async () => {
    const sim = createSimulator();
    const s = await task(sim, (await post(sim, "/cluster/bulk-action/guest/suspend", [])).data);
    expect(s.log).toContain("WARN: skipping 200, only VMs can be suspended");
    expect(sim.state.guests.get(100)?.paused).toBe(true);
    const m = await task(sim, (await post(sim, "/cluster/bulk-action/guest/migrate", [["target", "pve3"], ["vms", 102], ["vms", 103]])).data);
    expect(m.status.exitstatus).toBe("WARNINGS: 1");
    expect(m.log).toContain("WARN: VM 103 already on pve3, skipping.");
    expect(sim.state.guests.get(102)?.node).toBe("pve3");
    const ro = { authorization: sim.credentials.restrictedToken.header };
    expect((await post(sim, "/cluster/bulk-action/guest/start", [], ro)).statusText).toBe("Permission check failed (/, VM.PowerMgmt)");
    expect((await post(sim, "/cluster/bulk-action/guest/start", [["vms", 102]], ro)).statusText).toBe("Permission check failed (/vms/102, VM.PowerMgmt)");
    expect((await call(sim, "GET", "/cluster/bulk-action/guest")).data).toEqual([{ name: "start" }, { name: "shutdown" }, { name: "migrate" }, { name: "suspend" }]);
  });
});

describe("node bulk actions (startall, stopall, suspendall, migrateall)", () => {
  it("stopall shuts down the node's running guests, highest VMID first", async () => {
    const sim = createSimulator();
    const t = await task(sim, (await call(sim, "POST", "/nodes/pve1/stopall")).data);
    expect(t.status.exitstatus).toBe("OK");
    expect(t.log).toEqual(["Stopping CT 200 (timeout = 180 seconds)", "Stopping VM 101 (timeout = 180 seconds)", "Stopping VM 100 (timeout = 180 seconds)", "TASK OK"]);
    expect(running(sim)).toEqual([]);
    expect((await call(sim, "GET", "/nodes/pve1/syslog", { limit: 500 })).data.map((l: { t: string }) => l.t)).toContainEqual(expect.stringContaining("all VMs and CTs stopped"));
  });

  it("startall starts onboot guests, all of them with force=1", async () => {
    const sim = createSimulator();
    await call(sim, "POST", "/nodes/pve1/stopall");
    await task(sim, (await call(sim, "POST", "/nodes/pve1/startall")).data);
    expect(running(sim)).toEqual([100]); // only 100 has onboot=1
    const t = await task(sim, (await call(sim, "POST", "/nodes/pve1/startall", { force: 1 })).data);
    expect(t.log).toEqual(["Starting VM 101", "Starting CT 200", "TASK OK"]);
    expect(running(sim)).toEqual([100, 101, 200]);
  });

  it("suspendall suspends VMs to disk; migrateall needs max-workers and moves every guest", async () => {
    const sim = createSimulator();
    const s = await task(sim, (await call(sim, "POST", "/nodes/pve1/suspendall")).data);
    expect(s.log).toContain("WARN: skipping 200, only VMs can be suspended");
    expect(sim.state.guests.get(100)?.config.lock).toBe("suspended");
    expect((await call(sim, "POST", "/nodes/pve2/migrateall", { target: "pve3" })).statusText).toBe(
      "either 'max-workers' parameter or max_workers in datacenter.cfg must be set!",
    );
    expect((await call(sim, "POST", "/nodes/pve2/migrateall", { target: "pve2", "max-workers": 2 })).json.errors).toEqual({ target: "target is local node." });
    const m = await task(sim, (await call(sim, "POST", "/nodes/pve2/migrateall", { target: "pve3", "max-workers": 2 })).data);
    expect(m.status.exitstatus).toBe("OK");
    expect([...sim.state.guests.values()].filter((g) => g.node === "pve2")).toEqual([]);
  });
});

describe("faults reach the calls bulk workers make", () => {
  it("cluster bulk actions go over HTTP (Guest.pm uses PVE::APIClient::LWP): every kind of fault applies", async () => {
    const sim = createSimulator();
    sim.fault("POST /nodes/*/qemu/101/status/shutdown", { kind: "status", status: 596, message: "Connection timed out" });
    sim.fault("POST /nodes/*/lxc/200/status/shutdown", { kind: "task-error", message: "boom" });
    const t = await task(sim, (await post(sim, "/cluster/bulk-action/guest/shutdown", [["vms", 100], ["vms", 101], ["vms", 200]])).data);
    expect(t.status.exitstatus).toBe("Some guests failed to shutdown 101, 200");
    expect(t.log).toEqual(expect.arrayContaining(["WARN: 596 Connection timed out", "WARN: Stopping CT 200 failed: boom"]));
    expect(running(sim)).toEqual([101, 200]);
  });

  it("a guest status that cannot be read leaves the decision to the action; a task status that cannot be read fails the guest", async () => {
    const sim = createSimulator();
    // the status read fails, so the running VM 100 is not skipped but started again (and that task fails)
    sim.fault("GET /nodes/pve1/qemu/100/status/current", { kind: "reset" });
    const started = await task(sim, (await post(sim, "/cluster/bulk-action/guest/start", [["vms", 100]])).data);
    expect(started.log).toEqual(["Starting guests: 100", "Starting VM 100", "WARN: Starting VM 100 failed: VM 100 already running", "TASK ERROR: Some guests failed to start: 100"]);
    // make_get_request retries the task status three times; when none answers the guest counts as failed
    const rule = sim.fault("GET /nodes/*/tasks/*/status", { kind: "status", status: 500, message: "proxy error" }, { times: 4 });
    const stopped = await task(sim, (await post(sim, "/cluster/bulk-action/guest/shutdown", [["vms", 101]])).data);
    expect(rule.hits).toBe(4);
    expect(stopped.log).toContain("WARN: Stopping VM 101 failed: could not query task status");
    expect(sim.state.guests.get(101)!.status).toBe("stopped"); // the shutdown itself happened
  });

  it("node bulk actions run the guests' handlers in-process (Nodes.pm): only the methods' own faults apply", async () => {
    const sim = createSimulator();
    sim.fault("POST /nodes/pve1/qemu/101/status/shutdown", { kind: "task-error", message: "shutdown timed out" });
    const transport = sim.fault("POST /nodes/pve1/lxc/200/status/shutdown", { kind: "reset" });
    sim.fault("POST /nodes/pve1/qemu/100/status/shutdown", { kind: "lock-timeout" });
    const t = await task(sim, (await call(sim, "POST", "/nodes/pve1/stopall")).data);
    expect(t.log).toEqual([
      "Stopping CT 200 (timeout = 180 seconds)",
      "Stopping VM 101 (timeout = 180 seconds)",
      "Stopping VM 100 (timeout = 180 seconds)",
      "can't lock file '/var/lock/qemu-server/lock-100.conf' - got timeout",
      "Stopping VM 101 failed: shutdown timed out",
      "TASK OK",
    ]);
    expect(transport.hits).toBe(0); // no connection to drop
    expect(running(sim)).toEqual([100, 101]);
  });
});

describe("startup delays (startall, bulk start), on the virtual clock", () => {
  const stoppedPve1 = () =>
    createSimulator({
      clock: { mode: "manual" },
      setup: (s) => {
        for (const g of s.guests.values()) if (g.node === "pve1") g.status = "stopped";
      },
    });
  const childStarts = (sim: Sim, type: RegExp, t0: number) =>
    sim.tasks
      .list()
      .filter((x) => type.test(x.type))
      .map((x) => [Number(x.id), x.starttime - Math.floor(t0 / 1000)])
      .sort((a, b) => a[1]! - b[1]! || a[0]! - b[0]!);

  it("startall waits 3 s after each VM it starts (Nodes.pm: 'to reduce load'), or the guest's up=", async () => {
    const sim = stoppedPve1();
    const t0 = sim.clock.now();
    const upid = (await call(sim, "POST", "/nodes/pve1/startall", { force: 1 })).data as string;
    sim.clock.advance(60_000);
    expect(childStarts(sim, /^(qm|vz)start$/, t0)).toEqual([
      [100, 0],
      [101, 3],
      [200, 6], // containers: no default delay after them
    ]);
    expect((await task(sim, upid)).status.exitstatus).toBe("OK");
    const sim2 = stoppedPve1();
    sim2.state.guests.get(100)!.config.startup = "up=20";
    const t1 = sim2.clock.now();
    const u2 = (await call(sim2, "POST", "/nodes/pve1/startall", { force: 1 })).data as string;
    sim2.clock.advance(60_000);
    expect(childStarts(sim2, /^(qm|vz)start$/, t1)).toEqual([
      [100, 0],
      [101, 20],
      [200, 23],
    ]);
    expect((await task(sim2, u2)).log[1]).toBe("Waiting for 20 seconds (startup delay)");
  });

  it("a cluster bulk start waits a guest's up= once its start task ended (Guest.pm check_task)", async () => {
    const sim = stoppedPve1();
    sim.state.guests.get(100)!.config.startup = "order=1,up=30";
    const t0 = sim.clock.now();
    const upid = (await post(sim, "/cluster/bulk-action/guest/start", [["vms", 100], ["vms", 101]])).data as string;
    sim.clock.advance(120_000);
    // 100 (order 1) starts, its task takes 2 s, then 30 s of delay before the next group
    expect(childStarts(sim, /^qmstart$/, t0)).toEqual([
      [100, 0],
      [101, 32],
    ]);
    expect((await task(sim, upid)).log).toContain("Waiting for 30 seconds (startup delay)");
  });
});
