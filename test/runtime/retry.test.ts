import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { PveConnectionError, PveError } from "../../src/runtime/errors";
import { backoffDelay, isRetryable, withRetry } from "../../src/runtime/retry";
import { fakeClock } from "./helpers/fake-clock";
import { API, mswClient, useMsw } from "./helpers/msw-client";

const server = useMsw();

/** Answers with the given failures first, then success; counts calls. */
function flaky(method: "get" | "post", path: string, failures: { status: number; statusText: string }[] | "network") {
  let calls = 0;
  server.use(
    http[method](`${API}${path}`, () => {
      calls++;
      if (failures === "network") return HttpResponse.error();
      const f = failures[calls - 1];
      return f ? HttpResponse.json({ data: null }, f) : HttpResponse.json({ data: { ok: 1 } });
    }),
  );
  return () => calls;
}

describe("GET retries", () => {
  it.each([
    [502, "Bad Gateway"],
    [503, "Service Unavailable"],
    [504, "Gateway Timeout"],
    [595, "No route to host"],
    [596, "Connection timed out"],
    [500, "can't lock file '/var/lock/qemu-server/lock-100.conf' - got timeout"],
  ])("retries %i %s with backoff, then succeeds", async (status, statusText) => {
    const calls = flaky("get", "/cluster/resources", [{ status, statusText }, { status, statusText }]);
    const clock = fakeClock();
    const data = await mswClient({ clock, retry: { retries: 2 } }).request("GET", "/cluster/resources");
    expect(data).toEqual({ ok: 1 });
    expect(calls()).toBe(3);
    expect(clock.sleeps).toEqual([backoffDelay(0, {}, 0.5), backoffDelay(1, {}, 0.5)]);
  });

  it("retries connection errors and gives up after the retry count", async () => {
    const calls = flaky("get", "/cluster/resources", "network");
    const clock = fakeClock();
    const err = await mswClient({ clock, retry: { retries: 3 } }).request("GET", "/cluster/resources").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PveConnectionError);
    expect(calls()).toBe(4);
    expect(clock.sleeps).toHaveLength(3);
  });

  it("does not retry other errors", async () => {
    const calls = flaky("get", "/cluster/resources", [{ status: 500, statusText: "VM 100 not running" }]);
    const clock = fakeClock();
    await expect(mswClient({ clock }).request("GET", "/cluster/resources")).rejects.toBeInstanceOf(PveError);
    expect(calls()).toBe(1);
  });

  it("stops at the overall deadline", async () => {
    const calls = flaky("get", "/cluster/resources", "network");
    const clock = fakeClock();
    const retry = { retries: 10, minDelayMs: 1000, maxDelayMs: 1000, maxElapsedMs: 2500 };
    await expect(mswClient({ clock, retry }).request("GET", "/cluster/resources")).rejects.toBeInstanceOf(PveConnectionError);
    // each delay is 750 ms (1000 ms step, half jittered at random 0.5): t=0, 750, 1500, 2250; 3000 is past the deadline
    expect(calls()).toBe(4);
    expect(clock.sleeps).toEqual([750, 750, 750]);
  });

  it("retry: false sends once", async () => {
    const calls = flaky("get", "/cluster/resources", [{ status: 503, statusText: "Service Unavailable" }]);
    await expect(mswClient({ retry: false, clock: fakeClock() }).request("GET", "/cluster/resources")).rejects.toBeInstanceOf(PveError);
    expect(calls()).toBe(1);
  });
});

describe("mutations are never re-sent", () => {
  it.each([
    [[{ status: 503, statusText: "Service Unavailable" }]],
    [[{ status: 595, statusText: "No route to host" }]],
    ["network" as const],
  ])("POST fails at once on %j", async (failures) => {
    const calls = flaky("post", "/nodes/:node/qemu/:vmid/status/start", failures);
    const clock = fakeClock();
    const pve = mswClient({ clock, retry: { retries: 5 } });
    await expect(pve.api.nodes.$("pve1").qemu.$(100).status.start.$post()).rejects.toBeInstanceOf(PveError);
    expect(calls()).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });
});

describe("backoff", () => {
  it("grows exponentially with jitter within the cap", () => {
    const opts = { minDelayMs: 100, maxDelayMs: 1000 };
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffDelay(n, opts, 0))).toEqual([50, 100, 200, 400, 500, 500]);
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffDelay(n, opts, 0.999))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it("classifies retryable errors", () => {
    expect(isRetryable(new PveConnectionError("x"))).toBe(true);
    expect(isRetryable(new PveError("x", "PVE_ERR_HTTP", { status: 503 }))).toBe(true);
    expect(isRetryable(new PveError("x", "PVE_ERR_LOCKED", { status: 500 }))).toBe(true);
    expect(isRetryable(new PveError("x", "PVE_ERR_HTTP", { status: 500 }))).toBe(false);
    expect(isRetryable(new Error("x"))).toBe(false);
  });

  it("stops when the signal aborts", async () => {
    const controller = new AbortController();
    let calls = 0;
    const attempt = async () => {
      calls++;
      controller.abort();
      throw new PveConnectionError("down");
    };
    await expect(withRetry(attempt, { retries: 5 }, fakeClock(), controller.signal)).rejects.toBeInstanceOf(PveConnectionError);
    expect(calls).toBe(1);
  });
});
