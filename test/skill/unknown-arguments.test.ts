import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { SkillUsageError } from "../../src/skill/errors";
import { startSimSkill, type SimSkill } from "./helpers/sim-skill";

// An argument the operation does not know is an error naming it, never silently dropped: a typo in
// `exclude` must not widen a set to every guest, a typo in a filter must not list everything.

let t: SimSkill;
beforeAll(async () => {
  t = await startSimSkill();
});
afterAll(async () => t.close());
beforeEach(() => {
  t.sim.reset();
  t.writes.length = 0;
});

describe("unknown arguments are refused before anything is planned or sent", () => {
  test("a misspelt exclude in a selector (select.exlude) does not select the guest it meant to leave out", async () => {
    const run = t.skill({ mode: "admin" }).run("stop", { select: { all: true, exlude: [100] } });
    await expect(run).rejects.toThrow(SkillUsageError);
    await expect(run).rejects.toThrow(/exlude/);
    expect(t.writes).toEqual([]);
  });

  test("an unknown option of a one-guest operation", async () => {
    await expect(t.skill({ mode: "admin" }).run("delete", { vmid: 102, purgee: true })).rejects.toThrow(/unknown option purgee/);
    expect(t.sim.state.guests.has(102)).toBe(true);
  });

  test("an unknown option of a set run", async () => {
    await expect(t.skill({ mode: "operator" }).run("snapshot", { select: { vmids: [100] }, nmae: "x" })).rejects.toThrow(/unknown option nmae/);
    expect(t.writes).toEqual([]);
  });

  test("a misspelt filter of a read is an error, not the unfiltered list", async () => {
    await expect(t.skill().run("guests", { tpye: "lxc" })).rejects.toThrow(/unknown option tpye/);
  });

  test("set-run options with one VMID make a set of one (dryRun plans it), not an unknown option", async () => {
    const out = await t.skill({ mode: "operator" }).run("start", { vmid: 102, dryRun: true });
    expect(out).toMatchObject({ kind: "set", status: "planned" });
    expect(t.writes).toEqual([]);
  });
});
