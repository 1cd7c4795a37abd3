import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { ConfirmationOutcome } from "../../../src/skill/skill-outcome";
import { confirmed, done } from "../helpers/outcomes";
import { startSimSkill, type SimSkill } from "../helpers/sim-skill";

let t: SimSkill;
beforeAll(async () => {
  t = await startSimSkill();
});
afterAll(async () => t.close());
beforeEach(() => t.sim.reset());

const guest = (vmid: number) => t.sim.state.guests.get(vmid);

describe("backup and restore", () => {
  test("backup writes a new archive and names it", async () => {
    const out = done(await t.skill({ mode: "operator" }).run("backup", { vmid: 101, storage: "local" }));
    expect(out.result.changes).toHaveLength(1);
    expect(out.result.changes[0]).toMatch(/^backup local:backup\/vzdump-qemu-101-.*: created$/);
  });

  test("restore to a new VMID is reversible; over an existing guest it is destructive", async () => {
    const backup = done(await t.skill({ mode: "operator" }).run("backup", { vmid: 102, storage: "local" }));
    const archive = (backup.result.data as { backups: string[] }).backups[0]!;
    const fresh = done(await t.skill({ mode: "operator" }).run("restore", { archive, vmid: 150, node: "pve2" }));
    expect(fresh.result.changes).toEqual(["qemu/150: created from backup"]);
    expect(guest(150)).toMatchObject({ type: "qemu", node: "pve2", config: { name: "test-vm", scsi0: "local-lvm:vm-150-disk-0,iothread=1,size=16G" } });
    await expect(t.skill({ mode: "operator" }).run("restore", { archive, vmid: 102 })).rejects.toThrow(
      /destructive operation .* needs mode admin/,
    );
    guest(102)!.config.name = "changed-after-backup";
    guest(102)!.config.memory = 16384;
    const over = (await t.skill({ mode: "admin" }).run("restore", { archive, vmid: 102 })) as ConfirmationOutcome;
    expect(over.status).toBe("confirmation-required");
    expect(over.plan).toMatchObject({ tier: "destructive", target: "qemu/102 (changed-after-backup) on pve2" });
    expect(over.plan.steps[0]).toMatch(/archive=.* restore=1 force=1$/);
    const replaced = done(await t.skill({ mode: "admin" }).run("restore", { archive, vmid: 102 }, { confirm: over.confirmToken }));
    expect(replaced.status).toBe("done");
    expect(replaced.result.changes).toEqual(["qemu/102: replaced from backup"]);
    expect(guest(102)?.config).toMatchObject({ name: "test-vm", memory: 2048 });
    expect(guest(102)?.config.lock).toBeUndefined();
  });

  test("restore over a running guest is refused before any confirmation", async () => {
    const backup = done(await t.skill({ mode: "operator" }).run("backup", { vmid: 101, storage: "local" }));
    const archive = (backup.result.data as { backups: string[] }).backups[0]!;
    await expect(t.skill({ mode: "admin" }).run("restore", { archive, vmid: 101 })).rejects.toThrow(/running; stop it before restoring/);
    expect(guest(101)?.config.name).toBe("db01");
  });
});

