import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { parse as parseYaml } from "yaml";
import { resolveClientOptions } from "../../../src/runtime/config/from-env";
import { resolveSkillSettings } from "../../../src/skill/settings";
import { runCli } from "../helpers/run-cli";
import { startSimSkill } from "../helpers/sim-skill";

let home: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "pvekit-init-"));
  env = { HOME: home, XDG_CONFIG_HOME: join(home, "cfg"), NO_COLOR: "1", PATH: process.env.PATH };
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const target = () => join(home, "cfg", "pvekit", "config.yaml");

describe("pvekit init", () => {
  test("writes a commented example to the default path with mode 600 (directory 700)", async () => {
    const r = await runCli(["init"], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Wrote ${target()} (mode 600)`);
    expect(statSync(target()).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, "cfg", "pvekit")).mode & 0o777).toBe(0o700);
    const text = readFileSync(target(), "utf8");
    // everything is an example: nothing is configured until the user edits it, except the safe default mode
    expect(parseYaml(text)).toEqual(null);
    for (const key of ["host", "port", "token_id", "token_secret_file", "fingerprint", "mode", "allowed_vmids", "snapshots"]) {
      expect(text).toMatch(new RegExp(`^# ${key}:`, "m"));
    }
  });

  test("never overwrites: a second run fails and leaves the file as it was", async () => {
    await runCli(["init"], env);
    writeFileSync(target(), "mode: operator\n");
    const r = await runCli(["init", "--json"], env);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error.message).toBe(`${target()} exists; pvekit init never overwrites a config. Edit it, or pass --config <new file>.`);
    expect(readFileSync(target(), "utf8")).toBe("mode: operator\n");
  });

  test("--config names the file; --host, --token-id, --fingerprint and --mode are written active", async () => {
    const path = join(home, "other.yaml");
    const r = await runCli(["init", "--config", path, "--host", "pve9:8006", "--token-id", "ops@pve!agent", "--mode", "operator", "--json"], env);
    expect(JSON.parse(r.stdout)).toEqual({ status: "done", path, mode: "600" });
    expect(parseYaml(readFileSync(path, "utf8"))).toEqual({ host: "pve9:8006", token_id: "ops@pve!agent", mode: "operator" });
  });

  test("every key of the example is one pvekit reads", async () => {
    await runCli(["init"], env);
    const dir = join(home, "cfg", "pvekit");
    for (const f of ["token-secret", "password", "pve-root-ca.pem"]) writeFileSync(join(dir, f), "x\n", { mode: 0o600 });
    // uncomment every "# key: value" line (and the snapshots block)
    const active = readFileSync(target(), "utf8")
      .split("\n")
      .map((l) => l.replace(/^# (?=[a-z_]+:|  name:)/, ""))
      .join("\n");
    writeFileSync(target(), active);
    const doc = parseYaml(active) as Record<string, unknown>;
    expect(Object.keys(doc).sort()).toEqual(
      [
        "allowed_nodes",
        "allowed_pools",
        "allowed_tags",
        "allowed_vmids",
        "audit_log",
        "ca_path",
        "confirm_ttl",
        "fingerprint",
        "host",
        "mode",
        "password_file",
        "port",
        "snapshots",
        "task_timeout",
        "timeout",
        "token_id",
        "token_secret_file",
        "user",
        "verify_ssl",
      ].sort(),
    );
    const { options, sources } = resolveClientOptions({ env: { HOME: home, XDG_CONFIG_HOME: join(home, "cfg") }, credentialsFile: false, logger: {} });
    expect(Object.keys(sources).sort()).toEqual(
      ["caPath", "fingerprint", "host", "passwordFile", "port", "timeout", "tokenId", "tokenSecretFile", "user", "verifySsl"].sort(),
    );
    expect(options).toMatchObject({ baseUrl: "pve1.example.com", port: 8006, timeoutMs: 30_000, auth: { tokenId: "automation@pve!agent", secret: "x" } });
    const settings = resolveSkillSettings({}, { HOME: home, XDG_CONFIG_HOME: join(home, "cfg") });
    expect(settings).toMatchObject({
      mode: "read-only",
      allow: { vmids: expect.anything(), nodes: ["pve1", "pve2"], pools: ["lab"], tags: ["pvekit-ok"] },
      auditLog: join(home, ".local/state/pvekit/audit.log"),
      taskTimeoutMs: 300_000,
      confirmTtlMs: 300_000,
      snapshotName: "pvekit-{change}",
    });
  });
});

describe("the config file as the CLI reads it", () => {
  test("the default path is searched: its mode applies", async () => {
    await runCli(["init", "--mode", "operator"], env);
    const t = await startSimSkill();
    try {
      const r = await runCli(["start", "102", "--json"], { ...t.env(), XDG_CONFIG_HOME: env.XDG_CONFIG_HOME });
      expect(r.code, r.stdout).toBe(0);
      expect(JSON.parse(r.stdout).status).toBe("done");
    } finally {
      await t.close();
    }
  });

  test("a YAML error names the file and the line, and exits 2 (--json: a JSON error)", async () => {
    const path = join(home, "broken.yaml");
    writeFileSync(path, "mode: operator\nallowed_vmids: [100, 101\n");
    const r = await runCli(["guests", "--config", path, "--json"], env);
    expect(r.code).toBe(2);
    const report = JSON.parse(r.stdout) as { error: { message: string; code: string } };
    expect(report.error.code).toBe("PVE_ERR_CONFIG");
    expect(report.error.message).toMatch(new RegExp(`^Config file ${path}, line \\d+: `));
    const human = await runCli(["guests", "--config", path], env);
    expect(human.code).toBe(2);
    expect(human.stderr).toMatch(new RegExp(`^Error: Config file ${path}, line \\d+: `));
  });
});
