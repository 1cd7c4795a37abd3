import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createTcpServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { http, HttpResponse } from "msw";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PveClient } from "../../src/runtime/client";
import { PveAuthError, PveError, PveTimeoutError, PveValidationError } from "../../src/runtime/errors";
import { DEFAULT_MAX_RESPONSE_BYTES } from "../../src/runtime/transport";
import { API, BASE, useMsw } from "./helpers/msw-client";

// Finding 10 (runtime): timeoutMs restarted per body chunk (a slow-drip server held a request forever);
// no cap on response size; `.`/`..` path values passed validation and URL normalisation sent the request
// elsewhere; a wrong password cost two logins; connecting was not bounded by the timeout.
const msw = useMsw();
const TOKEN = { tokenId: "automation@pve!ci", secret: "5f0c7e2a-1b2c-4d5e-8f90-a1b2c3d4e5f6" };

const sockets = new Set<Socket>();
let drip: Server;
let dripUrl = "";
let big: Server;
let bigUrl = "";
let quick: Server;
let quickUrl = "";
let silent: ReturnType<typeof createTcpServer>;
let silentUrl = "";
const seenPaths: string[] = [];

beforeAll(async () => {
  // headers at once, then one byte every 20 ms, forever
  drip = createHttpServer((_req, res) => {
    res.writeHead(200, { "Content-Type": "application/json" });
    res.write('{"data":"');
    const timer = setInterval(() => res.write("x"), 20);
    res.on("close", () => clearInterval(timer));
  });
  drip.on("connection", (s) => sockets.add(s));
  // a 3 MB answer
  big = createHttpServer((_req, res) => {
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ data: "y".repeat(3 * 1024 * 1024) }));
  });
  // answers at once, recording the path it was asked for
  quick = createHttpServer((req, res) => {
    seenPaths.push(req.url ?? "");
    res.writeHead(200, { "Content-Type": "application/json" }).end('{"data":null}');
  });
  // accepts TCP, never says a word (TLS never starts)
  silent = createTcpServer((s) => sockets.add(s));
  await Promise.all([drip, big, quick, silent].map((s) => new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()))));
  quickUrl = `http://127.0.0.1:${(quick.address() as AddressInfo).port}`;
  dripUrl = `http://127.0.0.1:${(drip.address() as AddressInfo).port}`;
  bigUrl = `http://127.0.0.1:${(big.address() as AddressInfo).port}`;
  silentUrl = `https://127.0.0.1:${(silent.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all([drip, big, quick, silent].map((s) => new Promise<void>((r) => s.close(() => r()))));
});

describe("timeoutMs is one deadline for the whole request", () => {
  it("a slow-drip body does not hold the request past it", async () => {
    const pve = new PveClient({ baseUrl: dripUrl, timeoutMs: 300, retry: false });
    const err = await pve.request("GET", "/version").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PveTimeoutError);
    expect(err).toMatchObject({ timeoutMs: 300 });
    await pve.close();
  }, 15_000);

  it("connecting is bounded too: a host that accepts TCP and never answers TLS", async () => {
    const pve = new PveClient({ baseUrl: silentUrl, timeoutMs: 300, retry: false, tls: { insecure: true } });
    const err = await pve.request("GET", "/version").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PveTimeoutError);
    await pve.close();
  }, 15_000);

  it("0, negative or non-finite timeouts are configuration errors", () => {
    for (const timeoutMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => new PveClient({ baseUrl: dripUrl, timeoutMs }), String(timeoutMs)).toThrow(/timeoutMs/);
  });
  it("and so is a per-call timeout of 0", async () => {
    const err = await new PveClient({ baseUrl: quickUrl }).request("GET", "/version", {}, { timeoutMs: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PveError);
    expect(err).toMatchObject({ code: "PVE_ERR_CONFIG" });
  });
});

describe("response size", () => {
  it("a response above maxResponseBytes fails with a clear error", async () => {
    const pve = new PveClient({ baseUrl: bigUrl, retry: false, maxResponseBytes: 1024 * 1024 });
    const err = await pve.request("GET", "/version").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PveError);
    expect(err).toMatchObject({ code: "PVE_ERR_RESPONSE_TOO_LARGE" });
    expect((err as Error).message).toMatch(/larger than 1048576 bytes.*maxResponseBytes/);
    await pve.close();
  });
  it("the default cap is documented and generous", async () => {
    expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(64 * 1024 * 1024);
    const pve = new PveClient({ baseUrl: bigUrl, retry: false });
    expect(((await pve.request("GET", "/version")) as unknown as string).length).toBe(3 * 1024 * 1024);
    await pve.close();
  });
  it("the fetch sender (msw) enforces it too", async () => {
    msw.use(http.get(`${API}/version`, () => HttpResponse.json({ data: "z".repeat(2048) })));
    const pve = new PveClient({ baseUrl: BASE, auth: TOKEN, fetch: (i, init) => fetch(i, init), maxResponseBytes: 1024 });
    await expect(pve.request("GET", "/version")).rejects.toMatchObject({ code: "PVE_ERR_RESPONSE_TOO_LARGE" });
  });
});

describe("path values that would change the path", () => {
  // `volume` has no format in the schema, so nothing but the path rule stops these
  it.each([".", "..", ""])("volume=%j is a validation error and nothing is sent", async (volume) => {
    const before = seenPaths.length;
    const pve = new PveClient({ baseUrl: quickUrl, retry: false });
    const err = await pve
      .request("DELETE", "/nodes/{node}/storage/{storage}/content/{volume}", { node: "pve1", storage: "local", volume })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PveValidationError);
    expect((err as PveValidationError).param).toBe("volume");
    expect(seenPaths.length).toBe(before);
  });
  it("a value with slashes and dots stays one encoded segment (PVE volume ids need that)", async () => {
    const pve = new PveClient({ baseUrl: quickUrl, retry: false });
    await pve.request("DELETE", "/nodes/{node}/storage/{storage}/content/{volume}", { node: "pve1", storage: "local", volume: "local:iso/../../x" });
    expect(seenPaths.at(-1)).toBe("/api2/json/nodes/pve1/storage/local/content/local%3Aiso%2F..%2F..%2Fx");
  });

  it("a concrete path with dot segments is refused, also with validation off", async () => {
    const before = seenPaths.length;
    const pve = new PveClient({ baseUrl: quickUrl, retry: false, validate: false });
    await expect(pve.requestRaw("DELETE", "/nodes/pve1/qemu/100/../../../access/users/x")).rejects.toBeInstanceOf(PveValidationError);
    await expect(pve.request("GET", "/nodes/{node}/qemu", { node: ".." })).rejects.toBeInstanceOf(PveValidationError);
    await expect(pve.requestRaw("GET", "/nodes/pve1/%2e%2e/%2E")).rejects.toBeInstanceOf(PveValidationError);
    expect(seenPaths.length).toBe(before);
  });
});

afterEach(() => msw.resetHandlers());

it("a wrong password costs one login attempt per request, not two", async () => {
  let logins = 0;
  msw.use(
    http.post(`${API}/access/ticket`, () => {
      logins++;
      return HttpResponse.json({ data: null }, { status: 401, statusText: "authentication failure" });
    }),
  );
  const pve = new PveClient({ baseUrl: BASE, auth: { username: "root@pam", password: "wrong-password" }, fetch: (i, init) => fetch(i, init) });
  await expect(pve.request("GET", "/version")).rejects.toBeInstanceOf(PveAuthError);
  expect(logins).toBe(1);
});
