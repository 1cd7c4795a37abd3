import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { parseSince } from "../../../src/skill/operations/since";
import { runCli } from "../helpers/run-cli";
import { startSimSkill, type SimSkill } from "../helpers/sim-skill";

let t: SimSkill;
beforeAll(async () => {
  t = await startSimSkill();
});
afterAll(async () => t.close());
beforeEach(() => t.sim.reset());

const cli = (argv: string[], extra: NodeJS.ProcessEnv = {}) => runCli(argv, t.env(extra));
const start = async (node: string, vmid: number) => {
  const upid = String(await t.pve.request("POST", "/nodes/{node}/qemu/{vmid}/status/start", { node, vmid }));
  await t.pve.tasks.wait(upid);
  return upid;
};

describe("logs", () => {
  test("a node's journal lines, oldest first, without journald's cursors", async () => {
    const upid = await start("pve2", 102);
    const r = await cli(["logs", "--node", "pve2"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines.some((l) => l.endsWith(`starting task ${upid}`))).toBe(true);
    expect(lines.some((l) => l.endsWith(`end task ${upid} OK`))).toBe(true);
    expect(lines.some((l) => l.startsWith("s="))).toBe(false);
  });

  test("--lines keeps the last ones; --json gives {node, line} rows", async () => {
    await start("pve2", 102);
    const r = await cli(["logs", "--node", "pve2", "--lines", "1", "--json"]);
    const rows = JSON.parse(r.stdout) as { node: string; line: string }[];
    expect(rows).toEqual([{ node: "pve2", line: expect.stringMatching(/end task UPID:pve2:.* OK$/) }]);
  });

  test("without --node: the node pvekit talks to (local in /cluster/status)", async () => {
    const upid = String(await t.pve.request("POST", "/nodes/{node}/qemu/{vmid}/status/shutdown", { node: "pve1", vmid: 100 }));
    await t.pve.tasks.wait(upid);
    const r = await cli(["logs", "--json"]);
    const rows = JSON.parse(r.stdout) as { node: string; line: string }[];
    expect(new Set(rows.map((x) => x.node))).toEqual(new Set(["pve1"]));
    expect(rows.some((x) => x.line.includes(upid))).toBe(true);
  });

  test("--since far in the future: nothing, said so", async () => {
    await start("pve2", 102);
    const r = await cli(["logs", "--node", "pve2", "--since", "2999-01-01"]);
    expect(r.stdout.trim()).toBe("(no log lines on pve2 since 2999-01-01)");
  });

  test("without Sys.Syslog: a 403 with the role that has it", async () => {
    const r = await cli(["logs", "--node", "pve1"], {
      PROXMOX_TOKEN_ID: t.sim.credentials.restrictedToken.tokenId,
      PROXMOX_TOKEN_SECRET: t.sim.credentials.restrictedToken.secret,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Permission check failed (/nodes/pve1, Sys.Syslog)");
    expect(r.stderr).toContain("--roles PVESysAdmin");
  });
});

describe("cluster-log", () => {
  test("newest first, with time, node, user and message; --node filters", async () => {
    const first = await start("pve2", 102);
    const r = await cli(["cluster-log", "--json"]);
    const rows = JSON.parse(r.stdout) as { time: number; node: string; user: string; msg: string }[];
    expect(rows[0]).toMatchObject({ node: "pve2", msg: `end task ${first} OK`, user: t.sim.credentials.token.tokenId });
    expect(rows.map((x) => x.time)).toEqual([...rows.map((x) => x.time)].sort((a, b) => b - a));
    const none = JSON.parse((await cli(["cluster-log", "--node", "pve3", "--json"])).stdout) as unknown[];
    expect(none).toEqual([]);
  });

  test("human output is a table", async () => {
    await start("pve2", 102);
    const r = await cli(["cluster-log", "--lines", "2"]);
    expect(r.stdout.split("\n")[0]).toMatch(/^\| time +\| node +\| user +\| tag +\| msg/);
  });
});

describe("parseSince", () => {
  const now = new Date("2026-03-04T05:06:07Z");
  const epoch = now.getTime() / 1000;
  test.each([
    ["30m", epoch - 1800],
    ["2h", epoch - 7200],
    ["1d", epoch - 86_400],
    ["2026-03-01", Date.UTC(2026, 2, 1) / 1000],
    ["2026-03-01 10:30", Date.UTC(2026, 2, 1, 10, 30) / 1000],
    ["2026-03-01T10:30:00+02:00", Date.UTC(2026, 2, 1, 8, 30) / 1000],
    ["1767225600", 1767225600],
  ])("%s", (text, want) => {
    expect(parseSince(text, now)).toBe(want);
  });
  test("anything else is a usage error that shows the forms", () => {
    expect(() => parseSince("yesterday", now)).toThrow(/--since "yesterday" is not a time: use a duration back from now \(30m, 2h, 1d\)/);
  });
});
