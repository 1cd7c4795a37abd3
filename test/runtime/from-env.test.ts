import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { inspect } from "node:util";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PveClient } from "../../src/runtime/client";
import { resolveClientOptions, type FromEnvOptions } from "../../src/runtime/config/from-env";
import { parseCredentials } from "../../src/runtime/config/credentials-file";
import { PveError } from "../../src/runtime/errors";

let dir: string;
let warnings: string[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "pvekit-config-"));
  warnings = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const SECRET = "11111111-2222-3333-4444-555555555555";

/** Resolves with a controlled environment and no home-directory file unless given. */
function resolve(env: Record<string, string>, extra: FromEnvOptions = {}) {
  return resolveClientOptions({
    env,
    credentialsFile: join(dir, "missing-credentials"),
    logger: { warn: (m) => warnings.push(m) },
    ...extra,
  });
}

function file(name: string, text: string, mode = 0o600): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

describe("environment", () => {
  it("reads the PROXMOX_* names", () => {
    const { options } = resolve({
      PROXMOX_HOST: "pve1.example",
      PROXMOX_PORT: "8443",
      PROXMOX_TOKEN_ID: "ci@pve!deploy",
      PROXMOX_TOKEN_SECRET: SECRET,
      PROXMOX_TIMEOUT: "45",
      PROXMOX_FINGERPRINT: "AB:".repeat(31) + "CD",
    });
    expect(options).toMatchObject({
      baseUrl: "pve1.example",
      port: 8443,
      auth: { tokenId: "ci@pve!deploy", secret: SECRET },
      timeoutMs: 45_000,
      tls: { fingerprint: "AB:".repeat(31) + "CD" },
    });
  });

  it("reads the aliases, PROXMOX_VE_API_TOKEN and PROXMOX_VE_INSECURE", () => {
    const { options } = resolve({
      PROXMOX_VE_ENDPOINT: "https://pve2.example:8006/",
      PROXMOX_VE_API_TOKEN: `terraform@pve!tf=${SECRET}`,
      PROXMOX_VE_INSECURE: "true",
    });
    expect(options).toMatchObject({ baseUrl: "https://pve2.example:8006/", auth: { tokenId: "terraform@pve!tf", secret: SECRET }, tls: { insecure: true } });
    const pve = resolve({ PVE_HOST: "h", PVE_USER: "root@pam", PROXMOX_PASSWORD: "pw-123456", PVE_VERIFY_SSL: "0" }).options;
    expect(pve).toMatchObject({ baseUrl: "h", auth: { username: "root@pam", password: "pw-123456" }, tls: { insecure: true } });
  });

  it("reads the token secret from PROXMOX_TOKEN_SECRET_FILE and the CA from PROXMOX_CA_PATH", () => {
    const secretFile = file("token", `${SECRET}\n`);
    const ca = file("ca.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", 0o644);
    const { options } = resolve({ PROXMOX_HOST: "h", PROXMOX_TOKEN_ID: "a@pve!b", PROXMOX_TOKEN_SECRET_FILE: secretFile, PROXMOX_CA_PATH: ca });
    expect(options.auth).toMatchObject({ tokenId: "a@pve!b", secret: SECRET });
    expect(options.tls).toEqual({ ca: expect.stringContaining("BEGIN CERTIFICATE") });
  });
});

describe("~/.proxmox-credentials", () => {
  it("is parsed, never sourced", () => {
    expect(
      parseCredentials(
        [
          "# comment",
          "export PROXMOX_HOST=https://pve.example:8006",
          'PROXMOX_TOKEN_ID="me@pam!cli"',
          "PROXMOX_TOKEN_SECRET='$(rm -rf ~)'",
          "PROXMOX_TIMEOUT=10 # seconds",
          "not a line",
        ].join("\n"),
      ),
    ).toEqual({
      PROXMOX_HOST: "https://pve.example:8006",
      PROXMOX_TOKEN_ID: "me@pam!cli",
      PROXMOX_TOKEN_SECRET: "$(rm -rf ~)",
      PROXMOX_TIMEOUT: "10",
    });
  });

  it("is used after the environment, with a warning when not mode 600", () => {
    const cred = file("creds", `PROXMOX_HOST=file-host\nPROXMOX_TOKEN_ID=me@pam!cli\nPROXMOX_TOKEN_SECRET=${SECRET}\n`, 0o644);
    const { options, sources } = resolve({ PROXMOX_HOST: "env-host" }, { credentialsFile: cred });
    expect(options.baseUrl).toBe("env-host");
    expect(options.auth).toMatchObject({ tokenId: "me@pam!cli", secret: SECRET });
    expect(sources).toMatchObject({ host: "environment", tokenId: cred });
    expect(warnings).toEqual([`${cred} is readable by other users (mode 644); run: chmod 600 ${cred}`]);
  });

  it("does not warn at mode 600", () => {
    const cred = file("creds", `PROXMOX_HOST=h\nPROXMOX_TOKEN_ID=me@pam!cli\nPROXMOX_TOKEN_SECRET=${SECRET}\n`);
    resolve({}, { credentialsFile: cred });
    expect(warnings).toEqual([]);
  });
});

