import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { operations } from "../../src/skill/operations";
import { runCli } from "./helpers/run-cli";
import { startSimSkill, type SimSkill } from "./helpers/sim-skill";

let t: SimSkill;
beforeAll(async () => {
  t = await startSimSkill();
});
afterAll(async () => t.close());
beforeEach(() => t.sim.reset());

const cli = (argv: string[], extra: NodeJS.ProcessEnv = {}, opts: { tty?: boolean } = {}) => runCli(argv, t.env(extra), opts);

describe("output", () => {
  test("human tables are Markdown pipe tables", async () => {
    const r = await cli(["guests"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^\| vmid +\| name +\| type +\| node +\| status/);
    expect(lines[1]).toMatch(/^\| -+ \| -+ \|/);
    expect(lines.find((l) => l.startsWith("| 100 "))).toMatch(/\| web01 +\| qemu +\| pve1 +\| running/);
  });

  test("--json prints one JSON value", async () => {
    const r = await cli(["guests", "--type", "lxc", "--json"]);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { vmid: number; type: string }[];
    expect(rows.map((g) => g.vmid)).toEqual([200, 201]);
  });

  test("colour only on a terminal and never with NO_COLOR", async () => {
    const colored = await cli(["start", "102", "--mode", "operator"], { NO_COLOR: "" }, { tty: true });
    expect(colored.stdout).toContain("\u001b[");
    t.sim.reset();
    const plain = await cli(["start", "102", "--mode", "operator"], { NO_COLOR: "1" }, { tty: true });
    expect(plain.stdout).not.toContain("\u001b[");
    expect(plain.stdout).toMatch(/status: stopped → running/);
  });

  test("progress goes to stderr: the task log on a terminal, plain lines in a pipe, nothing with --progress none", async () => {
    const tty = await cli(["start", "102", "--mode", "operator"], {}, { tty: true });
    expect(tty.stderr).toContain("  TASK OK");
    t.sim.reset();
    // issue #12: a pipe (CI, cron, an agent) sees progress too, as plain lines
    const pipe = await cli(["start", "102", "--mode", "operator"]);
    expect(pipe.stderr).toMatch(/^\[102@pve2\] task started: qmstart UPID:pve2:/m);
    expect(pipe.stderr).toMatch(/^\[102@pve2\] task finished: OK$/m);
    expect(pipe.stdout).toMatch(/status: stopped → running/);
    expect(pipe.stdout).not.toContain("task started");
    t.sim.reset();
    expect((await cli(["start", "102", "--mode", "operator", "--progress", "none"])).stderr).toBe("");
    t.sim.reset();
    expect((await cli(["start", "102", "--mode", "operator"], { PVEKIT_PROGRESS: "none" })).stderr).toBe("");
    expect((await cli(["guests"], { PVEKIT_PROGRESS: "sideways" })).code).toBe(0); // read commands do not look at it
    const bad = await cli(["start", "102", "--mode", "operator"], { PVEKIT_PROGRESS: "sideways" });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Unknown progress mode "sideways"/);
  });
});

describe("exit codes", () => {
  test("0 done, 4 refused by mode, 2 usage", async () => {
    expect((await cli(["start", "102", "--mode", "operator"])).code).toBe(0);
    const refused = await cli(["shutdown", "102"]);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/Refused: shutdown is a reversible operation .* needs mode operator/);
    expect((await cli(["start"])).code).toBe(2);
    expect((await cli(["start", "abc", "--mode", "operator"])).code).toBe(2);
    expect((await cli(["no-such-command"])).code).toBe(2);
    expect((await cli(["guests", "--mode", "root"])).code).toBe(2);
  });

  test("1 for API failures, 4 for allow-lists", async () => {
    const missing = await cli(["guest", "4242"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/No VM or container with VMID 4242/);
    const outside = await cli(["start", "102", "--mode", "operator"], { PROXMOX_ALLOWED_VMIDS: "200-299" });
    expect(outside.code).toBe(4);
    expect(outside.stderr).toMatch(/allow-list/);
  });

  test("missing configuration is a usage error that says where to set it", async () => {
    const r = await runCli(["guests"], { PATH: process.env.PATH, HOME: t.stateDir, PVEKIT_STATE_DIR: t.stateDir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/PROXMOX_HOST/);
  });

  test("--json errors are one object too", async () => {
    const r = await cli(["shutdown", "100", "--json"]);
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: "refused", exitCode: 4, error: { name: "PolicyRefusedError" } });
  });
});

