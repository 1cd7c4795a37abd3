import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { ConfirmationOutcome } from "../../../src/skill/skill-outcome";
import { confirmed as confirmedWith, done } from "../helpers/outcomes";
import { startSimSkill, type SimSkill } from "../helpers/sim-skill";

let t: SimSkill;
beforeAll(async () => {
  t = await startSimSkill();
});
afterAll(async () => t.close());
const confirmed = (name: string, input: Record<string, unknown>) => confirmedWith(t.skill({ mode: "admin" }), name, input);

beforeEach(() => {
  t.sim.reset();
  t.audit.entries.length = 0;
});

describe("reversible power actions", () => {
  test("start re-checks and reports the change", async () => {
    const out = done(await t.skill({ mode: "operator" }).run("start", { vmid: 102 }));
    expect(out).toMatchObject({ status: "done", target: "qemu/102 (test-vm) on pve2" });
    expect(out.result.changes).toEqual(["status: stopped → running"]);
    expect(out.result.exitstatus).toBe("OK");
    expect(t.sim.state.guests.get(102)!.status).toBe("running");
    expect(t.audit.entries.map((e) => [e.operation, e.outcome])).toEqual([
      ["start", "intent"],
      ["start", "ok"],
    ]);
  });

  test("start on a running guest changes nothing", async () => {
    const out = done(await t.skill({ mode: "operator" }).run("start", { vmid: 100 }));
    expect(out.status).toBe("no-change");
    expect(out.result.summary).toBe("Nothing to do: VM 100 is already running.");
    expect(t.audit.entries.map((e) => e.outcome)).toEqual(["no-change"]);
  });

  test("start refuses when the node lacks the guest's memory", async () => {
    t.sim.state.nodes.find((n) => n.name === "pve3")!.maxmem = 4 * 1024 ** 3;
    await expect(t.skill({ mode: "operator" }).run("start", { vmid: 103 })).rejects.toThrow(
      /Not starting VM 103: node pve3 has .* free, but the VM is configured with 8\.0 GiB\. Pass --force to start anyway \(or --ignore-memory/,
    );
    expect(t.sim.state.guests.get(103)!.status).toBe("stopped");
    const forced = done(await t.skill({ mode: "operator" }).run("start", { vmid: 103, ignoreMemory: true }));
    expect(forced.status).toBe("done");
  });

  test("start checks the guest's vCPUs against the node's CPUs, and says what it checked", async () => {
    const ok = done(await t.skill({ mode: "operator" }).run("start", { vmid: 102 }));
    expect(ok.result.notes).toEqual([
      "Checked before starting: memory: node pve2 has 60.0 GiB free, the VM needs 2.0 GiB; cpu: node pve2 has 16 CPUs, the VM has 2 vCPUs.",
    ]);
    t.sim.reset();
    t.sim.state.nodes.find((n) => n.name === "pve2")!.maxcpu = 1;
    // PVE reports a VM's vCPUs capped at the node's threads (qemu-server vmstatus), so the check cannot see
    // the excess; PVE itself refuses the start (qemu-server config_to_command) and pvekit reports that
    await expect(t.skill({ mode: "operator" }).run("start", { vmid: 102 })).rejects.toThrow(/MAX 1 vcpus allowed per VM on this node/);
    expect(t.sim.state.guests.get(102)!.status).toBe("stopped");
  });

  test("containers are checked too (cores from their status)", async () => {
    t.sim.state.nodes.find((n) => n.name === "pve2")!.maxcpu = 1;
    t.sim.state.guests.get(201)!.config.cores = 4;
    await expect(t.skill({ mode: "operator" }).run("start", { vmid: 201 })).rejects.toThrow(/container has 4 vCPUs, more than the 1 CPU of/);
  });

  test("shutdown, reboot, suspend and resume", async () => {
    const op = t.skill({ mode: "operator" });
    expect(done(await op.run("suspend", { vmid: 100 })).result.changes).toEqual(["status: running → paused"]);
    expect(done(await op.run("resume", { vmid: 100 })).result.changes).toEqual(["status: paused → running"]);
    expect(done(await op.run("reboot", { vmid: 200 })).result.changes).toEqual(["status: running (unchanged)"]);
    expect(done(await op.run("shutdown", { vmid: 200 })).result.changes).toEqual(["status: running → stopped"]);
    await expect(op.run("reboot", { vmid: 200 })).rejects.toThrow(/only a running guest can be rebooted/);
  });

  test("a container's suspend reports PVE's real state (checkpointed and stopped), and resume restores it", async () => {
    const op = t.skill({ mode: "operator" });
    const suspended = done(await op.run("suspend", { vmid: 200 }));
    expect(suspended.result.changes).toEqual(["status: running → stopped (suspended)"]);
    expect(suspended.result.summary).toBe("Suspend guest: container 200 is now stopped (suspended).");
    expect(suspended.result.notes).toEqual([expect.stringMatching(/reports it as stopped; pvekit resume 200 restores it/)]);
    expect(t.sim.state.guests.get(200)!.status).toBe("stopped");
    expect(done(await op.run("suspend", { vmid: 200 })).result.summary).toBe("Nothing to do: container 200 is already suspended.");
    const resumed = done(await op.run("resume", { vmid: 200 }));
    expect(resumed.result.changes).toEqual(["status: stopped (suspended) → running"]);
    expect(t.sim.state.guests.get(200)!.status).toBe("running");
  });

  test("resume refuses a container that was stopped, not suspended; start of a suspended one warns", async () => {
    const op = t.skill({ mode: "operator" });
    await expect(op.run("resume", { vmid: 201 })).rejects.toThrow(
      "Cannot resume container 201: it is stopped and was not suspended (its last run-state task is not a successful suspend); use start.",
    );
    await op.run("suspend", { vmid: 200 });
    const started = done(await op.run("start", { vmid: 200 }));
    expect(started.result.warnings).toEqual([expect.stringMatching(/^Container 200 was suspended \(checkpointed\); start boots it afresh/)]);
    expect(started.result.changes).toEqual(["status: stopped (suspended) → running"]);
  });

  test("without waiting the task id comes back at once", async () => {
    const out = done(await t.skill({ mode: "operator" }).run("start", { vmid: 102 }, { wait: false }));
    expect(out.status).toBe("started");
    expect(out.result.upid).toMatch(/^UPID:pve2:.*:qmstart:102:/);
    expect(out.result.exitstatus).toBeUndefined();
  });

  test("progress lines are passed on while waiting", async () => {
    const lines: string[] = [];
    await t.skill({ mode: "operator" }).run("start", { vmid: 102 }, { progress: (l) => lines.push(l) });
    expect(lines).toContain("TASK OK");
  });
});

describe("destructive power actions", () => {
  test("stop needs confirmation, then stops", async () => {
    const out = await confirmed("stop", { vmid: 101 });
    expect(out.result.changes).toEqual(["status: running → stopped"]);
    expect(t.sim.state.guests.get(101)!.status).toBe("stopped");
    expect(t.audit.entries.map((e) => e.outcome)).toEqual(["confirmation-required", "intent", "ok"]);
  });

  test("reset keeps a VM running and is refused for containers", async () => {
    const out = await confirmed("reset", { vmid: 100 });
    expect(out.result.changes).toEqual(["status: running (unchanged)"]);
    await expect(t.skill({ mode: "admin" }).run("reset", { vmid: 200 })).rejects.toThrow(/containers cannot be reset/);
  });

  test("the plan explains the risk", async () => {
    const first = (await t.skill({ mode: "admin" }).run("stop", { vmid: 100 })) as ConfirmationOutcome;
    expect(first.plan).toMatchObject({ operation: "stop", tier: "destructive", target: "qemu/100 (web01) on pve1" });
    expect(first.plan.warnings.join(" ")).toMatch(/unsaved data is lost/);
    expect(t.sim.state.guests.get(100)!.status).toBe("running");
  });
});
