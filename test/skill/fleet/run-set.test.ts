import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { SetOutcome, SetPlannedOutcome, SetPlanView } from "../../../src/skill/fleet/set-outcome";
import type { ProgressEvent } from "../../../src/skill/progress/events";
import type { ConfirmationOutcome, SkillOutcome } from "../../../src/skill/skill-outcome";
import { AuditLogError, PolicyRefusedError, SkillUsageError } from "../../../src/skill/errors";
import { PveSkill } from "../../../src/skill/pve-skill";
import { startSimSkill, type SimSkill } from "../helpers/sim-skill";

let t: SimSkill;
beforeAll(async () => {
  t = await startSimSkill();
});
afterAll(async () => t.close());
beforeEach(() => {
  t.sim.reset();
  t.audit.entries.length = 0;
  t.writes.length = 0;
});

const asSet = (o: SkillOutcome): SetOutcome => {
  expect(o.kind).toBe("set");
  return o as SetOutcome;
};
const asConfirm = (o: SkillOutcome): ConfirmationOutcome & { plan: SetPlanView } => {
  expect(o.status).toBe("confirmation-required");
  return o as ConfirmationOutcome & { plan: SetPlanView };
};
const outcomes = (o: SetOutcome) => Object.fromEntries(o.results.map((r) => [r.vmid, r.outcome]));
const status = (vmid: number) => t.sim.state.guests.get(vmid)!.status;

describe("selectors and ranges through the skill", () => {
  test("several VMIDs and a range start every stopped guest; the running one is a no-op", async () => {
    const out = asSet(await t.skill({ mode: "operator" }).run("start", { select: { vmids: ["100", "102-103"] } }));
    expect(out.status).toBe("done");
    expect(outcomes(out)).toEqual({ 100: "noop", 102: "ok", 103: "ok" });
    expect([status(102), status(103)]).toEqual(["running", "running"]);
    expect(out.results.find((r) => r.vmid === 102)).toMatchObject({ node: "pve2", type: "qemu", exitstatus: "OK", changes: ["status: stopped → running"] });
    expect(out.results.find((r) => r.vmid === 102)!.upid).toMatch(/^UPID:pve2:.*:qmstart:102:/);
    expect(out.counts).toMatchObject({ ok: 2, noop: 1, failed: 0 });
  });

  test("vmid alongside select joins the set; filters alone select and narrow listed VMIDs", async () => {
    const op = t.skill({ mode: "operator" });
    const plan = async (input: Record<string, unknown>) =>
      ((await op.run("start", { ...input, dryRun: true })) as SetPlannedOutcome).plan.guests.map((g) => g.vmid);
    expect(await plan({ vmid: 201, select: { vmids: [102] } })).toEqual([102, 201]);
    expect(await plan({ select: { type: "qemu", status: "stopped" } })).toEqual([102, 103]);
    expect(await plan({ select: { vmids: ["100-299"], type: "lxc" } })).toEqual([200, 201]);
  });

  test("templates are never selected implicitly, and a named template is skipped with its reason", async () => {
    const all = (await t.skill({ mode: "operator" }).run("start", { select: { all: true }, dryRun: true })) as SetPlannedOutcome;
    expect(all.plan.guests.map((g) => g.vmid)).toEqual([100, 101, 102, 103, 200, 201]);
    const planned = (await t.skill({ mode: "operator" }).run("start", { select: { node: "pve2" }, dryRun: true })) as SetPlannedOutcome;
    expect(planned.status).toBe("planned");
    expect(planned.plan.guests.map((g) => g.vmid)).toEqual([102, 201]);
    const named = asSet(await t.skill({ mode: "operator" }).run("start", { select: { vmids: [9000, 102] } }));
    expect(named.results.find((r) => r.vmid === 9000)).toMatchObject({ outcome: "skipped", reason: "it is a template" });
  });

  test("no matching guest is no change, not an error; a named missing guest is", async () => {
    const out = asSet(await t.skill({ mode: "operator" }).run("start", { select: { tag: "nosuchtag" } }));
    expect(out.status).toBe("no-change");
    expect(out.results).toEqual([]);
    await expect(t.skill({ mode: "operator" }).run("start", { select: { vmids: [102, 4242] } })).rejects.toThrow(/VMID 4242/);
    await expect(t.skill({ mode: "operator" }).run("start", { select: {} })).rejects.toThrow(SkillUsageError);
  });

  test("an operation that takes one VMID does not take a set", async () => {
    await expect(t.skill({ mode: "admin" }).run("delete", { select: { all: true } })).rejects.toThrow(/Invalid input for delete/);
  });
});

