import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { SetOutcome } from "../../../src/skill/fleet/set-outcome";
import type { ConfirmationOutcome, SkillOutcome } from "../../../src/skill/skill-outcome";
import type { SimRequest } from "../../../src/testing/simulator";
import { startSimSkill, type SimSkill } from "../helpers/sim-skill";

// --bulk: PVE's per-node startall / stopall / migrateall (the simulator models pve-manager's
// PVE/API2/Nodes.pm), one request per node, and each guest's result read back from its own task.

let t: SimSkill;
let posts: string[];
beforeAll(async () => {
  t = await startSimSkill({}, { virtualClock: true });
  const handle = t.sim.handle.bind(t.sim);
  t.sim.handle = (req: SimRequest) => {
    if (req.method === "POST") posts.push(req.path.replace("/api2/json", ""));
    return handle(req);
  };
});
afterAll(async () => t.close());
beforeEach(() => {
  t.sim.reset();
  t.audit.entries.length = 0;
  posts = [];
});

const asSet = (o: SkillOutcome) => o as SetOutcome;
const outcomes = (o: SetOutcome) => Object.fromEntries(o.results.map((r) => [r.vmid, r.outcome]));
const confirmed = async (name: string, input: Record<string, unknown>, mode = "operator") => {
  const skill = t.skill({ mode });
  const c = (await skill.run(name, input)) as ConfirmationOutcome;
  expect(c.status).toBe("confirmation-required");
  return asSet(await skill.run(name, input, { confirm: c.confirmToken }));
};

describe("--bulk", () => {
  test("shutdown: one stopall per node (force-stop off), a result per guest with its own task", async () => {
    const out = await confirmed("shutdown", { select: { all: true }, bulk: true });
    expect(posts.sort()).toEqual(["/nodes/pve1/stopall"]);
    expect(outcomes(out)).toEqual({ 100: "ok", 101: "ok", 102: "noop", 103: "noop", 200: "ok", 201: "noop" });
    const r100 = out.results.find((r) => r.vmid === 100)!;
    expect(r100).toMatchObject({ exitstatus: "OK", changes: ["status: running → stopped"] });
    expect(r100.upid).toMatch(/^UPID:pve1:.*:qmshutdown:100:/);
    expect(out.results.find((r) => r.vmid === 200)!.upid).toMatch(/:vzshutdown:200:/);
    expect([100, 101, 200].map((id) => t.sim.state.guests.get(id)!.status)).toEqual(["stopped", "stopped", "stopped"]);
  });

  test("start over several nodes: one startall each", async () => {
    const out = asSet(await t.skill({ mode: "operator" }).run("start", { select: { status: "stopped" }, bulk: true }));
    expect(posts.sort()).toEqual(["/nodes/pve2/startall", "/nodes/pve3/startall"]);
    expect(outcomes(out)).toEqual({ 102: "ok", 103: "ok", 201: "ok" });
    expect(out.results.find((r) => r.vmid === 201)!.upid).toMatch(/:vzstart:201:/);
  });

  test("a guest whose task fails is failed with its own log tail; the rest of the node is done", async () => {
    // a config lock fails the guest's own shutdown task (the bulk worker's calls do not pass the fault table)
    t.sim.state.guests.get(101)!.config.lock = "backup";
    const out = await confirmed("shutdown", { select: { node: "pve1" }, bulk: true });
    expect(outcomes(out)).toEqual({ 100: "ok", 101: "failed", 200: "ok" });
    const failed = out.results.find((r) => r.vmid === 101)!;
    expect(failed.upid).toMatch(/:qmshutdown:101:/);
    expect(failed.exitstatus).toBe("VM is locked (backup)");
    expect(failed.logTail?.at(-1)).toBe("TASK ERROR: VM is locked (backup)");
    expect(t.audit.entries.filter((e) => e.operation === "shutdown" && e.outcome === "failed").map((e) => e.target)).toEqual(["qemu/101 (db01) on pve1"]);
  });

  test("migrate: one migrateall per source node to the target", async () => {
    const out = await confirmed("migrate", { select: { vmids: [101, 102] }, target: "pve3", bulk: true }, "admin");
    expect(posts.sort()).toEqual(["/nodes/pve1/migrateall", "/nodes/pve2/migrateall"]);
    expect(outcomes(out)).toEqual({ 101: "ok", 102: "ok" });
    expect([101, 102].map((id) => t.sim.state.guests.get(id)!.node)).toEqual(["pve3", "pve3"]);
    expect(out.results[0]!.changes).toEqual(["node: pve1 → pve3"]);
  });

  test("the plan says how the set will run", async () => {
    const planned = (await t.skill({ mode: "operator" }).run("shutdown", { select: { all: true }, bulk: true, perNode: 2, dryRun: true })) as {
      plan: { steps: string[] };
    };
    expect(planned.plan.steps.at(-1)).toMatch(/^one stopall per node listing its guests \(PVE runs at most 2 per node at once\)/);
  });

  test("the confirm token is bound to how the set runs: a token for one-by-one does not run it as a bulk job, nor with other maxworkers", async () => {
    // attack: confirm a plan of per-guest migrations (each re-checked), then redeem the token with bulk: true
    const skill = t.skill({ mode: "admin" });
    const input = { select: { vmids: [101, 102] }, target: "pve3" };
    const c = (await skill.run("migrate", input)) as ConfirmationOutcome;
    const bulk = (await skill.run("migrate", { ...input, bulk: true }, { confirm: c.confirmToken })) as ConfirmationOutcome;
    expect(bulk.status).toBe("confirmation-required");
    expect(bulk.reason).toMatch(/issued for a different/);
    expect(posts).toEqual([]);
    // a bulk plan confirmed with PVE running 1 guest at a time per node does not run with 8
    const one = (await skill.run("migrate", { ...input, bulk: true, perNode: 1 })) as ConfirmationOutcome;
    const eight = (await skill.run("migrate", { ...input, bulk: true, perNode: 8 }, { confirm: one.confirmToken })) as ConfirmationOutcome;
    expect(eight.status).toBe("confirmation-required");
    expect(posts).toEqual([]);
    expect([101, 102].map((id) => t.sim.state.guests.get(id)!.node)).toEqual(["pve1", "pve2"]);
  });
});
