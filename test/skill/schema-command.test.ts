import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "../../codegen/generate";
import { sharedApidocDir } from "../../codegen/provision";
import { CliApp } from "../../src/skill/cli/app";
import { schemaCommand } from "../../src/skill/commands/schema";
import { main as schemaMain } from "../../src/skill/commands/schema-main";
import { SkillUsageError } from "../../src/skill/errors";
import { exitCodeFor } from "../../src/skill/exit-codes";
import { createSimulator, type SimServer } from "../../src/testing";

const SHARED = sharedApidocDir();
const ROOT = new URL("../../", import.meta.url).pathname;

/** Runs `pvekit schema …` in-process with captured output; `env` replaces the process environment. */
async function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  let stdout = "";
  let stderr = "";
  const io = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env };
  const app = new CliApp(io, ["schema", ...args]);
  const cmd = schemaCommand(app).exitOverride();
  for (const sub of cmd.commands) sub.exitOverride();
  try {
    await cmd.parseAsync(args, { from: "user" });
  } finally {
    await app.close();
  }
  return { stdout, stderr, exitCode: app.exitCode };
}

describe("pvekit schema diff", () => {
  const v74 = join(SHARED, "pve-7.4.json");
  const v84 = join(SHARED, "pve-8.4-final.json");

  it("prints the changes between two PVE versions, breaking ones marked", async () => {
    const r = await run(["diff", v74, v84]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^PVE 7\.4 \(pve-7\.4\.json, \d+ methods\) → PVE 8\.4 \(pve-8\.4-final\.json, \d+ methods\)/);
    expect(r.stdout).toMatch(/Removed endpoints \(breaking\):\n(?: {2}.*\n)*? {2}POST {3}\/access\/tfa\n/);
    expect(r.stdout).toContain("  DELETE /nodes/{node}/ceph/pools/{name}\n");
    expect(r.stdout).toMatch(/\n {4}! param \S+: /);
    expect(r.stdout).toMatch(/\n {6}param \S+: parameter added \(optional\)/);
  });

  it("prints one JSON object with --json, and only breaking changes with --breaking-only", async () => {
    const r = await run(["diff", v74, v84, "--json", "--breaking-only"]);
    const diff = JSON.parse(r.stdout);
    expect(diff.old.pveVersion).toBe("7.4");
    expect(diff.new.pveVersion).toBe("8.4");
    expect(diff.changes.length).toBe(diff.summary.breaking);
    expect(diff.changes.every((c: { breaking: boolean }) => c.breaking)).toBe(true);
    expect(diff.changes).toContainEqual(expect.objectContaining({ kind: "endpoint-removed", verb: "POST", path: "/access/tfa" }));
  });

  it("turns an unreadable or non-apidoc file into a usage error (exit code 2)", async () => {
    const err = await run(["diff", join(SHARED, "no-such.json"), v84]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SkillUsageError);
    expect((err as Error).message).toContain("no-such.json");
    expect(exitCodeFor(err)).toBe(2);
    const notTree = await run(["diff", join(SHARED, "formats-9.1-proxmox-rs.json"), v84]).catch((e: unknown) => e);
    expect(notTree).toBeInstanceOf(SkillUsageError);
    expect((notTree as Error).message).toContain("not a PVE apidoc tree");
  });
});

