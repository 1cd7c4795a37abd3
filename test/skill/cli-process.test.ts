import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, expect, test } from "vitest";
import { PveClient } from "../../src/runtime/client";
import { startSimSkill, type SimSkill } from "./helpers/sim-skill";

// The real binary as a subprocess: exit codes and streams as a shell or an agent sees them.
let t: SimSkill;
beforeAll(async () => {
  t = await startSimSkill();
});
afterAll(async () => t.close());

/** The CLI from source (bin/pvekit.mjs would prefer a possibly stale dist/cli/pvekit.js). */
const CLI = ["--import", "tsx", "src/skill/cli.ts"];

/** Runs the CLI without blocking this process (the simulator answers from here). */
function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...CLI, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

test("pvekit as a subprocess: exit code 3 and one JSON object for a destructive command", async () => {
  const r = await run(["stop", "100", "--mode", "admin", "--json"], t.env());
  expect(r.status).toBe(3);
  const body = JSON.parse(r.stdout) as { status: string; confirmToken: string; plan: { target: string } };
  expect(body.status).toBe("confirmation-required");
  expect(body.plan.target).toBe("qemu/100 (web01) on pve1");
  const ok = await run(["stop", "100", "--mode", "admin", "--json", "--confirm", body.confirmToken], t.env());
  expect(ok.status).toBe(0);
  expect(JSON.parse(ok.stdout)).toMatchObject({ status: "done", changes: ["status: running → stopped"] });
});

test("pvekit sim --json serves a simulator until interrupted", async () => {
  const child = spawn(process.execPath, [...CLI, "sim", "--json", "--clock", "instant"], {
    env: { PATH: process.env.PATH },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const first = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once("line", resolve));
  const info = JSON.parse(first) as {
    url: string;
    fingerprint: string;
    tokenId: string;
    secret: string;
    username: string;
    password: string;
    coverage: { modelled: string[]; unmodelled: string[] };
  };
  expect(Object.keys(info).sort()).toEqual(["coverage", "fingerprint", "password", "secret", "tokenId", "url", "username"]);
  expect(info.coverage.modelled).toContain("GET /cluster/resources");
  const pve = new PveClient({
    baseUrl: info.url,
    auth: { tokenId: info.tokenId, secret: info.secret },
    tls: { fingerprint: info.fingerprint },
  });
  expect(await pve.request("GET", "/version")).toMatchObject({ version: expect.any(String) });
  await pve.close();
  child.kill("SIGINT");
  expect(await exited).toBe(0);
});

/** Runs bin/pvekit.mjs (the built CLI, or the source through tsx when there is no build). */
function runBin(args: string[]): Promise<{ status: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["bin/pvekit.mjs", ...args], { env: { PATH: process.env.PATH }, stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.on("close", (status) => resolve({ status, stdout }));
  });
}

test("bin/pvekit.mjs runs the CLI (built dist/cli/pvekit.js, or the source through tsx)", async () => {
  const r = await runBin(["guests", "--help"]);
  expect(r.status).toBe(0);
  expect(r.stdout).toContain("Usage: pvekit guests [options]");
});

test("bin/pvekit.mjs --version answers without loading the CLI, as the CLI's own --version does", async () => {
  const fast = await runBin(["--version"]);
  const viaCli = await runBin(["--version", "--json"]); // two words: the launcher hands them to commander
  expect(fast.status).toBe(0);
  expect(viaCli.status).toBe(0);
  expect(fast.stdout).toBe(`${(JSON.parse(readFileSync("package.json", "utf8")) as { version: string }).version}\n`);
  expect(viaCli.stdout).toBe(fast.stdout);
  expect((await runBin(["-V"])).stdout).toBe(fast.stdout);
});
