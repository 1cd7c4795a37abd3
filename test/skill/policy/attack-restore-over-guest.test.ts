import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { PolicyRefusedError } from "../../../src/skill/errors";
import type { ConfirmationOutcome } from "../../../src/skill/skill-outcome";
import { startSimSkill, type SimSkill } from "../helpers/sim-skill";

// Finding 1: `api post /nodes/{node}/qemu vmid=<existing> archive=<backup> force=1` replaced a guest with a
// backup in operator mode, without a confirm token (the curated `restore` refuses this).
let t: SimSkill;
beforeAll(async () => {
  t = await startSimSkill();
});
afterAll(async () => t.close());
beforeEach(() => {
  t.sim.reset();
  t.writes.length = 0;
});

function backupOf(vmid: number): string {
  const local = t.sim.state.storages.find((s) => s.storage === "local")!;
  return local.volumes.pve1!.find((v) => v.content === "backup" && v.vmid === vmid)!.volid;
}

describe("restoring over an existing guest through api", () => {
  test("a VM: operator mode is refused, nothing is sent", async () => {
    t.sim.state.guests.get(100)!.status = "stopped";
    const attack = { method: "post", path: "/nodes/pve1/qemu", params: { vmid: "100", archive: backupOf(100), force: "1" } };
    const err = await t
      .skill({ mode: "operator" })
      .run("api", attack)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolicyRefusedError);
    expect((err as Error).message).toMatch(/destructive.*force/s);
    expect(t.writes).toEqual([]);
  });

  test("a container (ostemplate + restore=1 + force=1): operator mode is refused", async () => {
    t.sim.state.guests.get(200)!.status = "stopped";
    const attack = {
      method: "post",
      path: "/nodes/pve1/lxc",
      params: { vmid: "200", ostemplate: backupOf(200), restore: "1", force: "1" },
    };
    await expect(t.skill({ mode: "operator" }).run("api", attack)).rejects.toThrow(PolicyRefusedError);
    expect(t.writes).toEqual([]);
  });

  test("admin mode gets a plan and a confirm token first, not the change", async () => {
    t.sim.state.guests.get(100)!.status = "stopped";
    const attack = { method: "post", path: "/nodes/pve1/qemu", params: { vmid: "100", archive: backupOf(100), force: "1" } };
    const out = (await t.skill({ mode: "admin" }).run("api", attack)) as ConfirmationOutcome;
    expect(out.status).toBe("confirmation-required");
    expect(out.plan.tier).toBe("destructive");
    expect(t.writes).toEqual([]);
  });

  test("restoring to a new VMID stays reversible (operator runs it)", async () => {
    const out = await t
      .skill({ mode: "operator" })
      .run("api", { method: "post", path: "/nodes/pve1/qemu", params: { vmid: "300", archive: backupOf(100) } });
    expect(out.status).toBe("done");
    expect(t.sim.state.guests.has(300)).toBe(true);
  });
});
