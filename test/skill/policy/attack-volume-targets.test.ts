import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { PolicyRefusedError } from "../../../src/skill/errors";
import type { ConfirmationOutcome } from "../../../src/skill/skill-outcome";
import { runCli } from "../helpers/run-cli";
import { startSimSkill, type SimSkill } from "../helpers/sim-skill";

// Red-team round on #11: storages and volume owners that the target rules did not see. Each request names a
// storage or a guest outside the allow-lists in a place the rules did not read: a new disk `storage:size` in a
// property string (PVE's NEW_DISK_RE in qemu-server, pve-container's mount points), a property-string key whose
// format is a storage (vzdump `fleecing=storage=…`), a volume id relative to the path's storage (pve-storage
// API2/Storage/Content.pm `real_volume_id`: `backup/vzdump-qemu-100-…` means `<storage>:backup/…`), and RBD
// volume names (RBDPlugin.pm parse_volname: `(base)?(vm)?-(\d+)-…`). All were sent, or got a confirm token.
let t: SimSkill;
beforeAll(async () => {
  t = await startSimSkill();
});
afterAll(async () => t.close());
beforeEach(() => {
  t.sim.reset();
  t.writes.length = 0;
});

async function refused(mode: string, overrides: Record<string, string>, method: string, path: string, params: Record<string, unknown> = {}): Promise<string> {
  const err = await t
    .skill({ mode, ...overrides })
    .run("api", { method, path, params })
    .catch((e: unknown) => e);
  expect(err, `${method} ${path} ${JSON.stringify(params)}`).toBeInstanceOf(PolicyRefusedError);
  expect((err as PolicyRefusedError).rule).toBe("allow-list");
  expect(t.writes).toEqual([]);
  return (err as Error).message;
}

describe("storages named inside property strings", () => {
  test("a new disk on a storage outside the allow-list (create, operator mode)", async () => {
    const allow = { allowedStorages: "local", allowedVmids: "150-199" };
    expect(await refused("operator", allow, "post", "/nodes/pve2/qemu", { vmid: 150, scsi0: "local-lvm:4" })).toMatch(/Storage "local-lvm"/);
    // the same as an MCP client sends it: a property-string object
    await refused("operator", allow, "post", "/nodes/pve2/qemu", { vmid: 150, scsi0: { file: "local-lvm:4", ssd: 1 } });
    await refused("operator", allow, "post", "/nodes/pve2/qemu", { vmid: 150, efidisk0: "local-lvm:1,efitype=4m" });
    await refused("operator", allow, "post", "/nodes/pve2/lxc", { vmid: 150, ostemplate: "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst", rootfs: "local-lvm:8" });
    expect(t.sim.state.guests.has(150)).toBe(false);
  });
  test("the curated create-vm takes the same route", async () => {
    const r = await runCli(["create-vm", "150", "--node", "pve2", "scsi0=local-lvm:4", "--json"], t.env({ PVEKIT_MODE: "operator", PROXMOX_ALLOWED_STORAGES: "local" }));
    expect(r.code, r.stdout).toBe(4);
    expect(t.sim.state.guests.has(150)).toBe(false);
  });
  test("a backup's fleecing images on a storage outside the allow-list", async () => {
    await refused("operator", { allowedStorages: "local" }, "post", "/nodes/pve2/vzdump", { vmid: "102", storage: "local", fleecing: "enabled=1,storage=local-lvm" });
  });
  test("inside the allow-list the same create runs", async () => {
    const out = await t
      .skill({ mode: "operator", allowedStorages: "local-lvm", allowedVmids: "150" })
      .run("api", { method: "post", path: "/nodes/pve2/qemu", params: { vmid: 150, scsi0: "local-lvm:4" } });
    expect(out.status).toBe("done");
    expect(t.sim.state.guests.has(150)).toBe(true);
  });
});

describe("volume owners PVE reads differently than the rules did", () => {
  test("a backup volume given relative to the path's storage (no storage: prefix)", async () => {
    const local = t.sim.state.storages.find((s) => s.storage === "local")!;
    const volid = local.volumes.pve1!.find((v) => v.vmid === 100 && v.content === "backup")!.volid;
    const relative = volid.slice("local:".length);
    expect(await refused("admin", { allowedVmids: "102" }, "delete", `/nodes/pve1/storage/local/content/${encodeURIComponent(relative)}`)).toMatch(/VMID 100/);
  });
  test("RBD volume names without the vm- prefix (-103-disk-0, basevm-103-disk-0)", async () => {
    await refused("admin", { allowedVmids: "102,150" }, "post", "/nodes/pve2/qemu", { vmid: 150, scsi0: "local-lvm:-103-disk-0" });
    await refused("admin", { allowedVmids: "102,150" }, "post", "/nodes/pve2/qemu", { vmid: 150, scsi0: "local-lvm:basevm-103-disk-0" });
    // and another guest's disk is destructive: operator mode may not even plan it
    const err = await t
      .skill({ mode: "operator" })
      .run("api", { method: "post", path: "/nodes/pve2/qemu", params: { vmid: 150, scsi0: "local-lvm:-103-disk-0" } })
      .catch((e: unknown) => e);
    expect((err as PolicyRefusedError).rule).toBe("mode");
    expect(t.writes).toEqual([]);
  });
  test("an own backup relative to the storage still gets its plan and token", async () => {
    const local = t.sim.state.storages.find((s) => s.storage === "local")!;
    const volid = local.volumes.pve1!.find((v) => v.vmid === 100 && v.content === "backup")!.volid;
    const out = (await t
      .skill({ mode: "admin", allowedVmids: "100", allowedStorages: "local" })
      .run("api", { method: "delete", path: `/nodes/pve1/storage/local/content/${encodeURIComponent(volid.slice(6))}` })) as ConfirmationOutcome;
    expect(out.status).toBe("confirmation-required");
  });
});
