import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { resolveSkillSettings } from "../../../src/skill/settings";
import type { ConfirmationOutcome } from "../../../src/skill/skill-outcome";
import { done } from "../helpers/outcomes";
import { startSimSkill, type SimSkill } from "../helpers/sim-skill";

// Seeds 002/003 call shutdown and reboot disruptive: PVEKIT_CONFIRM_OPERATIONS makes them need a confirm token
// (in operator mode: confirmation, not a higher mode), for the curated command and the same endpoint through api.
let t: SimSkill;
beforeAll(async () => {
  t = await startSimSkill();
});
afterAll(async () => t.close());
beforeEach(() => {
  t.sim.reset();
  t.writes.length = 0;
});

test("shutdown and reboot need a token when configured, in operator mode", async () => {
  const skill = t.skill({ mode: "operator", confirmOperations: "shutdown,reboot" });
  const first = (await skill.run("shutdown", { vmid: 100 })) as ConfirmationOutcome;
  expect(first.status).toBe("confirmation-required");
  expect(t.writes).toEqual([]);
  done(await skill.run("shutdown", { vmid: 100 }, { confirm: first.confirmToken }));
  expect(t.sim.state.guests.get(100)!.status).toBe("stopped");
  expect((await skill.run("start", { vmid: 102 })).status).toBe("done");
});

test("the same action through api needs the token too", async () => {
  const skill = t.skill({ mode: "operator", confirmOperations: "reboot" });
  const out = (await skill.run("api", { method: "post", path: "/nodes/pve1/lxc/200/status/reboot" })) as ConfirmationOutcome;
  expect(out.status).toBe("confirmation-required");
  expect(t.writes).toEqual([]);
});

test("from the environment and the YAML file (union); an unknown name is a configuration error", () => {
  expect(resolveSkillSettings({}, { PVEKIT_CONFIRM_OPERATIONS: "reboot, shutdown" }).confirmOperations).toEqual(["reboot", "shutdown"]);
  expect(() => resolveSkillSettings({}, { PVEKIT_CONFIRM_OPERATIONS: "shutdwon" })).toThrow(/"shutdwon", not a pvekit operation/);
});

// Red-team round on #11: a backup in stop mode shuts the guest down (PVE/VZDump/QemuServer.pm stop_vm: `qm
// shutdown`, then starts it again). With PVEKIT_CONFIRM_OPERATIONS=shutdown it ran without a token, through
// the curated `backup --backup-mode stop` and `api post …/vzdump mode=stop` alike.
test("a backup in stop mode is a shutdown: it needs the token shutdown needs", async () => {
  const skill = t.skill({ mode: "operator", confirmOperations: "shutdown" });
  const curated = (await skill.run("backup", { vmid: 100, backupMode: "stop" })) as ConfirmationOutcome;
  expect(curated.status).toBe("confirmation-required");
  const raw = (await skill.run("api", { method: "post", path: "/nodes/pve1/vzdump", params: { vmid: "100", mode: "stop" } })) as ConfirmationOutcome;
  expect(raw.status).toBe("confirmation-required");
  expect(raw.plan.warnings.join(" ")).toMatch(/mode=stop shuts the guest down/);
  expect(t.writes).toEqual([]);
  // a snapshot-mode backup is not
  expect((await skill.run("backup", { vmid: 100 })).status).toBe("done");
});
