import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import type { ConfirmationOutcome } from "../../../src/skill/skill-outcome";
import { runCli } from "../helpers/run-cli";
import { startSimSkill, type SimSkill } from "../helpers/sim-skill";

// Finding 8 (skill): the api plan printed cipassword= values (set and the audit log redact them); a secret in
// PROXMOX_TOKEN_ID was printed by the CLI's error.
let t: SimSkill;
beforeAll(async () => {
  t = await startSimSkill();
});
afterAll(async () => t.close());
beforeEach(() => t.sim.reset());

test("the api plan redacts secret parameters (cipassword, password)", async () => {
  const r = await runCli(["api", "put", "/nodes/pve2/qemu/102/config", "cipassword=ci-Secret-55", "memory=1024", "--mode", "admin", "--json"], t.env());
  expect(r.code).toBe(3);
  expect(r.stdout).not.toContain("ci-Secret-55");
  expect((JSON.parse(r.stdout) as ConfirmationOutcome).plan.steps[0]).toMatch(/cipassword=\*{10}/);
  const human = await runCli(["api", "put", "/nodes/pve2/qemu/102/config", "cipassword=ci-Secret-55", "memory=1024", "--mode", "admin"], t.env());
  expect(human.stdout + human.stderr).not.toContain("ci-Secret-55");
});

test("a secret in PROXMOX_TOKEN_ID (swapped with the secret) is not printed", async () => {
  const secret = t.sim.credentials.token.secret;
  const r = await runCli(["guests"], t.env({ PROXMOX_TOKEN_ID: secret, PROXMOX_TOKEN_SECRET: t.sim.credentials.token.tokenId }));
  expect(r.code).toBe(2);
  expect(r.stdout + r.stderr).not.toContain(secret);
  expect(r.stderr).toMatch(/token id/i);
});
