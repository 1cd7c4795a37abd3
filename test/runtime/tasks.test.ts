import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { PveError, PveNotFoundError, PveParamError, TaskFailedError, TaskTimeoutError } from "../../src/runtime/errors";
import { pollInterval } from "../../src/runtime/tasks";
import { parseUpid } from "../../src/runtime/upid";
import { fakeClock, type FakeClock } from "./helpers/fake-clock";
import { API, mswClient, useMsw } from "./helpers/msw-client";

const server = useMsw();
const UPID = "UPID:pve3:000A1B2C:0012D687:66000000:qmstart:100:automation@pve!ci:";

interface FakeTask {
  durationMs: number;
  exitstatus?: string;
  /** log lines and the virtual time (ms after start) each appears */
  log?: [number, string][];
  /** the UPID is unknown to the node for this long after start */
  invisibleMs?: number;
  /** how the node answers while the UPID is unknown (default: 500 "no such task") */
  invisibleAs?: "400" | "404" | "500";
  /** status polls answered with a failure instead, by poll number (1-based) */
  failPolls?: Record<number, "502" | "500" | "595" | "596" | "network">;
}

/** PVE's answer for an unknown UPID: a parameter exception (pve-manager PVE/API2/Tasks.pm, read_task_status). */
function unknownTask(kind: "400" | "404" | "500") {
  if (kind === "400") {
    return HttpResponse.json({ data: null, errors: { upid: "no such task" } }, { status: 400, statusText: "Parameter verification failed." });
  }
  if (kind === "404") return HttpResponse.json({ data: null }, { status: 404, statusText: `task '${UPID}' does not exist` });
  return HttpResponse.json({ data: null }, { status: 500, statusText: `no such task '${UPID}'` });
}

function failure(kind: "502" | "500" | "595" | "596" | "network") {
  if (kind === "network") return HttpResponse.error();
  const reason = { "502": "Bad Gateway", "500": "proxy loop detected", "595": "Connection refused", "596": "Connection timed out" }[kind];
  return HttpResponse.json({ data: null }, { status: Number(kind), statusText: reason });
}

/** Serves one task on virtual time: status and log endpoints on the UPID's node. */
function serveTask(clock: FakeClock, task: FakeTask) {
  const start = clock.now();
  const polls: { at: number; path: string }[] = [];
  const elapsed = () => clock.now() - start;
  const lines = () => (task.log ?? []).filter(([at]) => at <= elapsed()).map(([, t]) => t);
  server.use(
    http.get(`${API}/nodes/:node/tasks/:upid/status`, ({ params, request }) => {
      polls.push({ at: elapsed(), path: new URL(request.url).pathname });
      if (params.upid !== UPID) return HttpResponse.json({ data: null }, { status: 500, statusText: "bad upid" });
      const fail = task.failPolls?.[polls.length];
      if (fail) return failure(fail);
      if (elapsed() < (task.invisibleMs ?? 0)) return unknownTask(task.invisibleAs ?? "500");
      const done = elapsed() >= task.durationMs;
      const info = parseUpid(UPID);
      return HttpResponse.json({
        data: {
          ...info,
          pid: String(info.pid),
          status: done ? "stopped" : "running",
          ...(done ? { exitstatus: task.exitstatus ?? "OK" } : {}),
        },
      });
    }),
    http.get(`${API}/nodes/:node/tasks/:upid/log`, ({ request }) => {
      const url = new URL(request.url);
      const from = Number(url.searchParams.get("start") ?? 0);
      const limit = Number(url.searchParams.get("limit") ?? 50);
      const all = lines();
      const slice = all.slice(from, from + limit).map((t, i) => ({ n: from + i + 1, t }));
      return HttpResponse.json({ data: all.length ? slice : [{ n: 1, t: "no content" }], total: all.length || 1 });
    }),
  );
  return { polls };
}

