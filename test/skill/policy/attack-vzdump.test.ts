import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { PolicyRefusedError } from "../../../src/skill/errors";
import type { ConfirmationOutcome } from "../../../src/skill/skill-outcome";
import { startSimSkill, type SimSkill } from "../helpers/sim-skill";

// Finding 3: `api post /nodes/pve1/vzdump all=1 mode=stop` passed PROXMOX_ALLOWED_VMIDS=102; `remove=1` with
// `prune-backups` (deletes older backups) counted as reversible.
let t: SimSkill;
beforeAll(async () => {
  t = await startSimSkill();
});
afterAll(async () => t.close());
beforeEach(() => {
  t.sim.reset();
  t.writes.length = 0;
});

test("all=1 backs up (and stops) every guest on the node: refused outside the VMID allow-list", async () => {
  const err = await t
    .skill({ mode: "admin", allowedVmids: "102" })
    .run("api", { method: "post", path: "/nodes/pve1/vzdump", params: { all: "1", mode: "stop" } })
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(PolicyRefusedError);
  expect((err as PolicyRefusedError).rule).toBe("allow-list");
  expect((err as Error).message).toMatch(/VMID 100 is not in the allowed VMIDs/);
  expect(t.writes).toEqual([]);
});

test.each([
  ["pool=production", { pool: "production" }],
  ["a list of VMIDs", { vmid: "100,101" }],
  ["all=1 with exclude", { all: "1", exclude: "101" }],
])("vzdump of many guests (%s) is destructive", async (_what, params) => {
  await expect(t.skill({ mode: "operator" }).run("api", { method: "post", path: "/nodes/pve1/vzdump", params })).rejects.toThrow(
    /needs mode admin/,
  );
  expect(t.writes).toEqual([]);
});

test("remove=1 with prune-backups deletes older backups: destructive", async () => {
  const attack = { method: "post", path: "/nodes/pve1/vzdump", params: { vmid: "100", remove: "1", "prune-backups": "keep-last=1" } };
  await expect(t.skill({ mode: "operator" }).run("api", attack)).rejects.toThrow(/needs mode admin/);
  const out = (await t.skill({ mode: "admin" }).run("api", attack)) as ConfirmationOutcome;
  expect(out.status).toBe("confirmation-required");
  expect(out.plan.summary).toMatch(/prune-backups/);
  expect(t.writes).toEqual([]);
});

test("a backup of one guest stays reversible", async () => {
  const out = await t.skill({ mode: "operator" }).run("api", { method: "post", path: "/nodes/pve1/vzdump", params: { vmid: "100", storage: "local" } });
  expect(out.status).toBe("done");
});
