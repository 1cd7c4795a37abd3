import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { ConfirmationOutcome } from "../../../src/skill/skill-outcome";
import { confirmed, done } from "../helpers/outcomes";
import { startSimSkill, type SimSkill } from "../helpers/sim-skill";

let t: SimSkill;
beforeAll(async () => {
  t = await startSimSkill();
});
afterAll(async () => t.close());
beforeEach(() => t.sim.reset());

const snaps = (vmid: number) => t.sim.state.guests.get(vmid)!.snapshots.map((s) => s.name);

describe("snapshot", () => {
  test("disk-only by default, named by the convention with the change id", async () => {
    const skill = t.skill({ mode: "operator", snapshotName: "aiagent-snap-{change}" });
    const out = done(await skill.run("snapshot", { vmid: 101, change: "1234" }));
    expect(out.result.changes).toEqual(["snapshot aiagent-snap-1234: created (disk-only)"]);
    const snap = t.sim.state.guests.get(101)!.snapshots.find((s) => s.name === "aiagent-snap-1234")!;
    expect(snap.vmstate).toBe(false);
    expect(out.result.warnings).toEqual([]);
  });

  test("a timestamp name when no change id is given", async () => {
    const fixed = new Date("2025-06-07T08:09:10Z");
    const out = done(await t.skill({ mode: "operator" }, { now: () => fixed }).run("snapshot", { vmid: 200 }));
    expect(out.result.data).toMatchObject({ snapname: "pvekit-20250607-080910" });
    expect(snaps(200)).toContain("pvekit-20250607-080910");
  });

  test("vmstate only on request, with the I/O warning; not for containers", async () => {
    const out = done(await t.skill({ mode: "operator" }).run("snapshot", { vmid: 100, name: "with-ram", vmstate: true }));
    expect(out.result.warnings?.join(" ")).toMatch(/heavy I\/O can starve other guests/);
    expect(t.sim.state.guests.get(100)!.snapshots.find((s) => s.name === "with-ram")!.vmstate).toBe(true);
    await expect(t.skill({ mode: "operator" }).run("snapshot", { vmid: 200, name: "x1", vmstate: true })).rejects.toThrow(
      /only available for VMs/,
    );
  });

  test("an existing name is refused before anything is sent", async () => {
    await expect(t.skill({ mode: "operator" }).run("snapshot", { vmid: 100, name: "pre-upgrade" })).rejects.toThrow(
      /already has a snapshot named "pre-upgrade"/,
    );
  });
});

describe("rollback and delsnapshot", () => {
  test("rollback is confirmed, then reported", async () => {
    const skill = t.skill({ mode: "admin" });
    const first = (await skill.run("rollback", { vmid: 100, name: "pre-upgrade" })) as ConfirmationOutcome;
    expect(first.plan.warnings.join(" ")).toMatch(/since snapshot "pre-upgrade".*are lost/);
    const out = done(await skill.run("rollback", { vmid: 100, name: "pre-upgrade" }, { confirm: first.confirmToken }));
    expect(out.result.changes[0]).toBe("rolled back to snapshot pre-upgrade");
  });

  test("an unknown snapshot is named with the ones that exist", async () => {
    await expect(t.skill({ mode: "admin" }).run("rollback", { vmid: 100, name: "nope" })).rejects.toThrow(
      /no snapshot named "nope" \(snapshots: pre-upgrade/,
    );
  });

  test("delsnapshot removes it", async () => {
    const out = await confirmed(t.skill({ mode: "admin" }), "delsnapshot", { vmid: 100, name: "pre-upgrade" });
    expect(out.result.changes).toEqual(["snapshot pre-upgrade: deleted"]);
    expect(snaps(100)).not.toContain("pre-upgrade");
  });
});
