import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { runCli } from "../helpers/run-cli";
import { startSimSkill, type SimSkill } from "../helpers/sim-skill";

let t: SimSkill;
beforeAll(async () => {
  t = await startSimSkill();
});
afterAll(async () => t.close());
beforeEach(() => t.sim.reset());

const restricted = () =>
  t.env({ PROXMOX_TOKEN_ID: t.sim.credentials.restrictedToken.tokenId, PROXMOX_TOKEN_SECRET: t.sim.credentials.restrictedToken.secret });

describe("doctor --quiet (seed 001's auth self-test)", () => {
  test("one line: auth ok (<highest tier the privileges cover>), no host or token id", async () => {
    const full = await runCli(["doctor", "--quiet"], t.env());
    expect(full).toEqual({ code: 0, stdout: "auth ok (destructive)\n", stderr: "" });
    const ro = await runCli(["doctor", "--quiet"], restricted());
    expect(ro).toEqual({ code: 0, stdout: "auth ok (read-only)\n", stderr: "" });
  });

  test("--json: the same as an object", async () => {
    const r = await runCli(["doctor", "--quiet", "--json"], restricted());
    expect(JSON.parse(r.stdout)).toEqual({ auth: "ok", tier: "read-only" });
  });

  test("a wrong secret: auth failed (<code>), exit 1, still one line without the host", async () => {
    const r = await runCli(["doctor", "--quiet"], t.env({ PROXMOX_TOKEN_SECRET: "00000000-0000-0000-0000-000000000000" }));
    expect(r).toEqual({ code: 1, stdout: "auth failed (PVE_ERR_AUTH)\n", stderr: "" });
    expect(r.stdout).not.toContain("127.0.0.1");
  });
});

describe("doctor: what to grant per missing tier", () => {
  test("the restricted token: the pveum commands per path, with the least powerful role", async () => {
    const r = await runCli(["doctor", "--mode", "admin", "--json"], restricted());
    const checks = JSON.parse(r.stdout) as { check: string; status: string; detail: string; fix?: string[] }[];
    const id = t.sim.credentials.restrictedToken.tokenId;
    const reversible = checks.find((c) => c.check === "privileges: reversible")!;
    expect(reversible.status).toBe("warn");
    expect(reversible.fix).toEqual([
      `pveum acl modify /vms --tokens '${id}' --roles PVEVMAdmin   # VM.PowerMgmt, VM.Snapshot, VM.Backup, VM.Clone, VM.Allocate, VM.Config.Options`,
      `pveum acl modify /storage --tokens '${id}' --roles PVEDatastoreUser   # Datastore.AllocateSpace`,
    ]);
    const destructive = checks.find((c) => c.check === "privileges: destructive")!;
    expect(destructive.fix).toEqual([
      `pveum acl modify /vms --tokens '${id}' --roles PVEVMAdmin   # VM.Snapshot.Rollback, VM.Migrate, VM.Config.Disk, VM.Allocate`,
    ]);
    expect(checks.find((c) => c.check === "privileges: read")!.fix).toBeUndefined();
  });

  test("human output lists the commands after the table", async () => {
    const r = await runCli(["doctor", "--mode", "operator"], restricted());
    expect(r.stdout).toMatch(/To grant what is missing \(run on a PVE node as an administrator\):\n  pveum acl modify \/vms --tokens 'auditor@pve!readonly' --roles PVEVMAdmin/);
  });
});

describe("a 403 explains itself", () => {
  test("the missing privilege, its path, a role and the exact pveum command — human and --json", async () => {
    const human = await runCli(["start", "102", "--mode", "operator"], restricted());
    expect(human.code).toBe(1);
    expect(human.stderr).toContain("Permission check failed (/vms/102, VM.PowerMgmt)");
    expect(human.stderr).toContain("pveum acl modify /vms/102 --tokens 'auditor@pve!readonly' --roles PVEVMUser");
    const json = await runCli(["start", "102", "--mode", "operator", "--json"], restricted());
    const report = JSON.parse(json.stdout) as { error: { code: string; hint: string } };
    expect(report.error.code).toBe("PVE_ERR_PERMISSION");
    expect(report.error.hint).toMatch(/^The token lacks the privilege VM.PowerMgmt on \/vms\/102\.\nThe least powerful built-in role with it is PVEVMUser/);
  });
});
