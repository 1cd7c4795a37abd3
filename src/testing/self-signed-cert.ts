import { X509Certificate, generateKeyPairSync, randomBytes, sign } from "node:crypto";

/**
 * A self-signed TLS certificate made in-process: an ECDSA P-256 key from node:crypto and a
 * small hand-built X.509 v3 DER (no openssl binary, no extra dependency, works on every
 * platform Node runs on). Valid for `localhost` and 127.0.0.1 / ::1.
 */
export interface SelfSignedCert {
  /** PEM certificate */
  cert: string;
  /** PEM private key (PKCS#8) */
  key: string;
  /** SHA-256 fingerprint, `AA:BB:…` (what PVE shows and clients pin) */
  fingerprint: string;
}

// --- minimal DER encoding ---
function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, body: Buffer): Buffer => Buffer.concat([Buffer.from([tag]), len(body.length), body]);
const seq = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items));
const ctx = (n: number, body: Buffer): Buffer => tlv(0xa0 + n, body); // [n] EXPLICIT, constructed
/**
 * DER INTEGER from unsigned big-endian bytes: minimal (no redundant leading zero bytes, which OpenSSL 3
 * rejects as "illegal padding") and positive (a 0x00 prefix when the top bit is set).
 */
export function derInteger(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  const body = b.subarray(i);
  return tlv(0x02, (body[0] as number) & 0x80 ? Buffer.concat([Buffer.from([0]), body]) : body);
}
const int = derInteger;
const bool = (v: boolean): Buffer => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const octets = (b: Buffer): Buffer => tlv(0x04, b);
const bits = (b: Buffer): Buffer => tlv(0x03, Buffer.concat([Buffer.from([0]), b]));
const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s, "utf8"));

function oid(dotted: string): Buffer {
  const parts = dotted.split(".").map(Number);
  const out: number[] = [40 * (parts[0] as number) + (parts[1] as number)];
  for (const p of parts.slice(2)) {
    const chunk: number[] = [p & 0x7f];
    for (let v = p >>> 7; v > 0; v >>>= 7) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function utcTime(d: Date): Buffer {
  const s = d.toISOString().replace(/[-:T]/g, "").slice(2, 14) + "Z"; // YYMMDDHHMMSSZ
  return tlv(0x17, Buffer.from(s, "ascii"));
}

const name = (cn: string, org: string): Buffer =>
  seq(set(seq(oid("2.5.4.10"), utf8(org))), set(seq(oid("2.5.4.3"), utf8(cn))));

const ext = (id: string, critical: boolean, value: Buffer): Buffer =>
  critical ? seq(oid(id), bool(true), octets(value)) : seq(oid(id), octets(value));

/** Makes a fresh key and certificate, valid from one day ago for `days` days (default 365). */
export function createSelfSignedCert(opts: { commonName?: string; days?: number; now?: Date } = {}): SelfSignedCert {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const now = opts.now ?? new Date();
  const notBefore = new Date(now.getTime() - 86_400_000);
  const notAfter = new Date(now.getTime() + (opts.days ?? 365) * 86_400_000);
  const ecdsaSha256 = seq(oid("1.2.840.10045.4.3.2"));
  const serial = randomBytes(16);
  const subject = name(opts.commonName ?? "localhost", "pvekit simulator");
  const san = seq(
    tlv(0x82, Buffer.from("localhost", "ascii")), // dNSName
    tlv(0x87, Buffer.from([127, 0, 0, 1])), // iPAddress
    tlv(0x87, Buffer.from([...Array(15).fill(0), 1])), // ::1
  );
  const extensions = seq(
    ext("2.5.29.19", true, seq()), // basicConstraints: CA false
    ext("2.5.29.15", true, tlv(0x03, Buffer.from([0x07, 0x80]))), // keyUsage: digitalSignature
    ext("2.5.29.37", false, seq(oid("1.3.6.1.5.5.7.3.1"))), // extKeyUsage: serverAuth
    ext("2.5.29.17", false, san),
  );
  const tbs = seq(
    ctx(0, int(Buffer.from([2]))), // v3
    int(serial),
    ecdsaSha256,
    subject,
    seq(utcTime(notBefore), utcTime(notAfter)),
    subject,
    publicKey.export({ type: "spki", format: "der" }),
    ctx(3, extensions),
  );
  const signature = sign("sha256", tbs, privateKey); // DER-encoded ECDSA signature, as X.509 wants
  const der = seq(tbs, ecdsaSha256, bits(signature));
  const cert = `-----BEGIN CERTIFICATE-----\n${der.toString("base64").replace(/(.{64})/g, "$1\n").replace(/\n$/, "")}\n-----END CERTIFICATE-----\n`;
  const key = privateKey.export({ type: "pkcs8", format: "pem" }) as string;
  return { cert, key, fingerprint: new X509Certificate(cert).fingerprint256 };
}
