import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { FileAuditLog } from "../../../src/skill/policy/audit-log";
import { isSecretName, redactParams } from "../../../src/skill/policy/redact";

test("the audit log appends one redacted JSON line per entry, mode 600", () => {
  const dir = mkdtempSync(join(tmpdir(), "pvekit-audit-"));
  try {
    const file = join(dir, "sub", "audit.log");
    const log = new FileAuditLog(file);
    const base = { time: "2025-01-01T00:00:00.000Z", user: "ci@pve!agent", mode: "operator", target: "qemu/100 on pve1" };
    log.append({
      ...base,
      operation: "create-ct",
      params: { vmid: 300, params: { password: "hunter2hunter2", hostname: "ct" } },
      outcome: "ok",
      upid: "UPID:x",
    });
    log.append({ ...base, operation: "stop", params: { vmid: 100 }, outcome: "refused", error: "mode" });
    const text = readFileSync(file, "utf8");
    expect(text).not.toContain("hunter2hunter2");
    const lines = text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      operation: "create-ct",
      outcome: "ok",
      upid: "UPID:x",
      params: { params: { password: "**********", hostname: "ct" } },
    });
    expect(lines[1]).toMatchObject({ operation: "stop", outcome: "refused", user: "ci@pve!agent" });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("secret names are recognised by their ending, flags are not", () => {
  for (const n of [
    "password",
    "cipassword",
    "secret",
    "vncticket",
    "CSRFPreventionToken",
    "otp",
    "tfa-challenge",
    "encryption-key",
    "lock-token",
  ]) {
    expect(isSecretName(n), n).toBe(true);
  }
  for (const n of ["hotplug", "tokenid", "generate-password", "token-coefficient", "name", "sshkeys"])
    expect(isSecretName(n), n).toBe(false);
  expect(redactParams({ a: [{ password: "x" }], b: 1 })).toEqual({ a: [{ password: "**********" }], b: 1 });
});
