import { spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { stateDirConfirmKey } from "../../../src/skill/policy/confirm-key";
import { ConfirmTokens } from "../../../src/skill/policy/confirm-tokens";
import { FileUsedTokenStore } from "../../../src/skill/policy/used-token-store";
import { runCli } from "../helpers/run-cli";
import { startSimSkill, type SimSkill } from "../helpers/sim-skill";

// Finding 10 (skill): two processes could both accept one single-use confirm token; the state directory and
// confirm.key permissions were never checked; the MCP server dropped in-flight calls when stdin closed.
const dir = mkdtempSync(join(tmpdir(), "pvekit-robust-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const TSX = ["--import", "tsx"];

describe("a confirm token is single-use across processes", () => {
  test("8 processes redeem the same 300 tokens at once: each token is accepted exactly once", async () => {
    const state = join(dir, "race");
    mkdirSync(state);
    const issuer = new ConfirmTokens({ key: Buffer.alloc(32, 3), store: new FileUsedTokenStore(join(state, "unused")) });
    const tokens = Array.from({ length: 300 }, () => issuer.issue({ operation: "stop", target: "qemu/100", params: { vmid: 100 } }).token);
    writeFileSync(join(state, "tokens.json"), JSON.stringify(tokens));
    const children = Array.from({ length: 8 }, () =>
      spawn(process.execPath, [...TSX, "test/skill/helpers/redeem-token.ts", state], { stdio: ["ignore", "pipe", "inherit"] }),
    );
    const lines = children.map((c) => createInterface({ input: c.stdout! })[Symbol.asyncIterator]());
    for (const l of lines) expect((await l.next()).value).toBe("ready");
    writeFileSync(join(state, "go"), "");
    const results = await Promise.all(lines.map(async (l) => JSON.parse((await l.next()).value as string) as string[]));
    const accepted = tokens.map((_, i) => results.filter((r) => r[i] === "ok").length);
    expect(accepted.filter((n) => n !== 1)).toEqual([]);
  }, 120_000);
});

describe("state directory and confirm.key", () => {
  test("a new state directory is created 0700 and the key 0600", () => {
    const state = join(dir, "fresh", "pvekit");
    stateDirConfirmKey(state);
    expect(statSync(state).mode & 0o777).toBe(0o700);
    expect(statSync(join(state, "confirm.key")).mode & 0o777).toBe(0o600);
  });
  test("an existing state directory others can read is tightened to 0700", () => {
    const state = join(dir, "loose-dir");
    mkdirSync(state, { mode: 0o755 });
    chmodSync(state, 0o755);
    stateDirConfirmKey(state);
    expect(statSync(state).mode & 0o777).toBe(0o700);
  });
  test("a confirm.key readable by others is replaced (old tokens stop working), with a warning", () => {
    const state = join(dir, "loose-key");
    mkdirSync(state, { mode: 0o700 });
    const leaked = Buffer.alloc(32, 9);
    writeFileSync(join(state, "confirm.key"), leaked);
    chmodSync(join(state, "confirm.key"), 0o644);
    const warnings: string[] = [];
    const key = stateDirConfirmKey(state, (w: string) => warnings.push(w));
    expect(Buffer.compare(key, leaked)).not.toBe(0);
    expect(statSync(join(state, "confirm.key")).mode & 0o777).toBe(0o600);
    expect(Buffer.compare(readFileSync(join(state, "confirm.key")), key)).toBe(0);
    expect(warnings.join("\n")).toMatch(/confirm\.key.*readable by others.*replaced/);
  });
});

describe("MCP server: stdin closes while a call is in flight", () => {
  let t: SimSkill;
  beforeAll(async () => {
    t = await startSimSkill();
  });
  afterAll(async () => t.close());

  test("--timeout 0 or negative is a usage error (exit 2)", async () => {
    for (const timeout of ["0", "-3"]) {
      const r = await runCli(["guests", "--timeout", timeout], t.env());
      expect(r.code, timeout).toBe(2);
      expect(r.stderr).toMatch(/Timeout .* (must be above 0|is not a number)/);
    }
  });

  test("the call finishes and its answer is written before the server exits", async () => {
    // the guest lookup answers after 300 ms, so the call is still running when stdin ends
    t.sim.fault("GET /cluster/resources", { kind: "latency", ms: 300 }, { times: "always" });
    const child = spawn(process.execPath, [...TSX, "src/skill/cli.ts", "mcp", "--mode", "read-only"], {
      env: t.env(),
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out: string[] = [];
    createInterface({ input: child.stdout }).on("line", (l) => out.push(l));
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    const send = (msg: object) => child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", ...msg })}\n`);
    send({ id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "0" } } });
    send({ method: "notifications/initialized" });
    send({ id: 2, method: "tools/call", params: { name: "pve_guests", arguments: {} } });
    child.stdin.end();
    expect(await exited).toBe(0);
    const answers = out.map((l) => JSON.parse(l) as { id?: number; result?: { content: { text: string }[] } });
    const call = answers.find((a) => a.id === 2);
    expect(call, out.join("\n")).toBeDefined();
    expect(call!.result!.content[0]!.text).toContain("web01");
    t.sim.faults.clear();
  }, 60_000);
});

