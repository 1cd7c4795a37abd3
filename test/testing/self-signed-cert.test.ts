import { execFile } from "node:child_process";
import { X509Certificate, createPrivateKey } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { createSelfSignedCert, derInteger } from "../../src/testing/self-signed-cert";

const run = promisify(execFile);
const hasOpenssl = await run("openssl", ["version"]).then(
  () => true,
  () => false,
);

describe("createSelfSignedCert", () => {
  const made = createSelfSignedCert({ now: new Date("2026-01-15T12:00:00Z"), days: 30 });
  const x509 = new X509Certificate(made.cert);

  it("is a self-signed X.509 certificate for localhost and the loopback addresses", () => {
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.checkHost("localhost")).toBe("localhost");
    expect(x509.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(x509.checkIP("::1")).toBe("::1");
    expect(x509.ca).toBe(false);
    expect(new Date(x509.validTo).getTime()).toBe(new Date("2026-02-14T12:00:00Z").getTime());
  });

  it("reports the SHA-256 fingerprint in AA:BB form and pairs with its key", () => {
    expect(made.fingerprint).toBe(x509.fingerprint256);
    expect(x509.checkPrivateKey(createPrivateKey(made.key))).toBe(true);
  });

  it("makes a new key every time", () => {
    expect(createSelfSignedCert().fingerprint).not.toBe(createSelfSignedCert().fingerprint);
  });

  it.skipIf(!hasOpenssl)("is accepted by openssl as its own trust anchor", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "pvekit-cert-")), "cert.pem");
    writeFileSync(file, createSelfSignedCert().cert);
    const { stdout } = await run("openssl", ["verify", "-CAfile", file, file]);
    expect(stdout.trim()).toBe(`${file}: OK`);
  });
});

// Regression: a random serial starting with 0x00 was encoded with a redundant leading zero byte, which
// OpenSSL 3 rejects ("asn1 … illegal padding"), failing about one simulator start in 128.
describe("derInteger", () => {
  it.each([
    ["a redundant leading zero", [0x00, 0x05], [0x02, 0x01, 0x05]],
    ["several leading zeros before a high byte", [0x00, 0x00, 0x80, 0x01], [0x02, 0x03, 0x00, 0x80, 0x01]],
    ["a high first byte (kept positive)", [0xff], [0x02, 0x02, 0x00, 0xff]],
    ["zero", [0x00, 0x00], [0x02, 0x01, 0x00]],
    ["a plain value", [0x12, 0x34], [0x02, 0x02, 0x12, 0x34]],
  ])("encodes %s minimally", (_name, input, expected) => {
    expect([...derInteger(Buffer.from(input))]).toEqual(expected);
  });
});
