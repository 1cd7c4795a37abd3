import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { PveClient } from "../../src/runtime/client";
import { PveError } from "../../src/runtime/errors";

// Finding 9 (runtime): credentials followed a plain http:// base URL with no warning.
const seen: IncomingMessage["headers"][] = [];
let url = "";
const server = createServer((req, res) => {
  seen.push(req.headers);
  res.writeHead(200, { "Content-Type": "application/json" }).end('{"data":{"version":"9.2.11"}}');
});
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const TOKEN = { tokenId: "automation@pve!ci", secret: "5f0c7e2a-1b2c-4d5e-8f90-a1b2c3d4e5f6" };

it("refuses to send credentials over plain http unless allowHttp is set", async () => {
  let err: unknown;
  try {
    const pve = new PveClient({ baseUrl: url, auth: TOKEN });
    await pve.request("GET", "/version");
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(PveError);
  expect(err).toMatchObject({ code: "PVE_ERR_CONFIG" });
  expect((err as Error).message).toMatch(/unencrypted.*allowHttp/s);
  expect(seen).toEqual([]);
});

it("sends them with allowHttp: true (a local test server), and anonymous requests need no opt-in", async () => {
  await new PveClient({ baseUrl: url, auth: TOKEN, allowHttp: true }).request("GET", "/version");
  expect(seen.at(-1)!.authorization).toBe(`PVEAPIToken=${TOKEN.tokenId}=${TOKEN.secret}`);
  await new PveClient({ baseUrl: url }).request("GET", "/version");
  expect(seen.at(-1)!.authorization).toBeUndefined();
});
