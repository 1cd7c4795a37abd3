import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll } from "vitest";
import { PveClient, type PveClientOptions } from "../../../src/runtime/client";

export const BASE = "https://pve.test:8006";
export const API = `${BASE}/api2/json`;
export const TOKEN = { tokenId: "automation@pve!ci", secret: "5f0c7e2a-1b2c-4d5e-8f90-a1b2c3d4e5f6" };

/** An msw server for one test file: unhandled requests fail the test. */
export function useMsw(): ReturnType<typeof setupServer> {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}

/** A client whose requests go through the (msw-patched) global fetch. */
export function mswClient(options: Partial<PveClientOptions> = {}): PveClient {
  return new PveClient({
    baseUrl: BASE,
    auth: TOKEN,
    fetch: (input, init) => fetch(input, init),
    ...options,
  });
}
