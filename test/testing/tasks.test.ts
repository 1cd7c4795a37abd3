import { describe, expect, it } from "vitest";
import { createSimulator } from "../../src/testing";
import { parseUpid } from "../../src/runtime/upid";
import { call } from "./helpers";

const manual = () => createSimulator({ clock: { mode: "manual" } });

async function status(sim: ReturnType<typeof manual>, node: string, upid: string) {
  return (await call(sim, "GET", `/nodes/${node}/tasks/${encodeURIComponent(upid)}/status`)).data;
}
async function log(sim: ReturnType<typeof manual>, node: string, upid: string): Promise<string[]> {
  return (await call(sim, "GET", `/nodes/${node}/tasks/${encodeURIComponent(upid)}/log`, { limit: 500 })).data.map((l: { t: string }) => l.t);
}

describe("tasks on the virtual clock", () => {
  it("runs a start task: running until its time has passed, then OK", async () => {
    const sim = manual();
    const upid = (await call(sim, "POST", "/nodes/pve2/qemu/102/status/start")).data as string;
    const parts = parseUpid(upid);
    expect(parts).toMatchObject({ node: "pve2", type: "qmstart", id: "102", user: "root@pam!pvekit" });
    expect(parts.starttime).toBe(sim.clock.nowSeconds());
    expect((await status(sim, "pve2", upid)).status).toBe("running");
    expect((await call(sim, "GET", "/nodes/pve2/qemu/102/status/current")).data.status).toBe("stopped");
    sim.clock.advance(60_000);
    const done = await status(sim, "pve2", upid);
    expect(done).toMatchObject({ status: "stopped", exitstatus: "OK" });
    expect((await log(sim, "pve2", upid)).at(-1)).toBe("TASK OK");
    expect((await call(sim, "GET", "/nodes/pve2/qemu/102/status/current")).data).toMatchObject({ status: "running", qmpstatus: "running" });
  });

  it("fails a second start with TASK ERROR inside the worker, as PVE does", async () => {
    const sim = createSimulator();
    const upid = (await call(sim, "POST", "/nodes/pve1/qemu/100/status/start")).data as string;
    expect((await status(sim, "pve1", upid)).exitstatus).toBe("VM 100 already running");
    expect((await log(sim, "pve1", upid)).at(-1)).toBe("TASK ERROR: VM 100 already running");
  });

  it("holds the snapshot lock while a snapshot runs; other operations fail with 'VM is locked (snapshot)'", async () => {
    const sim = manual();
    const snap = (await call(sim, "POST", "/nodes/pve1/qemu/100/snapshot", { snapname: "s1", vmstate: 1 })).data as string;
    expect((await call(sim, "GET", "/nodes/pve1/qemu/100/status/current")).data.lock).toBe("snapshot");
    const put = await call(sim, "PUT", "/nodes/pve1/qemu/100/config", { description: "x" });
    expect(put.status).toBe(500);
    expect(put.statusText).toBe("VM is locked (snapshot)");
    const second = (await call(sim, "POST", "/nodes/pve1/qemu/100/snapshot", { snapname: "s2" })).data as string;
    expect((await status(sim, "pve1", second)).exitstatus).toBe("VM is locked (snapshot)");
    const stop = (await call(sim, "POST", "/nodes/pve1/qemu/100/status/stop")).data as string;
    expect((await log(sim, "pve1", stop)).at(-1)).toBe("TASK ERROR: VM is locked (snapshot)");
    sim.clock.advance(30_000);
    expect((await status(sim, "pve1", snap)).exitstatus).toBe("OK");
    const snaps = (await call(sim, "GET", "/nodes/pve1/qemu/100/snapshot")).data;
    expect(snaps.find((s: { name: string }) => s.name === "s1")).toMatchObject({ vmstate: 1, parent: "pre-upgrade" });
    expect(snaps.find((s: { name: string }) => s.name === "current").parent).toBe("s1");
    expect((await call(sim, "GET", "/nodes/pve1/qemu/100/status/current")).data.lock).toBeUndefined();
  });

  it("lists tasks per node with filters and a total, newest first", async () => {
    const sim = manual();
    const a = (await call(sim, "POST", "/nodes/pve1/qemu/101/status/shutdown")).data;
    sim.clock.advance(1000);
    const b = (await call(sim, "POST", "/nodes/pve1/lxc/200/status/reboot")).data;
    const active = await call(sim, "GET", "/nodes/pve1/tasks", { source: "active" });
    expect(active.data.map((t: { upid: string }) => t.upid)).toEqual([b, a]);
    expect(active.json.total).toBe(2);
    sim.clock.advance(60_000);
    const archived = await call(sim, "GET", "/nodes/pve1/tasks", { vmid: 200 });
    expect(archived.data).toHaveLength(1);
    expect(archived.data[0]).toMatchObject({ upid: b, status: "OK", type: "vzreboot" });
    const cluster = await call(sim, "GET", "/cluster/tasks");
    expect(cluster.data.map((t: { upid: string }) => t.upid)).toEqual([b, a]);
  });

  it("splits a token's tasks into user and tokenid, and shows them to whom PVE shows them (Tasks.pm, Cluster.pm)", async () => {
    const sim = createSimulator();
    await call(sim, "POST", "/access/users", { userid: "ops@pve" });
    await call(sim, "POST", "/access/users/ops@pve/token/ci", { privsep: 0 });
    const secret = (await call(sim, "POST", "/access/users/ops@pve/token/cd", { privsep: 0 })).data.value as string;
    await call(sim, "PUT", "/access/acl", { path: "/vms", roles: "PVEVMUser", users: "ops@pve" });
    const token = { authorization: `PVEAPIToken=ops@pve!cd=${secret}` };
    const upid = (await call(sim, "POST", "/nodes/pve1/qemu/101/status/reboot", {}, token)).data as string;
    expect(upid).toMatch(/:qmreboot:101:ops@pve!cd:$/);
    const byRoot = (await call(sim, "GET", "/cluster/tasks")).data.find((t: { upid: string }) => t.upid === upid);
    expect(byRoot).toMatchObject({ user: "ops@pve", tokenid: "cd", status: "OK" });
    expect((await call(sim, "GET", `/nodes/pve1/tasks/${encodeURIComponent(upid)}/status`, {}, token)).data).toMatchObject({ user: "ops@pve", tokenid: "cd" });
    expect((await call(sim, "GET", "/nodes/pve1/tasks", { userfilter: "OPS@pve" })).data[0]).toMatchObject({ upid, user: "ops@pve", tokenid: "cd" });
    // without Sys.Audit on /, /cluster/tasks lists the tasks whose (split) user is the caller: not even its own for a token
    expect((await call(sim, "GET", "/cluster/tasks", {}, token)).data).toEqual([]);
    // on the node, the token sees its own task (Tasks.pm $check_task_user)
    expect((await call(sim, "GET", "/nodes/pve1/tasks", {}, token)).data.map((t: { upid: string }) => t.upid)).toEqual([upid]);
  });

  it("lists a running task as the active-task file has it: the token id as user, no tokenid", async () => {
    const sim = manual();
    const upid = (await call(sim, "POST", "/nodes/pve1/qemu/101/status/shutdown")).data as string;
    const [running] = (await call(sim, "GET", "/nodes/pve1/tasks", { source: "active" })).data;
    expect(running).toMatchObject({ upid, user: "root@pam!pvekit" });
    expect(running.tokenid).toBeUndefined();
    expect((await call(sim, "GET", "/cluster/tasks")).data[0]).toMatchObject({ upid, user: "root@pam", tokenid: "pvekit" });
  });

  it("stops a running task on DELETE without applying its effect", async () => {
    const sim = manual();
    const upid = (await call(sim, "POST", "/nodes/pve1/qemu/101/status/stop")).data as string;
    expect((await call(sim, "DELETE", `/nodes/pve1/tasks/${encodeURIComponent(upid)}`)).status).toBe(200);
    expect((await status(sim, "pve1", upid)).exitstatus).toBe("interrupted by signal");
    expect(sim.state.guests.get(101)?.status).toBe("running");
  });

  it("completes tasks at once in instant mode (the default)", async () => {
    const sim = createSimulator();
    const upid = (await call(sim, "POST", "/nodes/pve1/lxc/200/status/shutdown")).data as string;
    expect((await status(sim, "pve1", upid)).exitstatus).toBe("OK");
    expect(sim.state.guests.get(200)?.status).toBe("stopped");
    const again = await call(sim, "POST", "/nodes/pve1/lxc/200/status/shutdown");
    expect(again.statusText).toBe("CT 200 not running");
  });
});
