import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { runCli } from "./helpers/run-cli";
import { startSimSkill, type SimSkill } from "./helpers/sim-skill";

let t: SimSkill;
beforeAll(async () => {
  t = await startSimSkill();
});
afterAll(async () => t.close());
beforeEach(() => t.sim.reset());

const cli = (argv: string[]) => runCli(argv, t.env());

/** Validator wording that must not reach people ("Invalid input: expected number, received NaN"). */
const JARGON = /expected \w+, received|Invalid input:|Too small:|Too big:|Invalid option:|Unrecognized key/;

describe("--json: every error is one JSON object on stdout, nothing on stderr", () => {
  test.each([
    // start takes targets since #12 (VMIDs, ranges or selectors)
    [["start", "--json"], /^Missing targets for start: which guests\?/],
    [["bogus", "--json"], /unknown command 'bogus'/],
    [["guests", "--bogus", "--json"], /unknown option '--bogus'/],
    [["guests", "--type", "foo", "--json"], /argument 'foo' is invalid\. Allowed choices are qemu, lxc/],
    [["--json"], /^No command given; pvekit --help lists the commands\.$/],
    [["start", "abc", "--mode", "operator", "--json"], /^Invalid input for start: "abc" is not a VMID or a range \(100, 100-110\)\.$/],
    [["tasks", "--limit", "x", "--json"], /^Invalid input for tasks: limit must be a number, not "x"\.$/],
    [["start", "12", "--mode", "operator", "--json"], /^Invalid input for start: vmid must be at least 100, not "12"\.$/],
    [["snapshot", "100", "1bad", "--mode", "operator", "--json"], /^Invalid input for snapshot: name "1bad" is not a snapshot name/],
  ])("%j", async (argv, message) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("");
    const report = JSON.parse(r.stdout) as { status: string; exitCode: number; error: { message: string; code: string } };
    expect(report).toMatchObject({ status: "error", exitCode: 2, error: { code: "SKILL_USAGE" } });
    expect(report.error.message).toMatch(message);
    expect(report.error.message).not.toMatch(JARGON);
  });
});

describe("messages say things once, in plain words", () => {
  test("a refusal is labelled once", async () => {
    const r = await cli(["shutdown", "102"]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^Refused: shutdown is a reversible operation/);
    expect(r.stderr).not.toMatch(/Refused: Refused/);
  });

  test("an allow-list refusal is labelled once", async () => {
    const r = await runCli(["start", "102", "--mode", "operator"], t.env({ PROXMOX_ALLOWED_VMIDS: "100-101" }));
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^Refused by allow-list: /);
  });

  test("nothing to do reads as a sentence", async () => {
    const r = await cli(["start", "100", "--mode", "operator"]);
    expect(r.stdout.trim()).toBe("Nothing to do: VM 100 is already running.");
  });

  test("parameter errors are listed once", async () => {
    const r = await cli(["api", "get", "/nodes/pve1/qemu", "full=maybe"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("Error: Invalid parameters for GET /nodes/{node}/qemu: full: type check ('boolean') failed - got 'maybe'");
  });

  test("bad input without --json: plain words, labelled once", async () => {
    const r = await cli(["start", "abc", "--mode", "operator"]);
    expect(r.stderr.trim()).toBe('Error: Invalid input for start: "abc" is not a VMID or a range (100, 100-110).');
  });
});

describe("something missing is always exit 1 (not found), whatever it is", () => {
  test.each([
    ["a VMID", ["guest", "999"], /No VM or container with VMID 999/],
    ["a VMID (mutation)", ["start", "999", "--mode", "operator"], /No VM or container with VMID 999/],
    ["a snapshot", ["rollback", "100", "nosuch", "--mode", "admin"], /VM 100 has no snapshot named "nosuch" \(snapshots: pre-upgrade\)/],
    ["a disk", ["resize", "100", "scsi9", "+1G", "--mode", "admin"], /VM 100 has no disk scsi9 \(disks: scsi0\)/],
    ["a node", ["node", "nosuch"], /There is no node "nosuch" in the cluster \(nodes: pve1, pve2, pve3\)/],
    ["a node filter", ["guests", "--node", "nosuch"], /There is no node "nosuch"/],
    ["a migration target", ["migrate", "100", "--target", "nosuch", "--mode", "admin"], /There is no node "nosuch"/],
    ["a storage", ["content", "nosuch"], /There is no storage "nosuch" on any online node/],
    ["a guest through api", ["api", "get", "/nodes/pve1/qemu/999/status/current"], /does not exist/],
  ])("%s", async (_what, argv, message) => {
    const human = await cli(argv);
    expect(human.code, human.stderr).toBe(1);
    expect(human.stderr).toMatch(message);
    const json = await cli([...argv, "--json"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).error.message).toMatch(message);
  });
});
