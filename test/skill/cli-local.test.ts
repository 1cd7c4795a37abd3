import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { createSimulator, type SimServer, type Simulator } from "../../src/testing";
import { pveshDoubleEnv, readArgvLog } from "../helpers/pvesh-double";
import { runCli, type CliRun } from "./helpers/run-cli";

/**
 * The same CLI scenarios over HTTPS and in local mode (pvesh, here the test double that forwards to a
 * simulator): the answers must not differ beyond task ids and times.
 */
const SCENARIOS: { name: string; argv: string[]; code: number }[] = [
  { name: "nodes", argv: ["nodes", "--json"], code: 0 },
  { name: "guests", argv: ["guests", "--json"], code: 0 },
  { name: "start with task wait", argv: ["start", "102", "--mode", "operator", "--json"], code: 0 },
  { name: "guest after start", argv: ["guest", "102", "--json"], code: 0 },
  { name: "snapshot", argv: ["snapshot", "101", "pre-change", "--mode", "operator", "--json"], code: 0 },
  { name: "snapshots", argv: ["snapshots", "101", "--json"], code: 0 },
  { name: "validation error (skill input)", argv: ["snapshot", "101", "1-bad", "--mode", "operator", "--json"], code: 2 },
  { name: "validation error (schema)", argv: ["api", "get", "/nodes/pve1/qemu", "full=maybe", "--json"], code: 2 },
  { name: "a missing guest", argv: ["guest", "999", "--json"], code: 1 },
  { name: "a failed task", argv: ["api", "post", "/nodes/pve1/qemu/100/status/start", "--mode", "operator", "--json"], code: 1 },
  { name: "policy refusal", argv: ["shutdown", "102", "--json"], code: 4 },
];

interface Setup {
  sim: Simulator;
  server: SimServer;
  dir: string;
  env: NodeJS.ProcessEnv;
}

async function setup(kind: "https" | "local"): Promise<Setup> {
  const sim = createSimulator({ clock: { mode: "instant" } });
  const server = await sim.listen({ port: 0 });
  const dir = mkdtempSync(join(tmpdir(), `pvekit-cli-${kind}-`));
  const common = { HOME: dir, PVEKIT_STATE_DIR: dir, PVEKIT_AUDIT_LOG: join(dir, "audit.log"), NO_COLOR: "1" };
  const token = sim.credentials.token;
  const env =
    kind === "https"
      ? {
          PATH: process.env.PATH,
          PROXMOX_HOST: server.url,
          PROXMOX_FINGERPRINT: server.fingerprint,
          PROXMOX_TOKEN_ID: token.tokenId,
          PROXMOX_TOKEN_SECRET: token.secret,
          ...common,
        }
      : pveshDoubleEnv(server, token, { argvLog: join(dir, "argv.jsonl"), ...common });
  return { sim, server, dir, env };
}

