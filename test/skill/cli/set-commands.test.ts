import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { ProgressEvent } from "../../../src/skill/progress/events";
import { runCli } from "../helpers/run-cli";
import { startSimSkill, type SimSkill } from "../helpers/sim-skill";

// The fleet commands as a user and an agent run them: argv in, exit code and stdout/stderr out.

let t: SimSkill;
beforeAll(async () => {
  t = await startSimSkill();
});
afterAll(async () => t.close());
beforeEach(() => t.sim.reset());

const cli = (argv: string[], extra: NodeJS.ProcessEnv = {}) => runCli(argv, t.env({ PVEKIT_PROGRESS: "none", ...extra }));
const json = <T = Record<string, unknown>>(text: string): T => JSON.parse(text) as T;
interface Results {
  status: string;
  counts: Record<string, number>;
  results: { vmid: number; node: string; type: string; outcome: string; upid?: string; exitstatus?: string; error?: string; logTail?: string[] }[];
}

describe("targets on the command line", () => {
  test("several VMIDs, a range and selectors; exclude; --json results per guest", async () => {
    const r = await cli(["start", "100", "102-103", "201", "--mode", "operator", "--json"]);
    expect(r.code).toBe(0);
    const out = json<Results>(r.stdout);
    expect(out.status).toBe("done");
    expect(out.results.map((x) => [x.vmid, x.outcome])).toEqual([
      [100, "noop"],
      [102, "ok"],
      [103, "ok"],
      [201, "ok"],
    ]);
    expect(Object.keys(out.results[1]!)).toEqual(expect.arrayContaining(["vmid", "node", "type", "outcome", "upid", "exitstatus"]));
    t.sim.reset();
    const sel = await cli(["start", "--type", "qemu", "--status", "stopped", "--exclude", "103", "--mode", "operator", "--json"]);
    expect(json<Results>(sel.stdout).results.map((x) => x.vmid)).toEqual([102]);
    const nodes = await cli(["start", "--node", "pve2", "--node", "pve3", "--dry-run", "--mode", "operator", "--json"]);
    const plan = json<{ status: string; plan: { guests: { vmid: number }[] } }>(nodes.stdout);
    expect(plan.status).toBe("planned");
    expect(plan.plan.guests.map((g) => g.vmid)).toEqual([102, 103, 201]);
  });

  test("one VMID keeps the one-guest answer; a trailing word is the snapshot name or the pool", async () => {
    const one = await cli(["snapshot", "100", "s1", "--mode", "operator", "--json"]);
    expect(json(one.stdout)).toMatchObject({ status: "done", target: "qemu/100 (web01) on pve1", changes: [expect.stringMatching(/^snapshot s1: created/)] });
    const many = await cli(["snapshot", "100", "101", "s2", "--mode", "operator", "--json"]);
    expect(json<Results>(many.stdout).counts.ok).toBe(2);
    const named = await cli(["snapshot", "--pool", "production", "--name", "s3", "--mode", "operator", "--json"]);
    expect(json<Results>(named.stdout).results.map((x) => [x.vmid, x.outcome])).toEqual([
      [100, "ok"],
      [101, "ok"],
      [200, "ok"],
    ]);
    expect(t.sim.state.guests.get(200)!.snapshots.map((s) => s.name)).toEqual(["s3"]);
    const pooled = await cli(["pool", "102", "103", "production", "--mode", "operator", "--json"]);
    expect(json<Results>(pooled.stdout).counts.ok).toBe(2);
    expect(t.sim.state.guests.get(103)!.pool).toBe("production");
  });

  test("usage errors: no targets, a word that is not a VMID, a bad range", async () => {
    for (const argv of [["shutdown"], ["shutdown", "100", "web"], ["shutdown", "110-100"], ["shutdown", "--all", "--parallel", "0"]]) {
      const r = await cli([...argv, "--mode", "operator"]);
      expect(r.code, argv.join(" ")).toBe(2);
    }
    expect((await cli(["shutdown", "--mode", "operator"])).stderr).toMatch(/Missing targets for shutdown: which guests\?/);
    const bulk = await cli(["suspend", "--all", "--bulk", "--mode", "operator"]);
    expect(bulk.code).toBe(2);
    expect(bulk.stderr).toMatch(/--bulk: PVE has no per-node bulk endpoint that does what suspend does/);
  });

  test("help shows the targets and the selection flags", async () => {
    const r = await cli(["shutdown", "--help"]);
    expect(r.stdout).toMatch(/Usage: pvekit shutdown \[options\] \[targets\.\.\.\]/);
    for (const flag of ["--all", "--node <node>", "--pool <pool>", "--tag <tag>", "--type <type>", "--status <status>", "--exclude <vmids>", "--parallel <n>", "--per-node <n>", "--progress <mode>"])
      expect(r.stdout).toContain(flag);
  });
});

