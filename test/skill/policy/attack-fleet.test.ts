import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { PolicyRefusedError } from "../../../src/skill/errors";
import type { ConfirmationOutcome } from "../../../src/skill/skill-outcome";
import { runCli } from "../helpers/run-cli";
import { startSimSkill, type SimSkill } from "../helpers/sim-skill";

// Red-team round on #11 against #12's sets of guests: a set runs its own policy path (one plan, one token
// for the set), and it did not apply everything a single guest's run does. A set's backup wrote to a
// storage outside PROXMOX_ALLOWED_STORAGES; PVEKIT_CONFIRM_OPERATIONS=shutdown asked nothing for a set
// of one guest (`shutdown 100-100`, `--tag web`) nor for a set's backup in stop mode.
let t: SimSkill;
beforeAll(async () => {
  t = await startSimSkill();
});
afterAll(async () => t.close());
beforeEach(() => {
  t.sim.reset();
  t.writes.length = 0;
});

describe("allow-lists", () => {
  test("a set's backup to a storage outside the allowed storages", async () => {
    const err = await t
      .skill({ mode: "operator", allowedStorages: "local" })
      .run("backup", { select: { vmids: [100, 101] }, storage: "local-lvm" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolicyRefusedError);
    expect((err as Error).message).toMatch(/Storage "local-lvm"/);
    expect(t.writes).toEqual([]);
  });
  test("without --storage, each node's default backup storage is checked, and is the one used", async () => {
    const err = await t
      .skill({ mode: "operator", allowedStorages: "local-lvm" })
      .run("backup", { select: { vmids: [100, 102] } })
      .catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/Storage "local"/);
    expect(t.writes).toEqual([]);
    const out = await t.skill({ mode: "operator", allowedStorages: "local" }).run("backup", { select: { vmids: [100, 102] } });
    expect(out.status).toBe("done");
    expect(t.writes.every((w) => w === "POST /nodes/{node}/vzdump")).toBe(true);
  });
});

describe("PVEKIT_CONFIRM_OPERATIONS", () => {
  test("a set of one guest: shutdown 100-100 asks for the token a single shutdown asks for", async () => {
    const skill = t.skill({ mode: "operator", confirmOperations: "shutdown" });
    const out = (await skill.run("shutdown", { select: { vmids: ["100-100"] } })) as ConfirmationOutcome;
    expect(out.status).toBe("confirmation-required");
    expect(t.writes).toEqual([]);
    expect(t.sim.state.guests.get(100)!.status).toBe("running");
    const done = await skill.run("shutdown", { select: { vmids: ["100-100"] } }, { confirm: out.confirmToken });
    expect(t.sim.state.guests.get(100)!.status).toBe("stopped");
    expect(done.status).toBe("done");
  });
  test("the CLI with a selector that picks one running guest", async () => {
    const r = await runCli(["shutdown", "--tag", "web", "--json"], t.env({ PVEKIT_MODE: "operator", PVEKIT_CONFIRM_OPERATIONS: "shutdown" }));
    expect(r.code, r.stdout).toBe(3);
    expect(t.sim.state.guests.get(100)!.status).toBe("running");
  });
  test("a set's backup in stop mode is a shutdown of each guest", async () => {
    const out = (await t
      .skill({ mode: "operator", confirmOperations: "shutdown" })
      .run("backup", { select: { vmids: [100, 101] }, backupMode: "stop" })) as ConfirmationOutcome;
    expect(out.status).toBe("confirmation-required");
    expect(t.writes).toEqual([]);
  });
});

// watch polls /cluster/tasks and /cluster/resources once per interval: `--interval 0.001` made it two
// thousand API reads a second against the cluster, from one command line.
test("watch --interval below one second is a usage error, nothing is read", async () => {
  const r = await runCli(["watch", "--interval", "0.001", "--count", "1", "--json"], t.env());
  expect(r.code).toBe(2);
  expect(JSON.parse(r.stdout).error.message).toMatch(/--interval must be at least 1 second/);
});
