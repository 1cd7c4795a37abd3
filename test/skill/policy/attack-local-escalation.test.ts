import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { createSimulator, type SimServer } from "../../../src/testing";
import { pveshDoubleEnv, readArgvLog } from "../../helpers/pvesh-double";
import { runCli } from "../helpers/run-cli";

// Red-team round on #11: SKILL.md makes a privilege-separated API token "the real boundary". On a PVE node
// (pvesh on PATH) with that token configured, an agent adding `--local` to its command line ran every request
// through pvesh as root@pam instead: same command, no token, full privileges. A flag must not trade the
// configured token for root; the operator can still choose local mode with PVEKIT_LOCAL=1 or by configuring no host.
let server: SimServer;
let dir: string;
let env: NodeJS.ProcessEnv;
beforeEach(async () => {
  const sim = createSimulator({ clock: { mode: "instant" } });
  server = await sim.listen({ port: 0 });
  dir = mkdtempSync(join(tmpdir(), "pvekit-local-escalation-"));
  const token = sim.credentials.token;
  env = {
    ...pveshDoubleEnv(server, token, { argvLog: join(dir, "argv.jsonl") }),
    HOME: dir,
    PVEKIT_STATE_DIR: dir,
    NO_COLOR: "1",
    // the operator's least-privilege token for this agent
    PROXMOX_HOST: server.url,
    PROXMOX_FINGERPRINT: server.fingerprint,
    PROXMOX_TOKEN_ID: "automation@pve!agent",
    PROXMOX_TOKEN_SECRET: "11111111-2222-3333-4444-555555555555",
  };
});
afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

test("--local while a host and token are configured: refused (exit 2), pvesh never runs", async () => {
  const r = await runCli(["--local", "--mode", "operator", "start", "102", "--json"], env);
  expect(r.code, r.stdout).toBe(2);
  expect(JSON.parse(r.stdout).error.message).toMatch(/configured/);
  expect(readArgvLog(join(dir, "argv.jsonl"))).toEqual([]);
});

test("PVEKIT_LOCAL=1 from the operator's environment still chooses local mode", async () => {
  const r = await runCli(["nodes", "--json"], { ...env, PVEKIT_LOCAL: "1" });
  expect(r.code, r.stdout).toBe(0);
  expect(readArgvLog(join(dir, "argv.jsonl")).length).toBeGreaterThan(0);
});