describe("YAML config", () => {
  it("comes last, with the secret in a separate file relative to it", () => {
    file("pve-token.txt", SECRET);
    const yaml = file("config.yaml", "proxmox:\n  host: yaml-host\n  port: 8006\n  token_id: skill@pve!agent\n  token_secret_file: pve-token.txt\n  verify_ssl: false\nmode: operator\n");
    const { options, sources } = resolve({ PVEKIT_CONFIG: yaml });
    expect(options).toMatchObject({ baseUrl: "yaml-host", port: 8006, auth: { tokenId: "skill@pve!agent", secret: SECRET }, tls: { insecure: true } });
    expect(sources.host).toBe(yaml);
    const overridden = resolve({ PVEKIT_CONFIG: yaml, PROXMOX_HOST: "env-host" }).options;
    expect(overridden.baseUrl).toBe("env-host");
  });

  it("warns about inline secrets", () => {
    const yaml = file("config.yaml", `host: h\ntokenId: a@pve!b\ntokenSecret: ${SECRET}\n`);
    expect(resolve({}, { configFile: yaml }).options.auth).toMatchObject({ tokenId: "a@pve!b", secret: SECRET });
    expect(warnings[0]).toContain("holds a secret inline");
    expect(warnings.join("")).not.toContain(SECRET);
  });
});

describe("explicit options and errors", () => {
  it("explicit options win", () => {
    const { options } = resolve({ PROXMOX_HOST: "env-host", PROXMOX_TOKEN_ID: "a@pve!b", PROXMOX_TOKEN_SECRET: SECRET }, { baseUrl: "explicit", timeoutMs: 5 });
    expect(options).toMatchObject({ baseUrl: "explicit", timeoutMs: 5, auth: { tokenId: "a@pve!b" } });
  });

  it("names what is missing and where to set it", () => {
    expect(() => resolve({})).toThrow(/No Proxmox host configured: set PROXMOX_HOST .*~\/.proxmox-credentials.*YAML config/);
    expect(() => resolve({ PROXMOX_HOST: "h" })).toThrow(/No Proxmox credentials configured: set PROXMOX_TOKEN_ID and PROXMOX_TOKEN_SECRET/);
    expect(() => resolve({ PROXMOX_HOST: "h", PROXMOX_TOKEN_ID: "a@pve!b" })).toThrow(/has no secret: set PROXMOX_TOKEN_SECRET or PROXMOX_TOKEN_SECRET_FILE/);
    expect(() => resolve({ PROXMOX_HOST: "h", PROXMOX_USER: "root@pam" })).toThrow(/has no password/);
    const err = (() => {
      try {
        resolve({});
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(PveError);
    expect((err as PveError).code).toBe("PVE_ERR_CONFIG");
  });

  it("rejects malformed values with their source", () => {
    expect(() => resolve({ PROXMOX_HOST: "h", PROXMOX_TOKEN_ID: "a@pve!b", PROXMOX_TOKEN_SECRET: SECRET, PROXMOX_VERIFY_SSL: "maybe" })).toThrow(
      /Verify setting "maybe" from environment is not a boolean/,
    );
    expect(() => resolve({ PROXMOX_HOST: "h", PROXMOX_TOKEN_ID: "a@pve!b", PROXMOX_TOKEN_SECRET: SECRET, PROXMOX_TIMEOUT: "soon" })).toThrow(/Timeout "soon"/);
  });

  it("PveClient.fromEnv builds a client and keeps the secret out of sight", async () => {
    const pve = PveClient.fromEnv({ env: { PROXMOX_HOST: "pve9:8443", PROXMOX_TOKEN_ID: "a@pve!b", PROXMOX_TOKEN_SECRET: SECRET }, credentialsFile: false });
    expect(pve.baseUrl).toBe("https://pve9:8443/api2/json");
    expect(inspect(pve, { showHidden: true, depth: 10 })).not.toContain(SECRET);
    await pve.close();
  });

  it("a malformed token id is refused without showing the secret", () => {
    expect(() => PveClient.fromEnv({ env: { PROXMOX_HOST: "h", PROXMOX_VE_API_TOKEN: `root@pam=${SECRET}` }, credentialsFile: false })).toThrow(
      /API token id "root@pam" is malformed: expected USER@REALM!TOKENNAME/,
    );
  });
});
