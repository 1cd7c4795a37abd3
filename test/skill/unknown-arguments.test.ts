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

  test("a key named __proto__ (parsed JSON, as a library caller or an agent sends it) is refused wherever it is, not dropped", async () => {
    const skill = t.skill({ mode: "admin" });
    const top = JSON.parse('{"vmid": 102, "__proto__": {"purge": true}}') as Record<string, unknown>;
    await expect(skill.run("delete", top)).rejects.toThrow(/__proto__/);
    const nested = JSON.parse('{"vmid": 102, "params": {"description": "x", "__proto__": {"delete": "scsi0"}}}') as Record<string, unknown>;
    await expect(skill.run("set", nested)).rejects.toThrow(/params\.__proto__/);
    const inSelect = JSON.parse('{"select": {"vmids": [102], "__proto__": {"all": true}}}') as Record<string, unknown>;
    await expect(skill.run("start", inSelect)).rejects.toThrow(/select\.__proto__/);
    expect(t.writes).toEqual([]);
    expect(t.sim.state.guests.has(102)).toBe(true);
  });
});
