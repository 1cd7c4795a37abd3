import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { PveClient } from "../../src/runtime/client";
import { PveConnectionError, PveError, PveNotFoundError, PveTimeoutError, PveValidationError } from "../../src/runtime/errors";
import { json, selfSignedCert, startServer, type TestCert, type TestServer } from "./helpers/https-server";

const TOKEN = { tokenId: "uploader@pve!iso", secret: "7d5e1c3a-0f9b-4c2d-8e7f-6a5b4c3d2e1f" };
const UPID = "UPID:pve1:00002A3B:0012D687:66000001:imgcopy::uploader@pve!iso:";

let cert: TestCert;
let server: TestServer;
/** paths whose requests the server never answers */
const hang = new Set<string>();

beforeAll(async () => {
  cert = selfSignedCert();
  server = await startServer(cert, (req, _body, res) => {
    const path = (req.url ?? "").split("?")[0]!;
    if (hang.has(path)) return;
    if (path === "/api2/json/nodes/pve1/qemu/999/status/current") {
      return json(res, 500, { data: null }, "Configuration file 'nodes/pve1/qemu-server/999.conf' does not exist");
    }
    if (path.endsWith("/upload")) return json(res, 200, { data: UPID });
    json(res, 200, { data: { version: "9.2.11" } });
  });
});
afterAll(() => server.close());

const client = (extra: Partial<ConstructorParameters<typeof PveClient>[0]> = {}) =>
  new PveClient({ baseUrl: server.url, auth: TOKEN, tls: { fingerprint: cert.fingerprint }, retry: false, ...extra });

describe("undici transport", () => {
  it("keeps one connection alive across requests", async () => {
    const pve = client();
    const before = server.connections();
    for (let i = 0; i < 10; i++) await pve.request("GET", "/version");
    // undici opens a second socket once early on (raw undici does the same), then reuses it
    expect(server.connections() - before).toBeLessThanOrEqual(2);
    await pve.close();
  });

  it("takes the message from PVE's reason phrase", async () => {
    const pve = client();
    const err = await pve.api.nodes.$("pve1").qemu.$(999).status.current.$get().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PveNotFoundError);
    expect((err as Error).message).toBe("Configuration file 'nodes/pve1/qemu-server/999.conf' does not exist");
    await pve.close();
  });

  it("times out a request that gets no answer (per client and per call)", async () => {
    hang.add("/api2/json/cluster/resources");
    const pve = client({ timeoutMs: 50 });
    const err = await pve.request("GET", "/cluster/resources").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PveTimeoutError);
    expect(err).toMatchObject({ code: "PVE_ERR_TIMEOUT", timeoutMs: 50, method: "GET", path: "/cluster/resources" });
    const perCall = await client()
      .request("GET", "/cluster/resources", {}, { timeoutMs: 30 })
      .catch((e: unknown) => e);
    expect(perCall).toMatchObject({ code: "PVE_ERR_TIMEOUT", timeoutMs: 30 });
    await pve.close();
  });

  it("aborts a request through its signal", async () => {
    hang.add("/api2/json/cluster/status");
    const pve = client();
    const controller = new AbortController();
    const pending = pve.request("GET", "/cluster/status", {}, { signal: controller.signal });
    controller.abort();
    const err = (await pending.catch((e: unknown) => e)) as PveError;
    expect(err).toBeInstanceOf(PveError);
    expect(err.code).toBe("PVE_ERR_ABORTED");
    await pve.close();
  });

  it("reports a refused connection as PveConnectionError", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const { port } = closed.address() as { port: number };
    await new Promise<void>((r) => closed.close(() => r()));
    const pve = new PveClient({ baseUrl: `127.0.0.1:${port}`, auth: TOKEN, retry: false });
    const err = await pve.request("GET", "/version").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PveConnectionError);
    expect((err as Error).message).toContain("ECONNREFUSED");
    await pve.close();
  });

  it("warns once per process when TLS checks are off", async () => {
    vi.resetModules();
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    try {
      const { tlsConnector } = await import("../../src/runtime/tls");
      tlsConnector({ insecure: true });
      tlsConnector({ verify: false });
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toContain("TLS certificate verification is off");
    } finally {
      warn.mockRestore();
    }
  });
});

describe("upload", () => {
  it("streams a file as multipart/form-data with the token, fields first, exact length", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pvekit-upload-"));
    const file = join(dir, "tiny.iso");
    const content = Buffer.alloc(256 * 1024, 7);
    writeFileSync(file, content);
    const sha = createHash("sha256").update(content).digest("hex");
    const pve = client();
    try {
      const upid = await pve.upload({ node: "pve1", storage: "local", content: "iso", file, checksum: sha, checksumAlgorithm: "sha256" });
      expect(upid).toBe(UPID);
      const req = server.requests.at(-1)!;
      expect(req.method).toBe("POST");
      expect(req.url).toBe("/api2/json/nodes/pve1/storage/local/upload");
      expect(req.headers.authorization).toBe(`PVEAPIToken=${TOKEN.tokenId}=${TOKEN.secret}`);
      expect(Number(req.headers["content-length"])).toBe(req.body.length);
      const boundary = /boundary=(.+)$/.exec(req.headers["content-type"] as string)![1]!;
      const parts = req.body.toString("latin1").split(`--${boundary}`);
      const names = parts.map((p) => /name="([^"]+)"/.exec(p)?.[1]).filter(Boolean);
      expect(names).toEqual(["content", "checksum", "checksum-algorithm", "filename"]);
      expect(parts[4]).toContain('filename="tiny.iso"');
      const data = parts[4]!.slice(parts[4]!.indexOf("\r\n\r\n") + 4, -2);
      expect(Buffer.from(data, "latin1").equals(content)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await pve.close();
    }
  });

  it("uploads from a stream with a given size and name", async () => {
    const pve = client();
    const content = Buffer.from("template bytes");
    await pve.upload({ node: "pve1", storage: "local", content: "vztmpl", filename: "debian.tar.zst", file: { stream: Readable.from([content]), size: content.length } });
    const req = server.requests.at(-1)!;
    expect(req.body.toString()).toContain('filename="debian.tar.zst"');
    expect(req.body.toString()).toContain("template bytes");
    await pve.close();
  });

  it("checks its options before sending", async () => {
    const pve = client();
    const before = server.requests.length;
    const err = await pve
      .upload({ node: "pve1", storage: "", content: "disk" as "iso", file: { stream: Readable.from([]), size: 0 }, checksum: "abc" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PveValidationError);
    expect(Object.keys((err as PveValidationError).errors).sort()).toEqual(["checksum-algorithm", "content", "filename", "storage"]);
    expect(server.requests.length).toBe(before);
    await pve.close();
  });
});
