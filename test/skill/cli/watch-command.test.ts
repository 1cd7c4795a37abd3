import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { Clock } from "../../../src/runtime/clock";
import type { SimRequest } from "../../../src/testing/simulator";
import { runCli } from "../helpers/run-cli";
import { startSimSkill, type SimSkill } from "../helpers/sim-skill";

// watch and --exec as a user runs them. The simulator's clock is manual: the injected clock's sleep
// is the poll loop's only wait, so what happens "between two polls" is decided by the test.

let m: SimSkill;
let out: string;
beforeAll(async () => {
  m = await startSimSkill({ clock: { mode: "manual" } });
});
afterAll(async () => m.close());
beforeEach(() => {
  m.sim.reset();
  out = mkdtempSync(join(tmpdir(), "pvekit-watch-"));
});
afterEach(() => rmSync(out, { recursive: true, force: true }));

/** A clock whose n-th sleep first runs `between[n]` (e.g. starts a task), then advances virtual time. */
function scriptedClock(between: Record<number, () => Promise<unknown>>, onSleep?: (n: number) => void): Clock {
  let n = 0;
  return {
    now: () => m.sim.clock.now(),
    random: () => 0.5,
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      n++;
      onSleep?.(n);
      if (signal?.aborted) throw signal.reason;
      await between[n]?.();
      m.sim.clock.advance(ms);
    },
  };
}

const startVm102 = () => m.pve.request("POST", "/nodes/{node}/qemu/{vmid}/status/start", { node: "pve2", vmid: 102 });
const lines = (text: string) => text.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

describe("watch", () => {
  test("--json sees a task start as one JSON line", async () => {
    const r = await runCli(["watch", "--json", "--count", "1", "--interval", "1"], m.env(), { clock: scriptedClock({ 1: startVm102 }) });
    expect(r.code).toBe(0);
    const events = lines(r.stdout);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ event: "task-start", vmid: 102, node: "pve2", task: "qmstart", upid: expect.stringMatching(/^UPID:pve2:.*:qmstart:102:/), time: expect.any(String) });
  });

  test("then the task's end with its exit status, and the guest's state change", async () => {
    const r = await runCli(["watch", "--json", "--count", "3", "--interval", "1"], m.env(), { clock: scriptedClock({ 1: startVm102 }) });
    expect(lines(r.stdout).map((e) => [e.event, e.vmid, e.exitstatus ?? e.status])).toEqual([
      ["task-start", 102, undefined],
      ["task-end", 102, "OK"],
      ["state", 102, "running"],
    ]);
    const human = await runCli(["watch", "--count", "1", "--interval", "1", "--vmid", "100-101"], m.env(), {
      clock: scriptedClock({ 1: () => m.pve.request("POST", "/nodes/{node}/qemu/{vmid}/status/stop", { node: "pve1", vmid: 101 }) }),
    });
    expect(human.stdout).toMatch(/^\S+ \[101@pve1\] task started: qmstop by root@pam!pvekit UPID:pve1:/);
  });

  test("a node going offline and coming back", async () => {
    const pve3 = () => m.sim.state.nodes.find((n) => n.name === "pve3")!;
    const clock = scriptedClock({
      1: async () => void (pve3().online = false),
      2: async () => void (pve3().online = true),
    });
    const r = await runCli(["watch", "--json", "--count", "2", "--interval", "1", "--node", "pve3"], m.env(), { clock });
    expect(lines(r.stdout).map((e) => [e.event, e.node])).toEqual([
      ["node-offline", "pve3"],
      ["node-online", "pve3"],
    ]);
  });

  test("--exec runs once per event with the event JSON on stdin and PVEKIT_EVENT_* variables, without pvekit's credentials", async () => {
    const hook = 'cat >> "$OUT/events.jsonl"; env > "$OUT/env-$PVEKIT_EVENT.txt"';
    const r = await runCli(["watch", "--count", "3", "--interval", "1", "--exec", hook], m.env({ OUT: out }), { clock: scriptedClock({ 1: startVm102 }) });
    expect(r.code).toBe(0);
    const events = lines(readFileSync(join(out, "events.jsonl"), "utf8"));
    expect(events.map((e) => e.event)).toEqual(["task-start", "task-end", "state"]);
    const env = readFileSync(join(out, "env-task-end.txt"), "utf8");
    expect(env).toMatch(/^PVEKIT_EVENT=task-end$/m);
    expect(env).toMatch(/^PVEKIT_EVENT_VMID=102$/m);
    expect(env).toMatch(/^PVEKIT_EVENT_NODE=pve2$/m);
    expect(env).toMatch(/^PVEKIT_EVENT_EXITSTATUS=OK$/m);
    expect(env).toMatch(/^PVEKIT_EVENT_UPID=UPID:pve2:/m);
    expect(env).not.toContain("PROXMOX_TOKEN_SECRET");
    expect(env).not.toContain(m.sim.credentials.token.secret);
    expect(env).toMatch(/^PROXMOX_TOKEN_ID=/m);
  });

  test("event data never reaches the command line", async () => {
    m.sim.state.guests.get(102)!.config.name = `x$(touch "${join(out, "pwned")}")\`touch ${join(out, "pwned2")}\``;
    const r = await runCli(["watch", "--count", "3", "--interval", "1", "--exec", 'cat >> "$OUT/events.jsonl"'], m.env({ OUT: out }), {
      clock: scriptedClock({ 1: startVm102 }),
    });
    expect(r.code).toBe(0);
    const state = lines(readFileSync(join(out, "events.jsonl"), "utf8")).find((e) => e.event === "state")!;
    expect(state.name).toContain("$(touch");
    expect(existsSync(join(out, "pwned"))).toBe(false);
    expect(existsSync(join(out, "pwned2"))).toBe(false);
  });

  test("a failing hook is reported and the watch goes on", async () => {
    const r = await runCli(["watch", "--count", "2", "--interval", "1", "--exec", "echo hook-said-this; exit 3"], m.env(), { clock: scriptedClock({ 1: startVm102 }) });
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n")).toHaveLength(2);
    expect(r.stderr).toContain("hook-said-this");
    expect(r.stderr).toMatch(/--exec command exited with 3/);
  });

  test("polling costs one /cluster/tasks and one /cluster/resources read per interval, however many guests", async () => {
    const template = m.sim.state.guests.get(102)!;
    for (let i = 0; i < 300; i++) m.sim.state.guests.set(1000 + i, { ...structuredClone(template), vmid: 1000 + i, node: `pve${1 + (i % 3)}` });
    const seen: string[] = [];
    const handle = m.sim.handle.bind(m.sim);
    m.sim.handle = (req: SimRequest) => {
      seen.push(`${req.method} ${req.path.replace("/api2/json", "")}`);
      return handle(req);
    };
    try {
      const ac = new AbortController();
      const r = await runCli(["watch", "--json", "--interval", "1"], m.env(), { clock: scriptedClock({}, (n) => n === 4 && ac.abort()), signal: ac.signal });
      expect(r.code).toBe(0); // interrupted: a normal end
      // four polls (the fourth wait is interrupted): two reads each, nothing per guest
      expect(seen.sort()).toEqual([...Array(4).fill("GET /cluster/resources"), ...Array(4).fill("GET /cluster/tasks")]);
    } finally {
      m.sim.handle = handle;
    }
  });

  test("bad flags are usage errors; a baseline that cannot be read fails the watch", async () => {
    expect((await runCli(["watch", "--interval", "0"], m.env())).code).toBe(2);
    expect((await runCli(["watch", "--vmid", "abc"], m.env())).code).toBe(2);
    expect((await runCli(["watch", "--exec", "true", "--exec-timeout", "-1"], m.env())).code).toBe(2);
    const denied = await runCli(["watch"], m.env({ PROXMOX_TOKEN_SECRET: "00000000-0000-0000-0000-000000000000" }), { clock: scriptedClock({}) });
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/Authentication failed/);
  });
});