describe("pvekit schema pull, then diff and codegen, against the simulator", () => {
  const sim = createSimulator({ schemaPath: join(SHARED, "pve-9.0.json") });
  let server: SimServer;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    sim.state.version = { version: "9.0.6", release: "9.0", repoid: "49c767b7" };
    server = await sim.listen({ port: 0 });
    await mkdir(join(ROOT, ".tmp"), { recursive: true });
    dir = await mkdtemp(join(ROOT, ".tmp", "schema-cli-"));
    // HOME without ~/.proxmox-credentials, so only what the test gives counts
    env = { HOME: dir, PROXMOX_TOKEN_ID: sim.credentials.token.tokenId, PROXMOX_TOKEN_SECRET: sim.credentials.token.secret };
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("pulls, diffs against the bindings' schema, and regenerates bindings that record the host's version", async () => {
    const out = join(dir, "live.json");
    const pulled = await run(["pull", server.url, "--fingerprint", server.fingerprint, "--out", out], env);
    expect(pulled.stderr).toBe("");
    expect(pulled.stdout).toContain(`Pulled the PVE 9.0.6 API schema from ${server.url}`);
    expect(pulled.stdout).toContain(`Wrote ${out} and ${join(dir, "live.meta.json")}.`);
    const meta = JSON.parse(await readFile(join(dir, "live.meta.json"), "utf8"));
    expect(meta.pveVersion).toBe("9.0.6");
    expect(pulled.stdout).not.toContain(sim.credentials.token.secret);

    const diff = JSON.parse((await run(["diff", join(SHARED, "pve-9.2.11.json"), out, "--json"])).stdout);
    expect(diff.new).toMatchObject({ label: "live.json", pveVersion: "9.0.6", sha256: meta.sha256 });
    // going back from 9.2 to 9.0 removes the endpoints 9.1 and 9.2 added
    expect(diff.summary.endpointsRemoved).toBeGreaterThan(0);

    const gen = join(dir, "generated");
    await generate({ schema: out, out: gen });
    const info = await readFile(join(gen, "schema-info.ts"), "utf8");
    expect(info).toContain(`pveVersion: "9.0.6"`);
    expect(info).toContain(`schemaSha256: "${meta.sha256}"`);
  }, 300_000);

  it("prints JSON with --json, taking the host from PROXMOX_HOST", async () => {
    const out = join(dir, "json", "apidoc.json");
    const r = await run(["pull", "--json", "--out", out], {
      ...env,
      PROXMOX_HOST: server.url,
      PROXMOX_FINGERPRINT: server.fingerprint,
    });
    const answer = JSON.parse(r.stdout);
    expect(answer).toMatchObject({
      status: "ok",
      source: `${server.url}/pve-docs/api-viewer/apidoc.js`,
      pveVersion: "9.0.6",
      release: "9.0",
      schemaPath: out,
      metaPath: join(dir, "json", "apidoc.meta.json"),
      warnings: [],
    });
    expect(answer.methods).toBeGreaterThan(0);
  });

  it("still pulls without credentials, warning that the version is not recorded", async () => {
    const out = join(dir, "anon.json");
    const r = await run(["pull", server.url, "--fingerprint", server.fingerprint, "--out", out], { HOME: dir });
    expect(r.stdout).toContain("PVE (version not recorded)");
    expect(r.stderr).toContain("warning: the host's version was not recorded (No Proxmox credentials configured)");
    expect(JSON.parse(await readFile(join(dir, "anon.meta.json"), "utf8")).pveVersion).toBeNull();
  });

  it("records --pve-version without asking the host", async () => {
    const out = join(dir, "given.json");
    const r = await run(["pull", server.url, "--fingerprint", server.fingerprint, "--out", out, "--pve-version", "9.0.2"], {
      HOME: dir,
    });
    expect(r.stderr).toBe("");
    expect(JSON.parse(await readFile(join(dir, "given.meta.json"), "utf8")).pveVersion).toBe("9.0.2");
  });

  it("never overwrites an existing file unless --force is given", async () => {
    const out = join(dir, "kept.json");
    await writeFile(out, "mine\n");
    const err = await run(["pull", server.url, "--fingerprint", server.fingerprint, "--out", out], env).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SkillUsageError);
    expect((err as Error).message).toContain(`${out} exists`);
    expect(exitCodeFor(err)).toBe(2);
    expect(await readFile(out, "utf8")).toBe("mine\n");
    const forced = await run(["pull", server.url, "--fingerprint", server.fingerprint, "--out", out, "--force"], env);
    expect(forced.stdout).toContain(`Wrote ${out}`);
    expect(JSON.parse(await readFile(out, "utf8"))).toBeInstanceOf(Array);
  });

  it("names schema/apidoc.json as the bindings' schema when refusing to replace it", async () => {
    const out = join(dir, "schema", "apidoc.json");
    await mkdir(join(dir, "schema"), { recursive: true });
    await writeFile(out, "[]\n");
    const err = await run(["pull", server.url, "--fingerprint", server.fingerprint, "--out", out], env).catch((e: unknown) => e);
    expect((err as Error).message).toContain("(the schema the bindings are generated from)");
  });

  it("runs on its own (schema-main.ts: what bin/pvekit.mjs runs before the bindings exist)", async () => {
    let stdout = "";
    let stderr = "";
    const io = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env };
    const out = join(dir, "standalone.json");
    const code = await schemaMain(["schema", "pull", server.url, "--fingerprint", server.fingerprint, "--out", out], io);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain(`Wrote ${out}`);
    expect(await schemaMain(["schema", "pull", server.url, "--fingerprint", server.fingerprint, "--out", out], io)).toBe(2);
    expect(stderr).toContain("exists");
  });

  it("verifies the certificate by default", async () => {
    const err = await run(["pull", server.url, "--out", join(dir, "tls.json")], env).catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe("PVE_ERR_TLS");
    expect(exitCodeFor(err)).toBe(1);
  });
});