describe("one plan and one token for a destructive or disruptive set", () => {
  test("stop --all: exit 3 with the plan of every guest; the same command with the token stops exactly them", async () => {
    const first = await cli(["stop", "--all", "--mode", "admin", "--json"]);
    expect(first.code).toBe(3);
    const c = json<{ status: string; confirmToken: string; plan: { target: string; guests: { vmid: number; status: string; action: string; noop?: string }[] } }>(first.stdout);
    expect(c.status).toBe("confirmation-required");
    expect(c.plan.target).toBe("6 guests: 100-103,200-201");
    expect(c.plan.guests.filter((g) => !g.noop).map((g) => g.vmid)).toEqual([100, 101, 200]);
    const human = await cli(["stop", "--all", "--mode", "admin"]);
    expect(human.stdout).toMatch(/\| 102 +\| test-vm +\| qemu +\| pve2 +\| stopped +\| no-op: it is already stopped +\|/);
    expect(human.stdout).toMatch(/pvekit stop --all --mode admin --confirm \S+/);
    const run = await cli(["stop", "--all", "--mode", "admin", "--json", "--confirm", c.confirmToken]);
    expect(run.code).toBe(0);
    expect(json<Results>(run.stdout).counts).toMatchObject({ ok: 3, noop: 3, failed: 0 });
    expect([...t.sim.state.guests.values()].every((g) => g.status === "stopped")).toBe(true);
  });

  test("a token for one set does not run another", async () => {
    const c = json<{ confirmToken: string }>((await cli(["stop", "--node", "pve1", "--mode", "admin", "--json"])).stdout);
    const other = await cli(["stop", "100", "101", "--mode", "admin", "--json", "--confirm", c.confirmToken]);
    expect(other.code).toBe(3);
    expect(json(other.stdout)).toMatchObject({ reason: expect.stringMatching(/different/) });
    expect(t.sim.state.guests.get(100)!.status).toBe("running");
  });
});

describe("allow-lists refuse the whole set", () => {
  test("exit 4, nothing runs, the message names the guests and suggests --exclude", async () => {
    const r = await cli(["start", "--all", "--mode", "operator"], { PROXMOX_ALLOWED_NODES: "pve1,pve2" });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/Refused by allow-list: nothing was run/);
    expect(r.stderr).toMatch(/Node "pve3" is not in the allowed nodes/);
    expect(r.stderr).toMatch(/--exclude 103/);
    expect(t.sim.state.guests.get(102)!.status).toBe("stopped");
    const ok = await cli(["start", "--all", "--exclude", "103", "--mode", "operator", "--json"], { PROXMOX_ALLOWED_NODES: "pve1,pve2" });
    expect(ok.code).toBe(0);
  });
});

describe("partial failure", () => {
  test("one guest's task fails: exit 1, it is reported with its log tail, the others are done", async () => {
    t.sim.fault("POST /nodes/pve3/qemu/103/status/start", { kind: "task-error", message: "start failed: QEMU exited with code 1" });
    const r = await cli(["start", "102", "103", "201", "--mode", "operator", "--json"]);
    expect(r.code).toBe(1);
    const out = json<Results>(r.stdout);
    expect(out.status).toBe("done");
    expect(out.results.map((x) => [x.vmid, x.outcome])).toEqual([
      [102, "ok"],
      [103, "failed"],
      [201, "ok"],
    ]);
    expect(out.results[1]).toMatchObject({ exitstatus: "start failed: QEMU exited with code 1", logTail: ["TASK ERROR: start failed: QEMU exited with code 1"] });
    expect(t.sim.state.guests.get(201)!.status).toBe("running");
    t.sim.reset();
    t.sim.fault("POST /nodes/pve3/qemu/103/status/start", { kind: "task-error", message: "start failed: QEMU exited with code 1" });
    const human = await cli(["start", "102", "103", "--mode", "operator"]);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/^start: 1 ok, 1 failed \(2 guests\)/);
    expect(human.stdout).toMatch(/qemu\/103 \(win11\) on pve3 failed: TaskFailedError/);
    expect(human.stdout).toMatch(/Task log \(last lines\):\n +TASK ERROR: start failed/);
  });
});

describe("stopping a set", () => {
  test("an interrupt stops starting guests; the running one finishes; the rest are reported as not started (exit 1)", async () => {
    const ac = new AbortController();
    const clock = { ...t.sim.clientClock, sleep: async (ms: number, s?: AbortSignal) => (ac.abort(), t.sim.clientClock.sleep(ms, s)) };
    const r = await runCli(["start", "102", "103", "201", "--parallel", "1", "--mode", "operator", "--json"], t.env({ PVEKIT_PROGRESS: "none" }), { clock, signal: ac.signal });
    expect(r.code).toBe(1);
    const out = json<Results & { results: { reason?: string }[] }>(r.stdout);
    expect(out.results.map((x) => [x.vmid, x.outcome])).toEqual([
      [102, "ok"],
      [103, "skipped"],
      [201, "skipped"],
    ]);
    expect(out.results[1]!.reason).toBe("not started: the run was stopped");
    expect(t.sim.state.guests.get(103)!.status).toBe("stopped");
  });
});

