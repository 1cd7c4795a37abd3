import { readFileSync } from "node:fs";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterAll, beforeAll, expect, test } from "vitest";
import { runCli } from "./helpers/run-cli";
import { startSimSkill, type SimSkill } from "./helpers/sim-skill";

let t: SimSkill;
beforeAll(async () => {
  t = await startSimSkill();
  t.sim.state.guests.get(100)!.config.cipassword = "cloud-init-Secret-9";
});
afterAll(async () => t.close());

test("no output, error, audit line or inspected object contains a secret", async () => {
  const secrets = [
    t.sim.credentials.token.secret,
    t.sim.credentials.root.password,
    "cloud-init-Secret-9",
    "ct-pw-Secret-7",
    "wrong-secret-123456",
  ];
  const audit = join(t.stateDir, "secrets-audit.log");
  const env = t.env({ PVEKIT_AUDIT_LOG: audit });
  const runs = [
    await runCli(["config", "100"], env),
    await runCli(["config", "100", "--json"], env),
    await runCli(["api", "get", "/nodes/pve1/qemu/100/config", "--json"], env),
    await runCli(["doctor"], env),
    await runCli(["doctor", "--json"], env),
    await runCli(["stop", "100", "--mode", "admin", "--json"], env),
    await runCli(
      [
        "create-ct",
        "auto",
        "--node",
        "pve1",
        "--template",
        "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst",
        "password=ct-pw-Secret-7",
        "storage=local-lvm",
        "--mode",
        "operator",
      ],
      env,
    ),
    await runCli(["guests"], { ...env, PROXMOX_TOKEN_SECRET: "wrong-secret-123456" }),
    await runCli(["guests", "--json"], { ...env, PROXMOX_TOKEN_SECRET: "wrong-secret-123456" }),
    await runCli(["guests", "--user", "root@pam"], { ...env, PROXMOX_PASSWORD: t.sim.credentials.root.password }),
  ];
  expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 0, 0, 3, 0, 1, 1, 0]);
  expect(runs[7]!.stderr).toMatch(/Authentication failed![\s\S]*Authentication failed: check PROXMOX_TOKEN_ID/);
  const skill = t.skill({ mode: "admin" });
  const texts = [
    ...runs.flatMap((r) => [r.stdout, r.stderr]),
    readFileSync(audit, "utf8"),
    inspect(skill, { depth: 6 }),
    JSON.stringify(skill),
  ];
  for (const text of texts) for (const secret of secrets) expect(text).not.toContain(secret);
  expect(runs[0]!.stdout).toMatch(/cipassword +\| \*{10}/);
});

test("the restricted token's doctor run explains the missing privileges", async () => {
  const env = t.env({
    PROXMOX_TOKEN_ID: t.sim.credentials.restrictedToken.tokenId,
    PROXMOX_TOKEN_SECRET: t.sim.credentials.restrictedToken.secret,
  });
  const r = await runCli(["doctor", "--mode", "operator", "--json"], env);
  const checks = JSON.parse(r.stdout) as { check: string; status: string; detail: string }[];
  const reversible = checks.find((c) => c.check === "privileges: reversible")!;
  expect(reversible.status).toBe("warn");
  expect(reversible.detail).toMatch(/missing: .*VM\.PowerMgmt on \/vms/);
  expect(checks.find((c) => c.check === "privileges: read")!.status).toBe("ok");
  expect(r.stdout).not.toContain(t.sim.credentials.restrictedToken.secret);
});