/** Replaces what legitimately differs between two runs: task ids, times, the caller's identity. */
function normalise(text: string): string {
  return text
    .replace(/UPID:[^"\s]+/g, "UPID")
    .replace(/"(snaptime|starttime|endtime|uptime|expiresAt|time)": ?\d+/g, '"$1":0')
    .replace(/root@pam!pvekit|root@pam/g, "USER");
}

async function runAll(kind: "https" | "local"): Promise<{ runs: CliRun[]; s: Setup }> {
  const s = await setup(kind);
  const runs: CliRun[] = [];
  for (const sc of SCENARIOS) runs.push(await runCli(sc.argv, s.env));
  return { runs, s };
}

describe("CLI scenarios: HTTPS and local mode (pvesh) answer the same", () => {
  let https: { runs: CliRun[]; s: Setup };
  let local: { runs: CliRun[]; s: Setup };
  beforeAll(async () => {
    https = await runAll("https");
    local = await runAll("local");
  });
  afterAll(async () => {
    for (const { s } of [https, local]) {
      await s.server.close();
      rmSync(s.dir, { recursive: true, force: true });
    }
  });

  test("every scenario: same exit code and same JSON answer", () => {
    SCENARIOS.forEach((sc, i) => {
      const h = https.runs[i]!;
      const l = local.runs[i]!;
      expect(h.code, `${sc.name} over HTTPS: ${h.stdout}${h.stderr}`).toBe(sc.code);
      expect(l.code, `${sc.name} in local mode: ${l.stdout}${l.stderr}`).toBe(sc.code);
      expect(normalise(l.stdout), sc.name).toBe(normalise(h.stdout));
      expect(() => JSON.parse(l.stdout), `${sc.name}: --json output is JSON`).not.toThrow();
    });
  });

  test("local mode really ran pvesh, and said once why", () => {
    const calls = readArgvLog(join(local.s.dir, "argv.jsonl"));
    expect(calls).toContainEqual(["create", "/nodes/pve2/qemu/102/status/start", "--output-format", "json"]);
    expect(calls).toContainEqual(["create", "/nodes/pve1/qemu/101/snapshot", "--snapname", "pre-change", "--output-format", "json"]);
    expect(calls.some((a) => a[0] === "get" && /^\/nodes\/pve2\/tasks\/UPID:pve2:.*\/status$/.test(a[1]!))).toBe(true);
    const started = local.runs[2]!;
    // (the other stderr lines are the task's progress, plain lines in a pipe since #12)
    expect(started.stderr.trim().split("\n").filter((l) => l.startsWith("pvekit:"))).toEqual([
      expect.stringMatching(/^pvekit: no Proxmox host configured; using this node's pvesh \(.*pvesh\) as root@pam \(local mode\)/),
    ]);
    // the schema validation error stopped before pvesh ran
    expect(calls.some((a) => a.includes("--full"))).toBe(false);
  });

  test("the audit log records the same outcomes, as root@pam in local mode", () => {
    const read = (s: Setup) =>
      readFileSync(join(s.dir, "audit.log"), "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { operation: string; outcome: string; user: string });
    const h = read(https.s);
    const l = read(local.s);
    expect(l.map((e) => [e.operation, e.outcome])).toEqual(h.map((e) => [e.operation, e.outcome]));
    expect(new Set(l.map((e) => e.user))).toEqual(new Set(["root@pam"]));
  });
});

describe("choosing local mode", () => {
  let s: Setup;
  beforeEach(async () => {
    s = await setup("local");
  });
  afterEach(async () => {
    await s.server.close();
    rmSync(s.dir, { recursive: true, force: true });
  });

  test("--local asks for it without the notice; doctor reports it", async () => {
    const r = await runCli(["doctor", "--local", "--json"], s.env);
    expect(r.stderr).toBe("");
    const checks = JSON.parse(r.stdout) as { check: string; status: string; detail: string }[];
    expect(checks.find((c) => c.check === "endpoint")?.detail).toMatch(/^local mode: this node through .*pvesh \(--local\)$/);
    expect(checks.find((c) => c.check === "auth")?.detail).toBe("pvesh runs as root@pam (no token)");
    expect(checks.some((c) => c.check === "tls")).toBe(false);
  });

  test("doctor says when local mode was chosen because no host is configured", async () => {
    const r = await runCli(["doctor", "--json"], s.env);
    const checks = JSON.parse(r.stdout) as { check: string; detail: string }[];
    expect(checks.find((c) => c.check === "endpoint")?.detail).toMatch(/chosen because no Proxmox host is configured/);
  });

  test("doctor --quiet stays one line in local mode (no notice)", async () => {
    const r = await runCli(["doctor", "--quiet"], s.env);
    expect(r).toEqual({ code: 0, stdout: "auth ok (destructive)\n", stderr: "" });
  });

  test("a configured host wins over pvesh on PATH", async () => {
    const r = await runCli(["nodes", "--json"], { ...s.env, PROXMOX_HOST: "https://127.0.0.1:1", PROXMOX_TOKEN_ID: "a@pve!b", PROXMOX_TOKEN_SECRET: "x" });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/PveConnectionError/);
    expect(readArgvLog(join(s.dir, "argv.jsonl"))).toEqual([]);
  });

  test("--local with --host is a usage error; --local without pvesh says where it works", async () => {
    const both = await runCli(["nodes", "--local", "--host", "pve1", "--json"], s.env);
    expect(both.code).toBe(2);
    expect(JSON.parse(both.stdout).error.message).toMatch(/--local .* takes no --host/);
    const none = await runCli(["nodes", "--local", "--json"], { ...s.env, PATH: s.dir });
    expect(none.code).toBe(2);
    expect(JSON.parse(none.stdout).error.message).toMatch(/--local needs pvesh on PATH/);
  });

  test("without host and without pvesh the HTTPS configuration error stays", async () => {
    const r = await runCli(["nodes", "--json"], { ...s.env, PATH: s.dir });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error.message).toMatch(/^No Proxmox host configured/);
  });
});