describe("one plan, one confirm token for the set", () => {
  test("a destructive set shows every guest with its state and action, and one token runs exactly that set", async () => {
    const admin = t.skill({ mode: "admin" });
    const input = { select: { node: "pve1" } };
    const first = asConfirm(await admin.run("stop", input));
    expect(first.plan.tier).toBe("destructive");
    expect(first.plan.target).toBe("3 guests: 100-101,200");
    expect(first.plan.guests.map((g) => [g.vmid, g.status, g.noop ? "noop" : g.action])).toEqual([
      [100, "running", "stop"],
      [101, "running", "stop"],
      [200, "running", "stop"],
    ]);
    expect(["running", "running", "running"]).toEqual([status(100), status(101), status(200)]);
    const out = asSet(await admin.run("stop", input, { confirm: first.confirmToken }));
    expect(outcomes(out)).toEqual({ 100: "ok", 101: "ok", 200: "ok" });
    expect([status(100), status(101), status(200)]).toEqual(["stopped", "stopped", "stopped"]);
    // single use: the same set again (all running) does not run on the used token
    t.sim.reset();
    const again = asConfirm(await admin.run("stop", input, { confirm: first.confirmToken }));
    expect(again.reason).toMatch(/already used/);
    expect(status(100)).toBe("running");
  });

  test("the token is bound to the set: when the set changes it runs nothing and a new plan comes back", async () => {
    const admin = t.skill({ mode: "admin" });
    const first = asConfirm(await admin.run("stop", { select: { all: true } }));
    // a guest starts between the plan and the confirmation: stopping it was not in the confirmed plan
    t.sim.state.guests.get(102)!.status = "running";
    const second = asConfirm(await admin.run("stop", { select: { all: true } }, { confirm: first.confirmToken }));
    expect(second.reason).toMatch(/different operation, target or parameters/);
    expect(status(100)).toBe("running");
    // and parameters are bound too
    const other = asConfirm(await admin.run("migrate", { select: { vmids: [102, 103] }, target: "pve1" }));
    const mismatch = asConfirm(await admin.run("migrate", { select: { vmids: [102, 103] }, target: "pve3" }, { confirm: other.confirmToken }));
    expect(mismatch.reason).toMatch(/different/);
  });

  test("a bulk shutdown (reversible) needs one confirmation when more than one guest goes down; one guest does not", async () => {
    const op = t.skill({ mode: "operator" });
    const first = asConfirm(await op.run("shutdown", { select: { tag: "prod" } }));
    expect(first.plan.counts).toEqual({ act: 3, noop: 0, skip: 0 });
    const out = asSet(await op.run("shutdown", { select: { tag: "prod" } }, { confirm: first.confirmToken }));
    expect(out.counts.ok).toBe(3);
    t.sim.reset();
    const one = asSet(await op.run("shutdown", { select: { vmids: ["100", "102"] } }));
    expect(outcomes(one)).toEqual({ 100: "ok", 102: "noop" });
  });

  test("the mode is checked for the set before anything is read", async () => {
    await expect(t.skill({ mode: "operator" }).run("stop", { select: { all: true } })).rejects.toThrow(/needs mode admin/);
    expect(t.audit.entries.map((e) => e.outcome)).toEqual(["refused"]);
  });
});

