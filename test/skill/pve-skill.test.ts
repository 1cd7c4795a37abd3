import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { PolicyRefusedError } from "../../src/skill/errors";
import { operations } from "../../src/skill/operations";
import { FileAuditLog } from "../../src/skill/policy/audit-log";
import { PveSkill } from "../../src/skill/pve-skill";
import { resolveSkillSettings } from "../../src/skill/settings";
import { skillClientFor } from "../../src/skill/connect";
import type { ConfirmationOutcome } from "../../src/skill/skill-outcome";
import { done } from "./helpers/outcomes";
import { startSimSkill, type SimSkill } from "./helpers/sim-skill";

let t: SimSkill;
beforeAll(async () => {
  t = await startSimSkill();
});
afterAll(async () => t.close());
beforeEach(() => {
  t.sim.reset();
  t.audit.entries.length = 0;
});

/** A valid input for every mutation, so each can be tried under each mode. */
const SAMPLE: Record<string, Record<string, unknown>> = {
  start: { vmid: 102 },
  shutdown: { vmid: 100 },
  reboot: { vmid: 100 },
  suspend: { vmid: 100 },
  resume: { vmid: 100 },
  snapshot: { vmid: 100, name: "s1" },
  backup: { vmid: 100 },
  clone: { vmid: 9000 },
  "create-vm": { vmid: 300, node: "pve1" },
  "create-ct": { vmid: 301, node: "pve1", template: "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst" },
  restore: { archive: "local:backup/vzdump-qemu-100-2025_01_01-00_00_00.vma.zst", vmid: 300, node: "pve1" },
  tag: { vmid: 100, add: ["x"] },
  pool: { vmid: 100, remove: true },
  stop: { vmid: 100 },
  reset: { vmid: 100 },
  rollback: { vmid: 100, name: "pre-upgrade" },
  delsnapshot: { vmid: 100, name: "pre-upgrade" },
  resize: { vmid: 100, disk: "scsi0", size: "+1G" },
  migrate: { vmid: 100, target: "pve2" },
  template: { vmid: 102 },
  delete: { vmid: 102 },
  set: { vmid: 100, params: { memory: "1024" } },
  api: { method: "post", path: "/nodes/pve1/qemu/100/status/stop" },
};
const mutations = operations.filter((op) => op.kind === "mutation").map((op) => op.name);
const state = () => JSON.stringify([...t.sim.state.guests.values()]);

test("the sample table covers every mutation", () => {
  expect(Object.keys(SAMPLE).sort()).toEqual([...mutations].sort());
});

describe("modes", () => {
  test.each(mutations)("read-only refuses %s and changes nothing", async (name) => {
    const before = state();
    const err = await t
      .skill({ mode: "read-only" })
      .run(name, SAMPLE[name])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolicyRefusedError);
    expect((err as PolicyRefusedError).rule).toBe("mode");
    expect((err as Error).message).toMatch(/needs mode (operator|admin); the current mode is read-only/);
    expect(state()).toBe(before);
    expect(t.audit.entries.map((e) => [e.operation, e.outcome])).toEqual([[name, "refused"]]);
  });

  const destructive = operations.filter((op) => op.tier === "destructive").map((op) => op.name);
  test.each([...destructive, "api"])("operator refuses the destructive %s", async (name) => {
    const before = state();
    await expect(t.skill({ mode: "operator" }).run(name, SAMPLE[name])).rejects.toThrow(/needs mode admin; the current mode is operator/);
    expect(state()).toBe(before);
  });

  test("allowedOperations lists what the mode allows", () => {
    const names = (mode: string) =>
      t
        .skill({ mode })
        .allowedOperations()
        .map((op) => op.name);
    expect(names("read-only")).toEqual(expect.arrayContaining(["guests", "doctor", "api"]));
    expect(names("read-only")).not.toContain("start");
    expect(names("operator")).toContain("start");
    expect(names("operator")).not.toContain("stop");
    expect(names("admin")).toHaveLength(operations.length);
  });
});

