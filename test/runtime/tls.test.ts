import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PveClient } from "../../src/runtime/client";
import { PveError, PveTlsError } from "../../src/runtime/errors";
import { normalizeFingerprint } from "../../src/runtime/tls";
import { caSignedCert, json, selfSignedCert, startServer, type TestCert, type TestServer } from "./helpers/https-server";

const TOKEN = { tokenId: "automation@pve!ci", secret: "0b7f2b0e-6f3e-4a51-9d0c-2f4d6a8c9e10" };
const version = { version: "9.2.11", release: "9.2", repoid: "abc" };

let selfSigned: TestCert;
let server: TestServer;

beforeAll(async () => {
  selfSigned = selfSignedCert();
  server = await startServer(selfSigned, (_req, _body, res) => json(res, 200, { data: version }));
});
afterAll(() => server.close());

const client = (tls: ConstructorParameters<typeof PveClient>[0]["tls"]) =>
  new PveClient({ baseUrl: server.url, auth: TOKEN, tls, retry: false });

describe("TLS verification", () => {
  it("refuses a self-signed certificate by default, with a hint, sending nothing", async () => {
    const before = server.requests.length;
    const pve = client(undefined);
    const err = await pve.request("GET", "/version").catch((e: unknown) => e);
    await pve.close();
    expect(err).toBeInstanceOf(PveTlsError);
    expect((err as PveTlsError).code).toBe("PVE_ERR_TLS");
    expect((err as Error).message).toMatch(/tls: \{ fingerprint \}/);
    expect(server.requests.length).toBe(before);
  });

  it("accepts the pinned certificate, in any common spelling of the fingerprint", async () => {
    for (const pin of [selfSigned.fingerprint, selfSigned.fingerprint.toLowerCase(), selfSigned.fingerprint.replace(/:/g, "")]) {
      const pve = client({ fingerprint: pin });
      await expect(pve.request("GET", "/version")).resolves.toEqual(version);
      await pve.close();
    }
  });

  it("refuses any other certificate when pinned, before a byte of the request is sent", async () => {
    const before = server.requests.length;
    const connected = server.connections();
    const wrong = "AA:".repeat(31) + "AA";
    const pve = client({ fingerprint: wrong });
    const err = await pve.request("POST", "/nodes/{node}/qemu/{vmid}/status/start", { node: "pve1", vmid: 100 }).catch((e: unknown) => e);
    await pve.close();
    expect(err).toBeInstanceOf(PveTlsError);
    expect((err as Error).message).toContain("does not match the pinned fingerprint");
    expect((err as Error).message).toContain(selfSigned.fingerprint);
    expect(server.connections()).toBeGreaterThan(connected); // the client did connect...
    expect(server.requests.length).toBe(before); // ...but no request reached the server
  });

  it("insecure: true works for this client only, and leaves the process setting alone", async () => {
    const before = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    const insecure = client({ insecure: true });
    await expect(insecure.request("GET", "/version")).resolves.toEqual(version);
    expect(process.env.NODE_TLS_REJECT_UNAUTHORIZED).toBe(before);
    const strict = client(undefined);
    await expect(strict.request("GET", "/version")).rejects.toBeInstanceOf(PveTlsError);
    await Promise.all([insecure.close(), strict.close()]);
  });

  it("trusts a certificate signed by the given CA", async () => {
    const signed = caSignedCert();
    const caServer = await startServer(signed, (_req, _body, res) => json(res, 200, { data: version }));
    try {
      const withCa = new PveClient({ baseUrl: caServer.url, auth: TOKEN, tls: { ca: signed.ca as string }, retry: false });
      await expect(withCa.request("GET", "/version")).resolves.toEqual(version);
      const without = new PveClient({ baseUrl: caServer.url, auth: TOKEN, retry: false });
      await expect(without.request("GET", "/version")).rejects.toBeInstanceOf(PveTlsError);
      await Promise.all([withCa.close(), without.close()]);
    } finally {
      await caServer.close();
    }
  });

  it("checks the host name when verifying", async () => {
    const otherName = selfSignedCert("DNS:pve.example");
    const named = await startServer(otherName, (_req, _body, res) => json(res, 200, { data: version }));
    try {
      const pve = new PveClient({ baseUrl: named.url, auth: TOKEN, tls: { ca: otherName.cert }, retry: false });
      const err = await pve.request("GET", "/version").catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PveTlsError);
      expect((err as Error).message).toContain("ERR_TLS_CERT_ALTNAME_INVALID");
      await pve.close();
    } finally {
      await named.close();
    }
  });
});

describe("normalizeFingerprint", () => {
  it("accepts PVE's form, lower case, bare hex and a sha256 prefix", () => {
    const fp = "AB:".repeat(31) + "CD";
    expect(normalizeFingerprint(fp.toLowerCase())).toBe(fp);
    expect(normalizeFingerprint(fp.replace(/:/g, ""))).toBe(fp);
    expect(normalizeFingerprint(`sha256:${fp}`)).toBe(fp);
  });

  it("rejects what is not a SHA-256 fingerprint", () => {
    expect(() => normalizeFingerprint("AB:CD")).toThrow(PveError);
    expect(() => new PveClient({ baseUrl: "127.0.0.1", tls: { fingerprint: "12:34" } })).toThrow(/SHA-256 fingerprint/);
  });
});