describe("tasks.wait", () => {
  it("notices a 1.5 s task within 250 ms and 12 polls, on the UPID's node", async () => {
    const clock = fakeClock();
    const { polls } = serveTask(clock, { durationMs: 1500 });
    const start = clock.now();
    const result = await mswClient({ clock }).tasks.wait(UPID);
    expect(result).toMatchObject({ upid: UPID, node: "pve3", exitstatus: "OK", warnings: 0 });
    expect(result.status.pid).toBe(parseUpid(UPID).pid);
    const late = clock.now() - start - 1500;
    expect(late).toBeGreaterThanOrEqual(0);
    expect(late).toBeLessThanOrEqual(250);
    expect(polls.length).toBeLessThanOrEqual(12);
    expect(new Set(polls.map((p) => p.path))).toEqual(new Set([`/api2/json/nodes/pve3/tasks/${encodeURIComponent(UPID)}/status`]));
  });

  it("polls fast at first and backs off to a few seconds", async () => {
    const clock = fakeClock();
    serveTask(clock, { durationMs: 120_000 });
    await mswClient({ clock }).tasks.wait(UPID);
    expect(clock.sleeps[0]).toBe(150);
    expect(Math.max(...clock.sleeps)).toBe(3000);
    for (let i = 1; i < clock.sleeps.length; i++) expect(clock.sleeps[i]).toBeGreaterThanOrEqual(clock.sleeps[i - 1]!);
    // ~30 polls ramping up over the first 21 s, then one every 3 s; fixed 1 s polling would need 120
    expect(clock.sleeps.length).toBeLessThan(70);
  });

  it("treats WARNINGS: n as success with warnings", async () => {
    const clock = fakeClock();
    serveTask(clock, { durationMs: 400, exitstatus: "WARNINGS: 2" });
    await expect(mswClient({ clock }).tasks.wait(UPID)).resolves.toMatchObject({ exitstatus: "WARNINGS: 2", warnings: 2 });
  });

  it("raises TaskFailedError with the exit status and the log tail", async () => {
    const clock = fakeClock();
    const log: [number, string][] = Array.from({ length: 80 }, (_, i) => [0, `line ${i + 1}`]);
    log.push([0, "TASK ERROR: start failed: QEMU exited with code 1"]);
    serveTask(clock, { durationMs: 300, exitstatus: "start failed: QEMU exited with code 1", log });
    const err = (await mswClient({ clock }).tasks.wait(UPID).catch((e: unknown) => e)) as TaskFailedError;
    expect(err).toBeInstanceOf(TaskFailedError);
    expect(err.code).toBe("PVE_ERR_TASK_FAILED");
    expect(err.upid).toBe(UPID);
    expect(err.exitstatus).toBe("start failed: QEMU exited with code 1");
    expect(err.logTail).toHaveLength(20);
    expect(err.logTail.at(-1)).toBe("TASK ERROR: start failed: QEMU exited with code 1");
    expect(err.logTail[0]).toBe("line 62");
    expect(err.message).toContain("TASK ERROR: start failed");
  });

  it("raises TaskTimeoutError at the deadline without sleeping past it", async () => {
    const clock = fakeClock();
    serveTask(clock, { durationMs: 60_000 });
    const start = clock.now();
    const err = await mswClient({ clock }).tasks.wait(UPID, { timeoutMs: 5000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TaskTimeoutError);
    expect((err as TaskTimeoutError).timeoutMs).toBe(5000);
    expect(clock.now() - start).toBe(5000);
  });

  it("tolerates a fresh UPID that the node does not know yet", async () => {
    const clock = fakeClock();
    const { polls } = serveTask(clock, { durationMs: 1000, invisibleMs: 400 });
    await expect(mswClient({ clock }).tasks.wait(UPID)).resolves.toMatchObject({ exitstatus: "OK" });
    expect(polls.filter((p) => p.at < 400).length).toBeGreaterThan(0);
  });

  it("gives up on a UPID that stays unknown past the grace period", async () => {
    const clock = fakeClock();
    serveTask(clock, { durationMs: 1000, invisibleMs: Infinity });
    const err = await mswClient({ clock }).tasks.wait(UPID, { notFoundGraceMs: 2000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PveNotFoundError);
  });

  for (const kind of ["400", "404", "500"] as const) {
    it(`treats a ${kind} "no such task" / "does not exist" for a fresh UPID as not visible yet`, async () => {
      const clock = fakeClock();
      const { polls } = serveTask(clock, { durationMs: 1000, invisibleMs: 400, invisibleAs: kind });
      await expect(mswClient({ clock }).tasks.wait(UPID)).resolves.toMatchObject({ exitstatus: "OK" });
      expect(polls.filter((p) => p.at < 400).length).toBeGreaterThan(0);
    });
  }

  it("raises PVE's 400 for a UPID that stays unknown past the grace period", async () => {
    const clock = fakeClock();
    serveTask(clock, { durationMs: 1000, invisibleMs: Infinity, invisibleAs: "400" });
    const err = await mswClient({ clock }).tasks.wait(UPID, { notFoundGraceMs: 2000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PveParamError);
    expect((err as PveParamError).errors).toEqual({ upid: "no such task" });
  });

  for (const kind of ["500", "502", "595", "596", "network"] as const) {
    it(`retries a status poll that fails transiently (${kind}) mid-wait instead of failing the wait`, async () => {
      const clock = fakeClock();
      // polls 3 and 4 fail (both attempts when the transport retries a 502), well after the grace period
      const { polls } = serveTask(clock, { durationMs: 60_000, failPolls: { 3: kind, 4: kind } });
      const client = mswClient({ clock, retry: false });
      await expect(client.tasks.wait(UPID, { notFoundGraceMs: 0 })).resolves.toMatchObject({ exitstatus: "OK" });
      expect(polls.length).toBeGreaterThan(4);
    });
  }

  it("still ends at the deadline when every poll fails", async () => {
    const clock = fakeClock();
    const fail = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [i + 1, "502" as const]));
    serveTask(clock, { durationMs: 1000, failPolls: fail });
    const err = await mswClient({ clock, retry: false }).tasks.wait(UPID, { timeoutMs: 20_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TaskTimeoutError);
  });

  it("does not retry a poll that failed for a non-transient reason (403)", async () => {
    const clock = fakeClock();
    server.use(http.get(`${API}/nodes/:node/tasks/:upid/status`, () => HttpResponse.json({ data: null }, { status: 403, statusText: "Permission check failed" })));
    const err = await mswClient({ clock }).tasks.wait(UPID).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PveError);
    expect((err as PveError).status).toBe(403);
  });

  it("reports every log line once, in order, through onLog", async () => {
    const clock = fakeClock();
    const log: [number, string][] = [
      [0, "starting"],
      [200, "step 1"],
      [200, "step 2"],
      [900, "step 3"],
      [1000, "TASK OK"],
    ];
    serveTask(clock, { durationMs: 1000, log });
    const lines: string[] = [];
    await mswClient({ clock }).tasks.wait(UPID, { onLog: (l) => lines.push(l) });
    expect(lines).toEqual(log.map(([, t]) => t));
  });

  it("stops waiting when the signal aborts", async () => {
    const clock = fakeClock();
    serveTask(clock, { durationMs: 10_000 });
    const controller = new AbortController();
    controller.abort();
    const err = (await mswClient({ clock }).tasks.wait(UPID, { signal: controller.signal }).catch((e: unknown) => e)) as PveError;
    expect(err.code).toBe("PVE_ERR_ABORTED");
  });
});

describe("tasks.status, log and follow", () => {
  it("status decodes numbers; log returns lines and total, empty logs as empty", async () => {
    const clock = fakeClock();
    serveTask(clock, { durationMs: 0, log: [[0, "a"], [0, "b"], [0, "c"]] });
    const pve = mswClient({ clock });
    const status = await pve.tasks.status(UPID);
    expect(status).toMatchObject({ status: "stopped", exitstatus: "OK", pid: parseUpid(UPID).pid, node: "pve3" });
    expect(await pve.tasks.log(UPID, { start: 1, limit: 1 })).toEqual({ lines: ["b"], total: 3 });
  });

  it("log of an empty task log is empty", async () => {
    const clock = fakeClock();
    serveTask(clock, { durationMs: 0 });
    expect(await mswClient({ clock }).tasks.log(UPID)).toEqual({ lines: [], total: 0 });
  });

  it("follow yields new lines until the task stops and returns the final status", async () => {
    const clock = fakeClock();
    serveTask(clock, { durationMs: 2000, log: [[0, "one"], [500, "two"], [1500, "three"], [2000, "TASK OK"]] });
    const it = mswClient({ clock }).tasks.follow(UPID);
    const lines: string[] = [];
    let next = await it.next();
    while (!next.done) {
      lines.push(next.value);
      next = await it.next();
    }
    expect(lines).toEqual(["one", "two", "three", "TASK OK"]);
    expect(next.value).toMatchObject({ status: "stopped", exitstatus: "OK" });
  });

  it("rejects a malformed UPID before any request", async () => {
    await expect(mswClient().tasks.wait("not-a-upid")).rejects.toThrow(/not a task id/);
  });
});

describe("pollInterval", () => {
  it("grows with elapsed time between its bounds", () => {
    expect(pollInterval(0)).toBe(150);
    expect(pollInterval(1400)).toBe(200);
    expect(pollInterval(7000)).toBe(1000);
    expect(pollInterval(600_000)).toBe(3000);
    expect(pollInterval(0, { minIntervalMs: 500, maxIntervalMs: 800 })).toBe(500);
    expect(pollInterval(60_000, { minIntervalMs: 500, maxIntervalMs: 800 })).toBe(800);
  });
});
