import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { resolveSkillSettings } from "../../../src/skill/settings";
import { runCli } from "../helpers/run-cli";
import { startSimSkill, type SimSkill } from "../helpers/sim-skill";

// Red-team round on #11: the audit log is where a person finds what an agent did, but the agent chooses the
// command line. `--audit-log /dev/null`, or `--config` naming a file of its own with `audit_log:` or
// `state_dir:`, sent every line of a mutation elsewhere: the log the operator configured ($PVEKIT_AUDIT_LOG,
// $PVEKIT_CONFIG, the state directory) missed it. A flag may add a log, never take the configured one away.
let t: SimSkill;
let dir: string;
beforeAll(async () => {
  t = await startSimSkill();
});
afterAll(async () => t.close());
beforeEach(() => {
  t.sim.reset();
  dir = mkdtempSync(join(tmpdir(), "pvekit-audit-redirect-"));
  return () => rmSync(dir, { recursive: true, force: true });
});

const lines = (file: string) => (existsSync(file) ? readFileSync(file, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as { outcome: string; operation: string }) : []);

test("--audit-log /dev/null: the log in $PVEKIT_AUDIT_LOG still gets intent and outcome", async () => {
  const mine = join(dir, "operator-audit.log");
  const r = await runCli(["start", "102", "--mode", "operator", "--audit-log", "/dev/null", "--json"], t.env({ PVEKIT_AUDIT_LOG: mine }));
  expect(r.code, r.stdout).toBe(0);
  expect(lines(mine).map((l) => l.outcome)).toEqual(["intent", "ok"]);
});

test("--audit-log elsewhere: the state directory's log (nothing configured) still gets them", async () => {
  const r = await runCli(["start", "102", "--mode", "operator", "--audit-log", join(dir, "elsewhere.log"), "--json"], t.env());
  expect(r.code, r.stdout).toBe(0);
  expect(lines(join(t.stateDir, "audit.log")).slice(-2).map((l) => l.outcome)).toEqual(["intent", "ok"]);
  expect(lines(join(dir, "elsewhere.log")).map((l) => l.outcome)).toEqual(["intent", "ok"]);
});

test("--config with audit_log and state_dir of the agent's choosing: $PVEKIT_CONFIG's audit_log still gets them", async () => {
  const operatorLog = join(dir, "ops.log");
  writeFileSync(join(dir, "operator.yaml"), `audit_log: ${operatorLog}\n`);
  writeFileSync(join(dir, "agent.yaml"), `audit_log: /dev/null\nstate_dir: ${join(dir, "agent-state")}\n`);
  const env = t.env({ PVEKIT_CONFIG: join(dir, "operator.yaml"), PVEKIT_STATE_DIR: "" });
  const r = await runCli(["start", "102", "--mode", "operator", "--config", join(dir, "agent.yaml"), "--json"], env);
  expect(r.code, r.stdout).toBe(0);
  expect(lines(operatorLog).map((l) => l.outcome)).toEqual(["intent", "ok"]);
});

test("a configured log that cannot be written still stops the request, whatever the flag says", async () => {
  const r = await runCli(["start", "102", "--mode", "operator", "--audit-log", join(dir, "fine.log"), "--json"], t.env({ PVEKIT_AUDIT_LOG: "/dev/full" }));
  expect(r.code).not.toBe(0);
  expect(t.sim.state.guests.get(102)!.status).toBe("stopped");
});

test("settings: the chosen log first, the configured one kept beside it", () => {
  const s = resolveSkillSettings({ auditLog: "/tmp/x.log", stateDir: dir }, { PVEKIT_AUDIT_LOG: join(dir, "a.log") });
  expect(s.auditLog).toBe("/tmp/x.log");
  expect(s.auditLogCopies).toEqual([join(dir, "a.log")]);
  expect(resolveSkillSettings({ stateDir: dir }, { PVEKIT_AUDIT_LOG: join(dir, "a.log") }).auditLogCopies).toEqual([]);
  expect(resolveSkillSettings({ auditLog: false, stateDir: dir }, {}).auditLogCopies).toEqual([]);
});
