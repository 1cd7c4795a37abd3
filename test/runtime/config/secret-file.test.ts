import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { resolveClientOptions } from "../../../src/runtime/config/from-env";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "pvekit-secretfile-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const resolveWith = (secretMode: number) => {
  const secret = join(dir, "token-secret");
  writeFileSync(secret, "11111111-2222-3333-4444-555555555555\n");
  chmodSync(secret, secretMode);
  const warnings: string[] = [];
  const { options } = resolveClientOptions({
    env: { PROXMOX_HOST: "pve1", PROXMOX_TOKEN_ID: "a@pve!b", PROXMOX_TOKEN_SECRET_FILE: secret },
    credentialsFile: false,
    logger: { warn: (m) => warnings.push(m) },
  });
  return { options, warnings, secret };
};

describe("the token secret file", () => {
  test("readable by others: a warning with the fix (the secret is still used)", () => {
    const { options, warnings, secret } = resolveWith(0o644);
    expect(options.auth).toMatchObject({ tokenId: "a@pve!b", secret: "11111111-2222-3333-4444-555555555555" });
    expect(warnings).toEqual([`${secret} is readable by other users (mode 644) and holds the token secret; run: chmod 600 ${secret}`]);
    expect(warnings.join("")).not.toContain("11111111");
  });

  test("mode 600: no warning", () => {
    expect(resolveWith(0o600).warnings).toEqual([]);
  });
});