describe("task --wait --exec", () => {
  let t: SimSkill;
  beforeAll(async () => {
    t = await startSimSkill();
  });
  afterAll(async () => t.close());

  test("runs the command once when the task has ended, with the task-end event", async () => {
    const started = await runCli(["start", "102", "--no-wait", "--mode", "operator", "--json", "--progress", "none"], t.env());
    const upid = (JSON.parse(started.stdout) as { upid: string }).upid;
    const r = await runCli(["task", upid, "--wait", "--json", "--exec", 'cat > "$OUT/task.json"; echo "$PVEKIT_EVENT_STATUS" > "$OUT/status"'], t.env({ OUT: out, PVEKIT_PROGRESS: "none" }));
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, "task.json"), "utf8"))).toMatchObject({ event: "task-end", vmid: 102, node: "pve2", upid, exitstatus: "OK", status: "ok" });
    expect(readFileSync(join(out, "status"), "utf8").trim()).toBe("ok");
    expect((await runCli(["task", upid, "--exec", "true"], t.env())).code).toBe(2);
  });

  test("a failed task still notifies, with its exit status", async () => {
    t.sim.fault("POST /nodes/pve3/qemu/103/status/start", { kind: "task-error", message: "boom" });
    const started = await runCli(["start", "103", "--no-wait", "--mode", "operator", "--json", "--progress", "none"], t.env());
    const upid = (JSON.parse(started.stdout) as { upid: string }).upid;
    const r = await runCli(["task", upid, "--wait", "--exec", 'cat > "$OUT/task.json"'], t.env({ OUT: out, PVEKIT_PROGRESS: "none" }));
    expect(r.code).toBe(1);
    expect(JSON.parse(readFileSync(join(out, "task.json"), "utf8"))).toMatchObject({ event: "task-end", exitstatus: "boom", status: "failed" });
  });
});