describe("confirm tokens", () => {
  test("the state directory and its key are made when a token is first needed, not for a read", async () => {
    const stateDir = join(mkdtempSync(join(tmpdir(), "pvekit-lazy-state-")), "state");
    try {
      const skill = new PveSkill({ client: skillClientFor(t.pve), settings: resolveSkillSettings({ mode: "admin", stateDir, auditLog: false }, {}) });
      await skill.run("guests");
      expect(existsSync(stateDir)).toBe(false);
      const out = (await skill.run("stop", { vmid: 100 })) as ConfirmationOutcome;
      expect(out.status).toBe("confirmation-required");
      expect(existsSync(join(stateDir, "confirm.key"))).toBe(true);
    } finally {
      rmSync(dirname(stateDir), { recursive: true, force: true });
    }
  });

  test("single use", async () => {
    const skill = t.skill({ mode: "admin" });
    const first = (await skill.run("stop", { vmid: 100 })) as ConfirmationOutcome;
    done(
      await skill.run("stop", { vmid: 101 }, { confirm: ((await skill.run("stop", { vmid: 101 })) as ConfirmationOutcome).confirmToken }),
    );
    done(await skill.run("stop", { vmid: 100 }, { confirm: first.confirmToken }));
    t.sim.state.guests.get(100)!.status = "running";
    const again = (await skill.run("stop", { vmid: 100 }, { confirm: first.confirmToken })) as ConfirmationOutcome;
    expect(again.status).toBe("confirmation-required");
    expect(again.reason).toMatch(/already used/);
    expect(again.confirmToken).not.toBe(first.confirmToken);
    expect(t.sim.state.guests.get(100)!.status).toBe("running");
  });

  test("expires", async () => {
    let now = new Date("2025-01-01T00:00:00Z");
    const skill = t.skill({ mode: "admin", confirmTtlMs: 60_000 }, { now: () => now });
    const first = (await skill.run("stop", { vmid: 100 })) as ConfirmationOutcome;
    expect(first.expiresAt).toBe("2025-01-01T00:01:00.000Z");
    now = new Date("2025-01-01T00:01:00Z");
    const late = (await skill.run("stop", { vmid: 100 }, { confirm: first.confirmToken })) as ConfirmationOutcome;
    expect(late.reason).toMatch(/expired/);
    expect(t.sim.state.guests.get(100)!.status).toBe("running");
  });

  test("bound to the target and to the parameters", async () => {
    const skill = t.skill({ mode: "admin" });
    const forWeb = (await skill.run("stop", { vmid: 100 })) as ConfirmationOutcome;
    const other = (await skill.run("stop", { vmid: 101 }, { confirm: forWeb.confirmToken })) as ConfirmationOutcome;
    expect(other.status).toBe("confirmation-required");
    expect(other.reason).toMatch(/different operation, target or parameters/);
    expect(t.sim.state.guests.get(101)!.status).toBe("running");
    const plain = (await skill.run("delete", { vmid: 102 })) as ConfirmationOutcome;
    const purge = (await skill.run("delete", { vmid: 102, purge: true }, { confirm: plain.confirmToken })) as ConfirmationOutcome;
    expect(purge.reason).toMatch(/different/);
    expect(t.sim.state.guests.has(102)).toBe(true);
    // the token also does not carry over to another operation on the same guest
    const reset = (await skill.run("reset", { vmid: 100 }, { confirm: forWeb.confirmToken })) as ConfirmationOutcome;
    expect(reset.status).toBe("confirmation-required");
  });

  test("reversible operations need no token", async () => {
    const out = await t.skill({ mode: "operator" }).run("shutdown", { vmid: 100 });
    expect(out.status).toBe("done");
  });
});

