import { http, HttpResponse } from "msw";
import { afterEach, describe, expect, it, vi } from "vitest";
import { debugEnabled, resolveLogger } from "../../src/runtime/logger";
import { API, TOKEN, mswClient, useMsw } from "./helpers/msw-client";

const server = useMsw();
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe("logging", () => {
  it("DEBUG=pvekit turns on the stderr log", () => {
    expect(debugEnabled({ DEBUG: "pvekit" })).toBe(true);
    expect(debugEnabled({ DEBUG: "express,pvekit" })).toBe(true);
    expect(debugEnabled({ DEBUG: "*" })).toBe(true);
    expect(debugEnabled({ DEBUG: "pvekitx" })).toBe(false);
    expect(debugEnabled({})).toBe(false);
    expect(resolveLogger(undefined, {}).debug).toBeUndefined();
  });

  it("logs verb, path, status and duration of each request, and nothing secret", async () => {
    vi.stubEnv("DEBUG", "pvekit");
    const written: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    server.use(http.post(`${API}/nodes/:node/qemu/:vmid/status/start`, () => HttpResponse.json({ data: "UPID:pve1:00001234:00ABCDEF:65000000:qmstart:100:root@pam:" })));
    await mswClient({ logger: undefined }).api.nodes.$("pve1").qemu.$(100).status.start.$post({ timeout: 30 });
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^pvekit POST \/nodes\/pve1\/qemu\/100\/status\/start 200 \d+ms\n$/);
    expect(written.join("")).not.toContain(TOKEN.secret);
    expect(written.join("")).not.toContain("timeout=30");
  });
});