describe("clone and create", () => {
  test("clone from a template to the next free VMID", async () => {
    const out = done(await t.skill({ mode: "operator" }).run("clone", { vmid: 9000, name: "from-tpl" }));
    const newid = (out.result.data as { newid: number }).newid;
    expect(guest(newid)?.config.name).toBe("from-tpl");
    expect(out.result.changes).toEqual([`qemu/${newid}: created (stopped)`]);
  });

  test("clone to a taken VMID is refused; auto retries when the id is taken meanwhile", async () => {
    await expect(t.skill({ mode: "operator" }).run("clone", { vmid: 9000, newid: 101 })).rejects.toThrow(/VMID 101 is already in use/);
    // Take the id nextid hands out after planning, as a concurrent client would.
    const skill = t.skill({ mode: "operator" });
    const next = Number(await t.pve.request("GET", "/cluster/nextid"));
    const taker = skill.client.request.bind(skill.client);
    let raced = false;
    skill.client.request = async (verb, path, params) => {
      if (!raced && verb === "POST" && path.endsWith("/clone")) {
        raced = true;
        await taker("POST", "/nodes/{node}/qemu/{vmid}/clone", { node: "pve2", vmid: 9000, newid: next });
      }
      return taker(verb, path, params);
    };
    const out = done(await skill.run("clone", { vmid: 9000 }));
    expect((out.result.data as { newid: number }).newid).not.toBe(next);
    expect(raced).toBe(true);
  });

  test("create-vm and create-ct with key=value options", async () => {
    const vm = done(
      await t
        .skill({ mode: "operator" })
        .run("create-vm", { vmid: 310, node: "pve1", params: { name: "new-vm", memory: "1024", cores: "2" } }),
    );
    expect(vm.result.changes).toEqual(["qemu/310: created"]);
    expect(guest(310)?.config.name).toBe("new-vm");
    expect(Number(guest(310)?.config.memory)).toBe(1024);
    const ct = done(
      await t.skill({ mode: "operator" }).run("create-ct", {
        vmid: "auto",
        node: "pve1",
        template: "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst",
        params: { hostname: "new-ct", memory: "512", password: "ct-root-pw-123", storage: "local-lvm" },
      }),
    );
    const id = (ct.result.data as { vmid: number }).vmid;
    expect(guest(id)?.type).toBe("lxc");
    expect(JSON.stringify(t.audit.entries)).not.toContain("ct-root-pw-123");
  });

  test("create without a node in a multi-node cluster asks for one", async () => {
    await expect(t.skill({ mode: "operator" }).run("create-vm", { vmid: 311 })).rejects.toThrow(/several nodes .* pass --node/);
  });
});

describe("template, delete, migrate", () => {
  test("template converts a stopped guest", async () => {
    const out = await confirmed(t.skill({ mode: "admin" }), "template", { vmid: 102 });
    expect(out.result.changes).toEqual(["template: no → yes"]);
    await expect(t.skill({ mode: "admin" }).run("template", { vmid: 100 })).rejects.toThrow(/shut it down before converting/);
  });

  test("delete refuses a running guest and removes a stopped one", async () => {
    await expect(t.skill({ mode: "admin" }).run("delete", { vmid: 100 })).rejects.toThrow(/is running; shut it down/);
    const out = await confirmed(t.skill({ mode: "admin" }), "delete", { vmid: 102 });
    expect(out.result.changes).toEqual(["qemu/102: deleted"]);
    expect(guest(102)).toBeUndefined();
  });

  test("migrate moves a running VM online and says where it is now", async () => {
    const out = await confirmed(t.skill({ mode: "admin" }), "migrate", { vmid: 100, target: "pve3" });
    expect(out.result.changes).toEqual(["node: pve1 → pve3", "status: running → running"]);
    expect(guest(100)?.node).toBe("pve3");
    await expect(t.skill({ mode: "admin" }).run("migrate", { vmid: 200, target: "pve2" })).rejects.toThrow(/Pass --restart/);
    await expect(t.skill({ mode: "admin" }).run("migrate", { vmid: 102, target: "pve9" })).rejects.toThrow(/no node "pve9"/);
  });
});