describe("allow-lists over the whole set", () => {
  test("one guest outside the allow-list: nothing runs, the refusal names it and suggests --exclude", async () => {
    const skill = t.skill({ mode: "operator", allowedVmids: "100-199" });
    const err = await skill.run("start", { select: { all: true } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolicyRefusedError);
    const message = (err as Error).message;
    expect(message).toMatch(/nothing was run/);
    expect(message).toMatch(/VMID 200 is not in the allowed VMIDs/);
    expect(message).toMatch(/VMID 201/);
    expect(message).toMatch(/--exclude 200-201/);
    expect([status(102), status(103)]).toEqual(["stopped", "stopped"]);
    expect(t.audit.entries.at(-1)).toMatchObject({ operation: "start", outcome: "refused" });
    // excluded, it runs
    const out = asSet(await skill.run("start", { select: { all: true, exclude: "200-201" } }));
    expect(outcomes(out)).toMatchObject({ 102: "ok", 103: "ok" });
  });

  test("targets besides the guests are checked too (the migration target node, the destination pool)", async () => {
    const admin = t.skill({ mode: "admin", allowedNodes: "pve1,pve2" });
    await expect(admin.run("migrate", { select: { vmids: [102] }, target: "pve3" })).rejects.toThrow(/Node "pve3" is not in the allowed nodes/);
    const pools = t.skill({ mode: "operator", allowedPools: "production" });
    await expect(pools.run("pool", { select: { vmids: [100, 101] }, pool: "other" })).rejects.toThrow(/allowed pools/);
  });
});

describe("audit", () => {
  test("the set's intent is on record before any request; each guest's outcome after", async () => {
    await t.skill({ mode: "operator" }).run("start", { select: { vmids: [102, 103] } });
    expect(t.audit.entries.map((e) => [e.outcome, e.target])).toEqual([
      ["intent", "2 guests: 102-103 (acting: 102-103)"],
      ["ok", "qemu/102 (test-vm) on pve2"],
      ["ok", "qemu/103 (win11) on pve3"],
    ]);
    expect(t.audit.entries[0]!.params).toMatchObject({ select: { vmids: [102, 103] } });
  });

  test("an audit log that cannot be written: nothing is sent", async () => {
    const base = t.skill({ mode: "operator" });
    const broken = new PveSkill({
      client: base.client,
      settings: base.settings,
      tokens: base.tokens,
      audit: {
        append: () => {
          throw new Error("EROFS: read-only file system");
        },
      },
    });
    await expect(broken.run("start", { select: { vmids: [102, 103] } })).rejects.toThrow(AuditLogError);
    expect([status(102), status(103)]).toEqual(["stopped", "stopped"]);
    expect(t.writes).toEqual([]);
  });
});

describe("execution", () => {
  test("one guest's task fails: it is reported with its log tail, the others finish", async () => {
    t.sim.fault("POST /nodes/pve1/qemu/101/status/shutdown", { kind: "task-error", message: "VM quit/powerdown failed - got timeout" });
    const op = t.skill({ mode: "operator" });
    const first = asConfirm(await op.run("shutdown", { select: { node: "pve1" } }));
    const out = asSet(await op.run("shutdown", { select: { node: "pve1" } }, { confirm: first.confirmToken }));
    expect(out.status).toBe("done");
    expect(outcomes(out)).toEqual({ 100: "ok", 101: "failed", 200: "ok" });
    const failed = out.results.find((r) => r.vmid === 101)!;
    expect(failed.error).toMatch(/got timeout/);
    expect(failed.exitstatus).toMatch(/got timeout/);
    expect(failed.upid).toMatch(/:qmshutdown:101:/);
    expect(failed.logTail?.at(-1)).toBe("TASK ERROR: VM quit/powerdown failed - got timeout");
    expect([status(100), status(101), status(200)]).toEqual(["stopped", "running", "stopped"]);
    expect(t.audit.entries.filter((e) => e.operation === "shutdown").map((e) => [e.target, e.outcome])).toEqual(
      expect.arrayContaining([
        ["qemu/100 (web01) on pve1", "ok"],
        ["qemu/101 (db01) on pve1", "failed"],
        ["lxc/200 (proxy) on pve1", "ok"],
      ]),
    );
  });

  test("the live state is re-read per guest: a paused VM resumes, a running one is a no-op", async () => {
    const op = t.skill({ mode: "operator" });
    t.sim.state.guests.get(100)!.paused = true;
    const out = asSet(await op.run("resume", { select: { vmids: [100, 101] } }));
    expect(outcomes(out)).toEqual({ 100: "ok", 101: "noop" });
    expect(out.results.find((r) => r.vmid === 101)!.reason).toMatch(/already running/);
  });

  test("a state the preview cannot see is skipped with the reason, not failed", async () => {
    // /cluster/resources reports a paused VM as paused (pvestatd stores QEMU's run state): the preview skips it
    t.sim.state.guests.get(100)!.paused = true;
    const out = asSet(await t.skill({ mode: "operator" }).run("start", { select: { vmids: [100, 102] } }));
    expect(outcomes(out)).toEqual({ 100: "skipped", 102: "ok" });
    expect(out.results[0]!.reason).toMatch(/it is paused; use resume/);
    t.sim.reset();
    const reb = asSet(await t.skill({ mode: "admin" }).run("reset", { select: { vmids: [100, 200, 103] } }, {}).then(async (o) => {
      const c = asConfirm(o);
      expect(c.plan.guests.map((g) => [g.vmid, g.skip ?? ""])).toEqual([
        [100, ""],
        [103, "it is stopped; only a running VM can be reset"],
        [200, "containers cannot be reset; use reboot"],
      ]);
      // paused after the plan was made: only the guest's own live check sees it
      t.sim.state.guests.get(100)!.paused = true;
      return t.skill({ mode: "admin" }).run("reset", { select: { vmids: [100, 200, 103] } }, { confirm: c.confirmToken });
    }));
    expect(outcomes(reb)).toEqual({ 100: "skipped", 103: "skipped", 200: "skipped" });
    expect(reb.results[0]!.reason).toMatch(/it is paused; only a running VM can be reset/);
    expect(reb.counts.failed).toBe(0);
  });

  test("without waiting every task is started and reported with its UPID", async () => {
    const out = asSet(await t.skill({ mode: "operator" }).run("start", { select: { vmids: [102, 103] } }, { wait: false }));
    expect(out.status).toBe("started");
    expect(out.results.every((r) => r.outcome === "started" && r.upid?.startsWith("UPID:"))).toBe(true);
  });

  test("progress events for each guest: task start, log, end, state and a result; then a summary", async () => {
    const events: ProgressEvent[] = [];
    await t.skill({ mode: "operator" }).run("start", { select: { vmids: [102, 103] } }, { onEvent: (e) => events.push(e) });
    for (const vmid of [102, 103]) {
      const mine = events.filter((e) => e.vmid === vmid).map((e) => e.event);
      expect(mine).toEqual(expect.arrayContaining(["task-start", "task-log", "task-end", "state", "result"]));
      expect(mine.indexOf("task-start")).toBeLessThan(mine.indexOf("task-end"));
    }
    expect(events.at(-1)).toMatchObject({ event: "summary", operation: "start", total: 2, counts: { ok: 2 } });
    expect(events.every((e) => typeof e.time === "string")).toBe(true);
  });

  test("suspend and resume a set of a VM and a container (PVE reports a suspended container as stopped)", async () => {
    const op = t.skill({ mode: "operator" });
    const first = asConfirm(await op.run("suspend", { select: { vmids: [100, 200] } }));
    const suspended = asSet(await op.run("suspend", { select: { vmids: [100, 200] } }, { confirm: first.confirmToken }));
    expect(outcomes(suspended)).toEqual({ 100: "ok", 200: "ok" });
    const plan = ((await op.run("resume", { select: { vmids: [100, 200, 201] }, dryRun: true })) as SetPlannedOutcome).plan;
    expect(plan.guests.map((g) => [g.vmid, g.action])).toEqual([
      [100, "resume"], // /cluster/resources says paused (pvestatd stores QEMU's run state)
      [200, "resume (if suspended)"],
      [201, "resume (if suspended)"],
    ]);
    const resumed = asSet(await op.run("resume", { select: { vmids: [100, 200, 201] } }));
    expect(outcomes(resumed)).toEqual({ 100: "ok", 200: "ok", 201: "skipped" });
    expect(resumed.results[2]!.reason).toMatch(/was not suspended/);
    expect([status(100), status(200), status(201)]).toEqual(["running", "running", "stopped"]);
  });

  test("start checks the memory of each node for the whole set before anything starts", async () => {
    t.sim.state.nodes.find((n) => n.name === "pve2")!.maxmem = 6 * 1024 ** 3;
    t.sim.state.guests.get(201)!.config.memory = 4096;
    await expect(t.skill({ mode: "operator" }).run("start", { select: { node: "pve2" } })).rejects.toThrow(/node pve2 has .* free, but the 2 guest\(s\)/);
    expect(status(102)).toBe("stopped");
    const ignored = asSet(await t.skill({ mode: "operator" }).run("start", { select: { node: "pve2" }, ignoreMemory: true }));
    expect(ignored.counts.ok).toBe(2);
    t.sim.reset();
    t.sim.state.nodes.find((n) => n.name === "pve2")!.maxmem = 6 * 1024 ** 3;
    t.sim.state.guests.get(201)!.config.memory = 4096;
    const forced = asSet(await t.skill({ mode: "operator" }).run("start", { select: { node: "pve2" }, force: true }));
    expect(forced.counts.ok).toBe(2);
    expect(forced.warnings?.[0]).toMatch(/^Starting despite the memory check \(--force\): node pve2 has/);
  });
});

describe("snapshot, backup, tag, pool and migrate over sets", () => {
  test("snapshot takes its name once for the set", async () => {
    const out = asSet(await t.skill({ mode: "operator" }).run("snapshot", { select: { vmids: [101, 200] }, name: "pre-change" }));
    expect(outcomes(out)).toEqual({ 101: "ok", 200: "ok" });
    for (const id of [101, 200]) expect(t.sim.state.guests.get(id)!.snapshots.map((s) => s.name)).toContain("pre-change");
    const again = asSet(await t.skill({ mode: "operator" }).run("snapshot", { select: { vmids: [101, 102] }, name: "pre-change" }));
    expect(outcomes(again)).toEqual({ 101: "failed", 102: "ok" });
    expect(again.results[0]!.error).toMatch(/already has a snapshot named "pre-change"/);
  });

  test("backup runs one vzdump per node listing its guests and reads each guest's outcome from the log", async () => {
    const out = asSet(await t.skill({ mode: "operator" }).run("backup", { select: { vmids: [100, 101, 102] }, storage: "local" }));
    expect(outcomes(out)).toEqual({ 100: "ok", 101: "ok", 102: "ok" });
    const upids = new Set(out.results.map((r) => r.upid));
    expect(upids.size).toBe(2); // pve1 (100, 101) and pve2 (102)
    const pve1 = out.results.find((r) => r.vmid === 100)!;
    expect(pve1.upid).toMatch(/^UPID:pve1:.*:vzdump::/);
    expect(pve1.changes?.[0]).toMatch(/^backup local:backup\/vzdump-qemu-100-.*: created$/);
    expect(out.results.find((r) => r.vmid === 101)!.upid).toBe(pve1.upid);
  });

  test("backup --name names every backup of the set (kept as its notes); --name and --notes together is a usage error", async () => {
    const out = asSet(await t.skill({ mode: "operator" }).run("backup", { select: { vmids: [101, 102] }, storage: "local", name: "pre-upgrade" }));
    expect(outcomes(out)).toEqual({ 101: "ok", 102: "ok" });
    const backups = () => Object.values(t.sim.state.storages.find((s) => s.storage === "local")!.volumes).flat();
    const made = backups().filter((b) => (b.vmid === 101 || b.vmid === 102) && b.notes === "pre-upgrade");
    expect(made.map((b) => b.vmid).sort()).toEqual([101, 102]);
    const single = await t.skill({ mode: "operator" }).run("backup", { vmid: 200, storage: "local", name: "before-fix" });
    expect(single.status).toBe("done");
    expect(backups().some((b) => b.vmid === 200 && b.notes === "before-fix")).toBe(true);
    const both = await t
      .skill({ mode: "operator" })
      .run("backup", { select: { vmids: [101] }, storage: "local", name: "a", notes: "b" })
      .catch((e: unknown) => e);
    expect(both).toBeInstanceOf(SkillUsageError);
    expect((both as Error).message).toMatch(/--name or --notes, not both/);
  });

  test("a failed vzdump fails that node's guests with the log; other nodes finish", async () => {
    t.sim.fault("POST /nodes/pve2/vzdump", { kind: "task-error", message: "job errors" });
    const out = asSet(await t.skill({ mode: "operator" }).run("backup", { select: { vmids: [101, 102] }, storage: "local" }));
    expect(outcomes(out)).toEqual({ 101: "ok", 102: "failed" });
    expect(out.results.find((r) => r.vmid === 102)).toMatchObject({ exitstatus: "job errors" });
  });

  test("tag and pool over a set; no-ops where nothing changes", async () => {
    const tagged = asSet(await t.skill({ mode: "operator" }).run("tag", { select: { tag: "prod" }, add: ["fleet"], remove: ["web"] }));
    expect(outcomes(tagged)).toEqual({ 100: "ok", 101: "ok", 200: "ok" });
    expect(t.sim.state.guests.get(100)!.config.tags).toBe("fleet;prod");
    const pooled = asSet(await t.skill({ mode: "operator" }).run("pool", { select: { vmids: ["100-102"] }, pool: "production" }));
    expect(outcomes(pooled)).toEqual({ 100: "noop", 101: "noop", 102: "ok" });
    expect(t.sim.state.guests.get(102)!.pool).toBe("production");
    const out = asSet(await t.skill({ mode: "operator" }).run("pool", { select: { pool: "production" }, remove: true }));
    expect(outcomes(out)).toEqual({ 100: "ok", 101: "ok", 102: "ok", 200: "ok" });
    expect([...t.sim.state.guests.values()].filter((g) => g.pool).length).toBe(0);
  });

  test("migrate a set: guests already there are no-ops, running containers without --restart are skipped", async () => {
    const admin = t.skill({ mode: "admin" });
    const input = { select: { vmids: [101, 102, 103, 200] }, target: "pve2" };
    const c = asConfirm(await admin.run("migrate", input));
    expect(c.plan.guests.map((g) => [g.vmid, g.noop ? "noop" : g.skip ? "skip" : g.action])).toEqual([
      [101, "migrate pve1 → pve2 (online)"],
      [102, "noop"],
      [103, "migrate pve3 → pve2"],
      [200, "skip"],
    ]);
    const out = asSet(await admin.run("migrate", input, { confirm: c.confirmToken }));
    expect(outcomes(out)).toEqual({ 101: "ok", 102: "noop", 103: "ok", 200: "skipped" });
    expect([101, 103].map((id) => t.sim.state.guests.get(id)!.node)).toEqual(["pve2", "pve2"]);
  });
});
