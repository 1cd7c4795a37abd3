import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { skillClientFor } from "../../../src/skill/connect";
import { ConfirmTokens } from "../../../src/skill/policy/confirm-tokens";
import type { AuditEntry } from "../../../src/skill/policy/audit-log";
import { MemoryUsedTokenStore } from "../../../src/skill/policy/used-token-store";
import { PveSkill } from "../../../src/skill/pve-skill";
import { resolveSkillSettings } from "../../../src/skill/settings";
import { runCli } from "../helpers/run-cli";
import { startSimSkill, type SimSkill } from "../helpers/sim-skill";

// Finding 6: with an unwritable audit log (--audit-log /dev/full) the mutation ran, then the command failed
// with nothing logged. The audit intent line is written before the request; when it cannot be, nothing is sent.
let t: SimSkill;
beforeAll(async () => {
  t = await startSimSkill();
});
afterAll(async () => t.close());
beforeEach(() => t.sim.reset());

test("--audit-log /dev/full: the guest is not started, and the error says nothing was sent", async () => {
  const r = await runCli(["start", "102", "--mode", "operator", "--audit-log", "/dev/full", "--json"], t.env());
  expect(r.code).not.toBe(0);
  expect(t.sim.state.guests.get(102)!.status).toBe("stopped");
  expect(JSON.parse(r.stdout).error.message).toMatch(/Nothing was sent: the audit log \/dev\/full cannot be written/);
});

test("a confirmed destructive change is not sent either", async () => {
  const env = t.env({ PVEKIT_AUDIT_LOG: "/dev/full" });
  const plan = await runCli(["stop", "100", "--mode", "admin", "--json"], t.env());
  const token = (JSON.parse(plan.stdout) as { confirmToken: string }).confirmToken;
  const r = await runCli(["stop", "100", "--mode", "admin", "--json", "--confirm", token], env);
  expect(r.code).not.toBe(0);
  expect(t.sim.state.guests.get(100)!.status).toBe("running");
});

test("the intent line is written before the request is sent, the outcome after", async () => {
  const order: string[] = [];
  const base = skillClientFor(t.pve);
  const skill = new PveSkill({
    client: { ...base, request: (verb, path, params) => (verb !== "GET" && order.push(`send ${verb}`), base.request(verb, path, params)) },
    settings: resolveSkillSettings({ mode: "operator", stateDir: t.stateDir, auditLog: false }, {}),
    audit: { append: (e: AuditEntry) => void order.push(`audit ${e.outcome}`) },
    tokens: new ConfirmTokens({ key: Buffer.alloc(32, 1), store: new MemoryUsedTokenStore() }),
  });
  await skill.run("start", { vmid: 102 });
  expect(order).toEqual(["audit intent", "send POST", "audit ok"]);
});