describe("resize", () => {
  test("grows by +N, prints the in-guest steps, refuses to shrink", async () => {
    const out = await confirmed(t.skill({ mode: "admin" }), "resize", { vmid: 101, disk: "scsi0", size: "+8G" });
    expect(out.result.changes).toEqual(["scsi0: 64.0 GiB → 72.0 GiB"]);
    expect(out.result.notes?.join("\n")).toMatch(/parted .* resizepart[\s\S]*pvresize[\s\S]*resize2fs/);
    await expect(t.skill({ mode: "admin" }).run("resize", { vmid: 101, disk: "scsi0", size: "10G" })).rejects.toThrow(
      /Refusing to shrink scsi0/,
    );
    await expect(t.skill({ mode: "admin" }).run("resize", { vmid: 101, disk: "scsi7", size: "100G" })).rejects.toThrow(
      /has no disk scsi7 \(disks: scsi0/,
    );
  });
  test("an absolute size equal to the current one is no change", async () => {
    const out = done(await t.skill({ mode: "admin" }).run("resize", { vmid: 101, disk: "scsi0", size: "64G" }));
    expect(out.status).toBe("no-change");
  });
});

describe("tags, pools and config", () => {
  test("tag add and remove use the config digest", async () => {
    const out = done(await t.skill({ mode: "operator" }).run("tag", { vmid: 101, add: ["backup"], remove: ["prod"] }));
    expect(out.result.changes).toEqual(["tags: db;prod → backup;db"]);
    expect(guest(101)?.config.tags).toBe("backup;db");
  });

  test("a concurrent config edit makes the write fail instead of being lost", async () => {
    const skill = t.skill({ mode: "operator" });
    const inner = skill.client.request.bind(skill.client);
    skill.client.request = async (verb, path, params) => {
      if (verb === "PUT" && path.endsWith("/config")) guest(101)!.config.description = "edited meanwhile";
      return inner(verb, path, params);
    };
    await expect(skill.run("tag", { vmid: 101, add: ["x"] })).rejects.toThrow(/digest|modified|changed|checksum mismatch/i);
    expect(guest(101)?.config.tags).toBe("db;prod");
  });

  test("pool moves a guest and takes it out again", async () => {
    t.sim.state.pools.set("lab", { poolid: "lab", storage: [] });
    const moved = done(await t.skill({ mode: "operator" }).run("pool", { vmid: 101, pool: "lab" }));
    expect(moved.result.changes).toEqual(["pool: production → lab"]);
    const out = done(await t.skill({ mode: "operator" }).run("pool", { vmid: 101, remove: true }));
    expect(out.result.changes).toEqual(["pool: lab → (none)"]);
  });

  test("set changes options after confirmation and reports before → after", async () => {
    const skill = t.skill({ mode: "admin" });
    const first = (await skill.run("set", { vmid: 102, params: { memory: "4096" }, delete: ["tags"] })) as ConfirmationOutcome;
    expect(first.plan.steps).toContain("set memory: 2048 → 4096");
    const out = done(await skill.run("set", { vmid: 102, params: { memory: "4096" }, delete: ["tags"] }, { confirm: first.confirmToken }));
    expect(out.result.changes).toContain("memory: 2048 → 4096");
    expect(Number(guest(102)?.config.memory)).toBe(4096);
    expect(guest(102)?.config.tags).toBeUndefined();
  });
});

describe("api", () => {
  test("GET any endpoint in read-only mode", async () => {
    const out = done(await t.skill().run("api", { method: "get", path: "/nodes/pve1/qemu" }));
    expect((out.result.data as { vmid: number }[]).map((g) => g.vmid).sort()).toEqual([100, 101]);
  });
  test("reversible endpoints need operator, other changes admin with a token", async () => {
    await expect(t.skill().run("api", { method: "post", path: "/nodes/pve2/qemu/102/status/start" })).rejects.toThrow(
      /needs mode operator/,
    );
    const started = done(await t.skill({ mode: "operator" }).run("api", { method: "post", path: "/nodes/pve2/qemu/102/status/start" }));
    expect(started.result.exitstatus).toBe("OK");
    await expect(
      t.skill({ mode: "operator" }).run("api", { method: "put", path: "/nodes/pve2/qemu/102/config", params: { memory: "1024" } }),
    ).rejects.toThrow(/needs mode admin/);
    const changed = await confirmed(t.skill({ mode: "admin" }), "api", {
      method: "put",
      path: "/nodes/pve2/qemu/102/config",
      params: { memory: "1024" },
    });
    expect(changed.status).toBe("done");
    expect(Number(guest(102)?.pending?.memory ?? guest(102)?.config.memory)).toBe(1024); // 102 runs: pending, as on PVE
  });
  test("an unknown endpoint is a usage error", async () => {
    await expect(t.skill().run("api", { method: "get", path: "/no/such/thing" })).rejects.toThrow(
      /No API endpoint matches \/no\/such\/thing/,
    );
  });
});