describe("--progress", () => {
  test("plain lines in a pipe name the guest of each line; stdout keeps the one result", async () => {
    const r = await cli(["start", "102", "103", "--mode", "operator", "--json"], { PVEKIT_PROGRESS: "plain" });
    expect(r.stderr).toMatch(/^start: 2 guest\(s\), 2 to act$/m);
    expect(r.stderr).toMatch(/^\[103@pve3\] task finished: OK$/m);
    expect(r.stderr).toMatch(/^\[102@pve2\] ok$/m);
    expect(json<Results>(r.stdout).counts.ok).toBe(2);
  });

  test("a live status block on a terminal for a set", async () => {
    const r = await runCli(["start", "102", "103", "--mode", "operator"], t.env({ NO_COLOR: "1" }), { tty: true });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/start: \d\/2 done · \d running/);
    expect(r.stderr).toContain("\u001b[J"); // redrawn in place
  });
});

describe("--progress json during a real-time task", () => {
  let m: SimSkill;
  beforeAll(async () => {
    m = await startSimSkill({ clock: { mode: "manual" } });
  });
  afterAll(async () => m.close());

  // the simulator's vzdump writes QEMU's status lines ("INFO:  30% (9.6 GiB of 32.0 GiB) in 3s, …") as virtual time passes
  test("task-start, task-log lines with percentages while the backup runs, then task-end; stdout keeps the result", async () => {
    const r = await runCli(["backup", "100", "--storage", "local", "--mode", "operator", "--json", "--progress", "json"], m.env(), { clock: m.sim.clientClock });
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toMatchObject({ status: "done", summary: expect.stringMatching(/^Backup of VM 100 written to local:backup\/vzdump-qemu-100-/) });
    const events = r.stderr
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as ProgressEvent);
    const kinds = events.map((e) => e.event);
    expect(kinds[0]).toBe("task-start");
    expect(kinds.at(-1)).toBe("task-end");
    const percents = events.flatMap((e) => (e.event === "task-log" && e.percent !== undefined ? [e.percent] : []));
    expect(percents.length).toBeGreaterThan(3);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    for (const e of events) expect(e).toMatchObject({ vmid: 100, node: "pve1", time: expect.any(String) });
    expect(events[0]).toMatchObject({ upid: expect.stringMatching(/^UPID:pve1:.*:vzdump:100:/), task: "vzdump" });
    expect(events.at(-1)).toMatchObject({ exitstatus: "OK", status: "ok" });
    // progress lines arrived before the task ended
    const end = kinds.lastIndexOf("task-end");
    expect(kinds.indexOf("task-log")).toBeLessThan(end);
  });

  test("a full clone and a live migration report percentages from PVE's own copy and migration lines", async () => {
    m.sim.reset();
    const percentsOf = (stderr: string) =>
      stderr
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as ProgressEvent)
        .flatMap((e) => (e.event === "task-log" && e.percent !== undefined ? [e.percent] : []));
    const clone = await runCli(["clone", "102", "--newid", "150", "--full", "--mode", "operator", "--json", "--progress", "json"], m.env(), { clock: m.sim.clientClock });
    expect(clone.code).toBe(0);
    const copied = percentsOf(clone.stderr); // qemu-img convert: "transferred 8.0 GiB of 16.0 GiB (50.00%)"
    expect(copied.at(-1)).toBe(100);
    expect(copied).toEqual([...copied].sort((a, b) => a - b));
    const first = await runCli(["migrate", "100", "--target", "pve2", "--mode", "admin", "--json"], m.env(), { clock: m.sim.clientClock });
    const token = json<{ confirmToken: string }>(first.stdout).confirmToken;
    const moved = await runCli(["migrate", "100", "--target", "pve2", "--mode", "admin", "--json", "--progress", "json", "--confirm", token], m.env(), { clock: m.sim.clientClock });
    expect(moved.code).toBe(0);
    // drive mirror of the local disk, then "migration active, transferred 1.0 GiB of 4.0 GiB VM-state"
    expect(percentsOf(moved.stderr).length).toBeGreaterThan(3);
    expect(m.sim.state.guests.get(100)!.node).toBe("pve2");
  });

  test("task <upid> --wait --progress json follows a task started with --no-wait", async () => {
    m.sim.reset();
    const started = await runCli(["backup", "101", "--storage", "local", "--no-wait", "--mode", "operator", "--json", "--progress", "none"], m.env(), { clock: m.sim.clientClock });
    const upid = json<{ upid: string }>(started.stdout).upid;
    expect(upid).toMatch(/:vzdump:101:/);
    const r = await runCli(["task", upid, "--wait", "--json", "--progress", "json"], m.env(), { clock: m.sim.clientClock });
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toMatchObject({ upid, status: "stopped", exitstatus: "OK" });
    const events = r.stderr.trim().split("\n").map((l) => JSON.parse(l) as ProgressEvent);
    expect(events.some((e) => e.event === "task-log" && e.percent !== undefined)).toBe(true);
    expect(events.at(-1)).toMatchObject({ event: "task-end", vmid: 101, exitstatus: "OK" });
  });
});
