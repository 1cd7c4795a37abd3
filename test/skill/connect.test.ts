import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { connect } from "../../src/skill/connect";

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "pvekit-connect-"));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe("connect: who logs in", () => {
  test("--user wins over a token configured in ~/.proxmox-credentials", async () => {
    writeFileSync(join(home, ".proxmox-credentials"), "PROXMOX_HOST=pve1\nPROXMOX_TOKEN_ID=a@pve!b\nPROXMOX_TOKEN_SECRET=s\n", { mode: 0o600 });
    const env = { HOME: home, PROXMOX_PASSWORD: "pw", PATH: "" };
    const token = connect({}, env);
    expect(token.connection).toMatchObject({ auth: "token", identity: "a@pve!b" });
    const user = connect({ user: "ops@pve" }, env);
    expect(user.connection).toMatchObject({ auth: "ticket", identity: "ops@pve" });
    await Promise.all([token.pve.close(), user.pve.close()]);
  });

  test("--user wins over a token in the YAML config and the environment", async () => {
    const cfg = join(home, "c.yaml");
    writeFileSync(cfg, "host: pve1\ntoken_id: a@pve!b\ntoken_secret: s\n", { mode: 0o600 });
    const env = { HOME: home, PROXMOX_PASSWORD: "pw", PVE_TOKEN_ID: "c@pve!d", PVE_TOKEN_SECRET: "t", PATH: "" };
    const { pve, connection } = connect({ user: "ops@pve", config: cfg }, env);
    expect(connection).toMatchObject({ auth: "ticket", identity: "ops@pve" });
    await pve.close();
  });

  test("seed 003's variables make one token id", async () => {
    const env = { HOME: home, PVE_HOST: "pve1", PVE_USER: "automation@pam", PVE_REALM: "pam", PVE_TOKEN_ID: "automation", PVE_TOKEN_SECRET: "s", PATH: "" };
    const { pve, connection } = connect({}, env);
    expect(connection).toMatchObject({ auth: "token", identity: "automation@pam!automation" });
    await pve.close();
  });

  test("configuration warnings reach the caller's notice (a secret file others can read)", async () => {
    const secret = join(home, "secret");
    writeFileSync(secret, "s\n", { mode: 0o644 });
    const lines: string[] = [];
    const { pve } = connect({}, { HOME: home, PROXMOX_HOST: "pve1", PROXMOX_TOKEN_ID: "a@pve!b", PROXMOX_TOKEN_SECRET_FILE: secret, PATH: "" }, (l) => lines.push(l));
    expect(lines).toEqual([`pvekit: ${secret} is readable by other users (mode 644) and holds the token secret; run: chmod 600 ${secret}`]);
    await pve.close();
  });
});