describe("allow-lists", () => {
  test("VMIDs", async () => {
    const skill = t.skill({ mode: "operator", allowedVmids: "102,200-299" });
    done(await skill.run("start", { vmid: 102 }));
    await expect(skill.run("shutdown", { vmid: 100 })).rejects.toThrow(/VMID 100 is not in the allowed VMIDs \(102,200-299/);
    expect(t.audit.entries.at(-1)).toMatchObject({ operation: "shutdown", outcome: "refused" });
    // reads are not limited
    expect((await skill.run("guest", { vmid: 100 })).status).toBe("ok");
  });

  test("nodes, including a migration target", async () => {
    const skill = t.skill({ mode: "admin", allowedNodes: "pve1,pve2" });
    await expect(skill.run("start", { vmid: 103 })).rejects.toThrow(/Node "pve3" is not in the allowed nodes/);
    await expect(skill.run("migrate", { vmid: 100, target: "pve3" })).rejects.toThrow(/Node "pve3"/);
    expect((await skill.run("migrate", { vmid: 100, target: "pve2" })).status).toBe("confirmation-required");
  });

  test("pools and tags", async () => {
    await expect(t.skill({ mode: "operator", allowedPools: "production" }).run("start", { vmid: 102 })).rejects.toThrow(/is in no pool/);
    expect((await t.skill({ mode: "operator", allowedPools: "production" }).run("shutdown", { vmid: 101 })).status).toBe("done");
    await expect(t.skill({ mode: "operator", allowedTags: "ci" }).run("shutdown", { vmid: 100 })).rejects.toThrow(
      /has tags prod,web, none of the allowed tags \(ci/,
    );
    expect((await t.skill({ mode: "operator", allowedTags: "ci" }).run("start", { vmid: 201 })).status).toBe("done");
  });

  test("clone --newid auto stays inside the VMID allow-list", async () => {
    const skill = t.skill({ mode: "operator", allowedVmids: "9000,500-599" });
    const out = done(await skill.run("clone", { vmid: 9000 }));
    expect((out.result.data as { newid: number }).newid).toBe(500);
    await expect(skill.run("clone", { vmid: 9000, newid: 300 })).rejects.toThrow(/VMID 300 is not in the allowed VMIDs/);
  });
});

describe("audit log", () => {
  test("every mutation attempt is one JSON line with outcome, target and UPID, without secrets", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pvekit-audit-"));
    try {
      const file = join(dir, "audit.log");
      const make = (mode: string) =>
        new PveSkill({
          client: skillClientFor(t.pve),
          settings: resolveSkillSettings({ mode, stateDir: dir, auditLog: file }, {}),
          audit: new FileAuditLog(file),
          connection: { baseUrl: t.url, auth: "token", identity: "root@pam!pvekit", tls: "fingerprint" },
        });
      await make("read-only")
        .run("start", { vmid: 102 })
        .catch(() => {});
      await make("operator").run("start", { vmid: 102 });
      const admin = make("admin");
      const plan = (await admin.run("stop", { vmid: 102 })) as ConfirmationOutcome;
      await admin.run("stop", { vmid: 102 }, { confirm: plan.confirmToken });
      await admin.run("create-ct", {
        vmid: 330,
        node: "pve1",
        template: "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst",
        params: { password: "pw-never-logged", storage: "local-lvm" },
      });
      await admin.run("guests");
      const text = readFileSync(file, "utf8");
      expect(text).not.toContain("pw-never-logged");
      expect(text).not.toContain(t.sim.credentials.token.secret);
      const lines = text
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.map((l) => [l.mode, l.operation, l.outcome])).toEqual([
        ["read-only", "start", "refused"],
        ["operator", "start", "intent"],
        ["operator", "start", "ok"],
        ["admin", "stop", "confirmation-required"],
        ["admin", "stop", "intent"],
        ["admin", "stop", "ok"],
        ["admin", "create-ct", "intent"],
        ["admin", "create-ct", "ok"],
      ]);
      // the intent line is written before the request, the outcome line after it
      expect(lines[1]).toMatchObject({ user: "root@pam!pvekit", target: "qemu/102 (test-vm) on pve2", params: { vmid: 102 } });
      expect(lines[1]!.upid).toBeUndefined();
      expect(lines[2]).toMatchObject({
        user: "root@pam!pvekit",
        target: "qemu/102 (test-vm) on pve2",
        params: { vmid: 102 },
        exitstatus: "OK",
      });
      expect(String(lines[2]!.upid)).toMatch(/^UPID:pve2:.*:qmstart:102:/);
      expect(Date.parse(String(lines[0]!.time))).not.toBeNaN();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a failed task is logged as failed, with its UPID and exit status", async () => {
    t.sim.fault("POST /nodes/{node}/qemu/{vmid}/status/start", { kind: "task-error", message: "start failed: no space" });
    await expect(t.skill({ mode: "operator" }).run("start", { vmid: 102 })).rejects.toThrow(/start failed: no space/);
    const last = t.audit.entries.at(-1)!;
    expect(last).toMatchObject({ operation: "start", outcome: "failed" });
    expect(last.upid).toMatch(/^UPID:pve2:/);
    expect(last.error).toMatch(/TaskFailedError/);
  });
});
