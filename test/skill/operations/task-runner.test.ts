import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { PveClient } from "../../../src/runtime/client";
import { TaskTimeoutError } from "../../../src/runtime/errors";
import { skillClientFor } from "../../../src/skill/connect";
import { TaskDeadlineError } from "../../../src/skill/operations/task-runner";
import { PveSkill } from "../../../src/skill/pve-skill";
import { DEFAULT_TASK_TIMEOUT_MS, resolveSkillSettings } from "../../../src/skill/settings";
import { createSimulator, type SimServer } from "../../../src/testing";
import { runCli } from "../helpers/run-cli";

describe("the task deadline", () => {
  // manual clock: the client's waiting advances the simulator's virtual time, so the 2 s start task
  // outlives a 1 s deadline without any real waiting
  const sim = createSimulator({ clock: { mode: "manual" } });
  let server: SimServer;
  let pve: PveClient;
  let dir: string;
  beforeAll(async () => {
    server = await sim.listen({ port: 0 });
    pve = new PveClient({
      baseUrl: server.url,
      tls: { fingerprint: server.fingerprint },
      auth: { tokenId: sim.credentials.token.tokenId, secret: sim.credentials.token.secret },
      clock: sim.clientClock,
    });
    dir = mkdtempSync(join(tmpdir(), "pvekit-deadline-"));
  });
  afterAll(async () => {
    await pve.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("says the task keeps running, how to follow it and how to wait longer", async () => {
    const settings = resolveSkillSettings({ mode: "operator", stateDir: dir, auditLog: false, taskTimeoutMs: 1000 }, {});
    const skill = new PveSkill({ client: skillClientFor(pve), settings });
    const err = await skill.run("start", { vmid: 102 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TaskDeadlineError);
    expect(err).toBeInstanceOf(TaskTimeoutError);
    expect((err as TaskDeadlineError).code).toBe("PVE_ERR_TASK_TIMEOUT");
    expect((err as Error).message).toMatch(
      /^Task UPID:pve2:\S+ did not finish within 1 s; it keeps running on the node \(follow it with: pvekit task UPID:pve2:\S+ --wait\)\. To wait longer, pass --timeout-task <seconds> or set PVEKIT_TASK_TIMEOUT \(task_timeout in the config file\)\.$/,
    );
  });

  test("the default is seed 001's 300 s; PVEKIT_TASK_TIMEOUT and the flag override it", () => {
    expect(DEFAULT_TASK_TIMEOUT_MS).toBe(300_000);
    expect(resolveSkillSettings({ stateDir: dir }, {}).taskTimeoutMs).toBe(300_000);
    expect(resolveSkillSettings({ stateDir: dir }, { PVEKIT_TASK_TIMEOUT: "900" }).taskTimeoutMs).toBe(900_000);
    expect(resolveSkillSettings({ stateDir: dir, taskTimeoutMs: 5000 }, { PVEKIT_TASK_TIMEOUT: "900" }).taskTimeoutMs).toBe(5000);
  });
});

describe("--timeout-task on every waiting command", () => {
  test("mutations and task --wait have it; read-only lists do not", async () => {
    for (const cmd of ["start", "snapshot", "backup", "migrate", "task", "api"]) {
      const r = await runCli([cmd, "--help"], {});
      expect(r.stdout, cmd).toMatch(/--timeout-task <seconds>\s+how long to wait for the task \(default 300\); env\s+PVEKIT_TASK_TIMEOUT/);
    }
    expect((await runCli(["guests", "--help"], {})).stdout).not.toContain("--timeout-task");
  });

  test("a bad value is a usage error (exit 2)", async () => {
    const r = await runCli(["start", "100", "--timeout-task", "soon", "--json"], { PROXMOX_HOST: "127.0.0.1:1" });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error.message).toBe('--timeout-task must be a positive number of seconds, got "soon".');
  });
});