describe("confirmation flow", () => {
  test("plan and token (3), then --confirm runs it (0), a second use asks again (3)", async () => {
    const plan = await cli(["stop", "101", "--mode", "admin"]);
    expect(plan.code).toBe(3);
    expect(plan.stdout).toMatch(/Confirmation required \(destructive\): Stop guest \(hard\): VM 101 \(db01\) on pve1/);
    const token = /--confirm (\S+)/.exec(plan.stdout)![1]!;
    expect(plan.stdout).toContain(`pvekit stop 101 --mode admin --confirm ${token}`);
    expect(t.sim.state.guests.get(101)!.status).toBe("running");
    const run = await cli(["stop", "101", "--mode", "admin", "--confirm", token]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/status: running → stopped/);
    t.sim.state.guests.get(101)!.status = "running";
    const reuse = await cli(["stop", "101", "--mode", "admin", "--confirm", token]);
    expect(reuse.code).toBe(3);
    expect(reuse.stdout).toMatch(/already used/);
  });

  test("with --json the answer is one confirmation object", async () => {
    const r = await cli(["delsnapshot", "100", "pre-upgrade", "--mode", "admin", "--json"]);
    expect(r.code).toBe(3);
    const body = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(body).toMatchObject({ status: "confirmation-required", plan: { operation: "delsnapshot", tier: "destructive" } });
    expect(typeof body.confirmToken).toBe("string");
  });

  test("the audit log goes where --audit-log says", async () => {
    const file = join(t.stateDir, "cli-audit.log");
    await cli(["start", "102", "--mode", "operator", "--audit-log", file]);
    const entry = JSON.parse(readFileSync(file, "utf8").trim().split("\n").at(-1)!) as Record<string, unknown>;
    expect(entry).toMatchObject({ operation: "start", outcome: "ok", mode: "operator", user: "root@pam!pvekit" });
  });
});

describe("commands", () => {
  test.each(operations.map((op) => op.name))("%s --help", async (name) => {
    const r = await cli([name, "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: pvekit ${name}`);
    expect(r.stdout).toMatch(/Tier: /);
  });

  test.each(["usage", "schema", "sim", "demo", "mcp"])("%s --help", async (name) => {
    const r = await cli([name, "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: pvekit ${name}`);
  });

  test("usage shows an endpoint's parameters from the schema, offline", async () => {
    const r = await runCli(["usage", "/nodes/pve1/qemu/100/status/start"], { PATH: process.env.PATH });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^POST \/nodes\/\{node\}\/qemu\/\{vmid\}\/status\/start +\(returns a task UPID\)/);
    expect(r.stdout).toMatch(/\| vmid \(path\) +\| integer/);
    expect(r.stdout).toMatch(/\| timeout +\| integer/);
    // like pvesh usage: the method's description, permissions and each parameter's description
    expect(r.stdout).toContain("\nStart virtual machine.\n");
    expect(r.stdout).toContain('Permissions: ["perm","/vms/{vmid}",["VM.PowerMgmt"]]');
    expect(r.stdout).toContain("- skiplock: Ignore locks - only root is allowed to use this option.");
    const json = JSON.parse((await runCli(["usage", "/nodes/pve1/qemu/100/status/start", "--json"], {})).stdout);
    expect(json[0]).toMatchObject({ description: "Start virtual machine.", paramDescriptions: { timeout: "Wait maximal timeout seconds." } });
    expect((await runCli(["usage", "/nope"], {})).code).toBe(2);
  });

  test("api is pvesh-like", async () => {
    const r = await cli(["api", "get", "/cluster/resources", "type=vm", "--json"]);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as unknown[]).length).toBe(t.sim.state.guests.size);
    const table = await cli(["api", "get", "/nodes"]);
    expect(table.stdout).toMatch(/\| node +\|/);
  });

  test("create-vm takes key=value options", async () => {
    const r = await cli(["create-vm", "auto", "--node", "pve1", "name=cli-vm", "memory=1024", "--mode", "operator", "--json"]);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout) as { data: { vmid: number } };
    expect(t.sim.state.guests.get(body.data.vmid)?.config.name).toBe("cli-vm");
  });

  test("tag takes repeatable and comma-separated values", async () => {
    const r = await cli(["tag", "102", "--add", "a,b", "--add", "c", "--mode", "operator"]);
    expect(r.code).toBe(0);
    expect(t.sim.state.guests.get(102)?.config.tags).toBe("a;b;c");
  });

  test("task --wait --log follows a task started with --no-wait", async () => {
    const started = await cli(["start", "102", "--mode", "operator", "--no-wait", "--json"]);
    const upid = (JSON.parse(started.stdout) as { upid: string }).upid;
    const r = await cli(["task", upid, "--wait", "--log"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/TASK OK/);
  });

  test("schema subcommands exist", async () => {
    const r = await cli(["schema", "--help"]);
    expect(r.stdout).toMatch(/pull/);
    expect(r.stdout).toMatch(/diff/);
  });
});

test("demo runs the main job end to end", async () => {
  const r = await runCli(["demo"], { PATH: process.env.PATH, NO_COLOR: "1" });
  expect(r.code).toBe(0);
  for (const step of [
    "$ pvekit guests",
    "$ pvekit start",
    "status: stopped → running",
    "$ pvekit snapshot",
    "Confirmation required (destructive)",
    "status: running → stopped",
    "Demo finished.",
  ]) {
    expect(r.stdout).toContain(step);
  }
});
