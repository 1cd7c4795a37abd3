import { describe, expect, it } from "vitest";
import { createSimulator } from "../../src/testing";
import { call } from "./helpers";

async function taskExit(sim: ReturnType<typeof createSimulator>, node: string, upid: string): Promise<string> {
  return (await call(sim, "GET", `/nodes/${node}/tasks/${encodeURIComponent(upid)}/status`)).data.exitstatus;
}

describe("cluster views", () => {
  it("filters /cluster/resources by type", async () => {
    const sim = createSimulator();
    const vms = (await call(sim, "GET", "/cluster/resources", { type: "vm" })).data as { type: string; vmid: number; template: number }[];
    expect(new Set(vms.map((r) => r.type))).toEqual(new Set(["qemu", "lxc"]));
    expect(vms.map((r) => r.vmid)).toEqual([...sim.state.guests.keys()].sort((a, b) => a - b));
    expect(vms.find((r) => r.vmid === 9000)?.template).toBe(1);
    const nodes = (await call(sim, "GET", "/cluster/resources", { type: "node" })).data;
    expect(nodes.map((n: { node: string }) => n.node)).toEqual(sim.state.nodes.map((n) => n.name));
    const all = (await call(sim, "GET", "/cluster/resources")).data as { type: string }[];
    expect(new Set(all.map((r) => r.type))).toEqual(new Set(["node", "qemu", "lxc", "storage", "pool"]));
  });

  it("describes guests in /cluster/resources as Cluster.pm / API2Tools.pm extract_vm_stats do", async () => {
    const sim = createSimulator();
    await call(sim, "POST", "/nodes/pve1/qemu/100/status/suspend");
    sim.state.guests.get(101)!.config.lock = "backup";
    const rows = (await call(sim, "GET", "/cluster/resources")).data as Record<string, unknown>[];
    // pools first, then guests, nodes and storages
    expect(rows.map((r) => r.type).filter((t, i, a) => a.indexOf(t) === i)).toEqual(["pool", "qemu", "lxc", "node", "storage"]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const fields = ["id", "vmid", "node", "type", "status", "uptime", "name", "template", "maxcpu", "cpu", "maxmem", "mem", "maxdisk", "disk", "netin", "netout", "diskread", "diskwrite", "memhost"];
    for (const id of ["qemu/100", "qemu/102", "lxc/200", "lxc/201", "qemu/9000"]) expect(Object.keys(byId.get(id)!), id).toEqual(expect.arrayContaining(fields));
    expect(byId.get("qemu/100")).toMatchObject({ status: "paused", maxcpu: 2, pool: "production", template: 0 }); // pvestatd stores qmpstatus
    expect(byId.get("qemu/100")!.cpus).toBeUndefined();
    expect(byId.get("qemu/101")).toMatchObject({ status: "running", maxcpu: 4, lock: "backup", tags: "db;prod" });
    expect(byId.get("qemu/102")).toMatchObject({ status: "stopped", uptime: 0, mem: 0, memhost: 0, disk: 0 });
    expect(byId.get("lxc/200")).toMatchObject({ maxcpu: 1, memhost: 0 });
    // the pool row sums its running guests: 100, 101 and 200 (Cluster.pm, before the per-guest privilege check)
    const members = ["qemu/100", "qemu/101", "lxc/200"].map((id) => byId.get(id)!);
    const sum = (k: string) => members.reduce((n, r) => n + Number(r[k]), 0);
    expect(byId.get("/pool/production")).toMatchObject({ pool: "production", maxcpu: sum("maxcpu"), maxmem: sum("maxmem"), mem: sum("mem") });
  });

  it("reports a VM's vCPUs capped at its node's threads, and refuses to start more than the node has (qemu-server)", async () => {
    const sim = createSimulator({ setup: (s) => void (s.nodes.find((n) => n.name === "pve2")!.maxcpu = 1) });
    sim.state.guests.get(201)!.config.cores = 4;
    const rows = (await call(sim, "GET", "/cluster/resources", { type: "vm" })).data as Record<string, unknown>[];
    expect(rows.find((r) => r.vmid === 102)).toMatchObject({ maxcpu: 1 }); // 2 cores configured (QemuServer.pm vmstatus)
    expect(rows.find((r) => r.vmid === 201)).toMatchObject({ maxcpu: 4 }); // containers: cores, uncapped (LXC.pm vmstatus)
    expect((await call(sim, "GET", "/nodes/pve2/qemu/102/status/current")).data.cpus).toBe(1);
    const upid = (await call(sim, "POST", "/nodes/pve2/qemu/102/status/start")).data as string;
    expect(await taskExit(sim, "pve2", upid)).toBe("MAX 1 vcpus allowed per VM on this node");
    expect(sim.state.guests.get(102)!.status).toBe("stopped");
  });

  it("hands out the next free VMID and refuses taken ones", async () => {
    const sim = createSimulator();
    const taken = [...sim.state.guests.keys()];
    const next = (await call(sim, "GET", "/cluster/nextid")).data as number;
    expect(taken).not.toContain(next);
    expect(next).toBeGreaterThanOrEqual(100);
    const r = await call(sim, "GET", "/cluster/nextid", { vmid: 100 });
    expect(r.status).toBe(400);
    expect(r.json.errors.vmid).toBe("VM 100 already exists");
  });

  it("lists storage content and backups per node", async () => {
    const sim = createSimulator();
    const storages = (await call(sim, "GET", "/nodes/pve1/storage")).data.map((s: { storage: string }) => s.storage);
    expect(storages).toEqual(["local", "local-lvm"]);
    const images = (await call(sim, "GET", "/nodes/pve1/storage/local-lvm/content")).data;
    expect(images.map((v: { vmid: number }) => v.vmid)).toEqual(expect.arrayContaining([100, 101, 200]));
    const backups = (await call(sim, "GET", "/nodes/pve1/storage/local/content", { content: "backup", vmid: 100 })).data;
    expect(backups.length).toBe(2);
    expect(backups[0].volid).toMatch(/^local:backup\/vzdump-qemu-100-/);
  });

  it("reports guest agent interfaces, and PVE's errors when it cannot", async () => {
    const sim = createSimulator();
    const r = await call(sim, "GET", "/nodes/pve1/qemu/100/agent/network-get-interfaces");
    const eth0 = r.data.result.find((n: { name: string }) => n.name === "eth0");
    expect(eth0["ip-addresses"][0]["ip-address"]).toBe("192.168.1.100");
    expect((await call(sim, "GET", "/nodes/pve1/qemu/101/agent/network-get-interfaces")).statusText).toBe("No QEMU guest agent configured");
    sim.state.guests.get(100)!.status = "stopped";
    expect((await call(sim, "GET", "/nodes/pve1/qemu/100/agent/network-get-interfaces")).statusText).toBe("VM 100 is not running");
  });
});

describe("guest configuration", () => {
  it("checks the digest, applies changes and deletes options", async () => {
    const sim = createSimulator();
    const before = (await call(sim, "GET", "/nodes/pve1/qemu/101/config")).data;
    expect(before.digest).toMatch(/^[0-9a-f]{40}$/);
    const ok = await call(sim, "PUT", "/nodes/pve1/qemu/101/config", { digest: before.digest, cores: 8, delete: "tags" });
    expect(ok.status).toBe(200);
    const after = (await call(sim, "GET", "/nodes/pve1/qemu/101/config")).data;
    expect(after.cores).toBe(8);
    expect(after.tags).toBeUndefined();
    expect(after.digest).not.toBe(before.digest);
    const stale = await call(sim, "PUT", "/nodes/pve1/qemu/101/config", { digest: before.digest, cores: 2 });
    expect(stale.status).toBe(500);
    expect(stale.statusText).toBe("checksum mismatch (file change by other user?)"); // qemu-server update_vm_api's words
    const both = await call(sim, "PUT", "/nodes/pve1/qemu/101/config", { cores: 2, delete: "cores" });
    expect(both.status).toBe(400);
  });

  it("runs POST config as a task and allocates new disks", async () => {
    const sim = createSimulator();
    const upid = (await call(sim, "POST", "/nodes/pve1/qemu/101/config", { scsi1: "local-lvm:10" })).data;
    expect(await taskExit(sim, "pve1", upid)).toBe("OK");
    expect(sim.state.guests.get(101)?.config.scsi1).toBe("local-lvm:vm-101-disk-1,size=10G");
  });

  it("names the missing privilege per option, once the method's declared check passed", async () => {
    const sim = createSimulator();
    const ro = { authorization: sim.credentials.restrictedToken.header };
    // the declared check (any VM.Config.* privilege) comes first and names them all
    const r = await call(sim, "PUT", "/nodes/pve1/qemu/101/config", { memory: 1024 }, ro);
    expect(r.statusText).toBe(
      "Permission check failed (/vms/101, VM.Config.Disk|VM.Config.CDROM|VM.Config.CPU|VM.Config.Memory|VM.Config.Network|VM.Config.HWType|VM.Config.Options|VM.Config.Cloudinit)",
    );
    // PVEVMUser may change CD-ROMs: past the declared check, the option's own privilege is named
    await call(sim, "PUT", "/access/acl", { path: "/vms", roles: "PVEVMUser", tokens: "auditor@pve!readonly" });
    sim.access.acl.push({ path: "/vms", ugid: "auditor@pve", roleid: "PVEVMUser", propagate: true });
    const vmUser = await call(sim, "PUT", "/nodes/pve1/qemu/101/config", { memory: 1024 }, ro);
    expect(vmUser.statusText).toBe("Permission check failed (/vms/101, VM.Config.Memory)");
  });

  it("resizes disks: absolute and +N, grow only", async () => {
    const sim = createSimulator();
    const grow = (await call(sim, "PUT", "/nodes/pve1/qemu/101/resize", { disk: "scsi0", size: "+6G" })).data;
    expect(await taskExit(sim, "pve1", grow)).toBe("OK");
    expect(sim.state.guests.get(101)?.config.scsi0).toContain("size=70G");
    const abs = (await call(sim, "PUT", "/nodes/pve1/lxc/200/resize", { disk: "rootfs", size: "16G" })).data;
    expect(await taskExit(sim, "pve1", abs)).toBe("OK");
    expect(sim.state.guests.get(200)?.config.rootfs).toContain("size=16G");
    const shrink = (await call(sim, "PUT", "/nodes/pve1/qemu/101/resize", { disk: "scsi0", size: "10G" })).data;
    expect(await taskExit(sim, "pve1", shrink)).toBe("shrinking disks is not supported");
    const missing = (await call(sim, "PUT", "/nodes/pve1/qemu/101/resize", { disk: "scsi5", size: "+1G" })).data;
    expect(await taskExit(sim, "pve1", missing)).toBe("disk 'scsi5' does not exist");
  });
});

describe("snapshots, backups and lifecycle", () => {
  it("rolls back and deletes snapshots", async () => {
    const sim = createSimulator();
    await call(sim, "PUT", "/nodes/pve1/qemu/100/config", { cores: 6 });
    const rb = (await call(sim, "POST", "/nodes/pve1/qemu/100/snapshot/pre-upgrade/rollback")).data;
    expect(await taskExit(sim, "pve1", rb)).toBe("OK");
    const g = sim.state.guests.get(100)!;
    expect(g.config.cores).toBe(2);
    expect(g.status).toBe("stopped"); // no vmstate in that snapshot
    const del = (await call(sim, "DELETE", "/nodes/pve1/qemu/100/snapshot/pre-upgrade")).data;
    expect(await taskExit(sim, "pve1", del)).toBe("OK");
    expect(g.snapshots).toHaveLength(0);
    expect(g.config.parent).toBeUndefined();
    const gone = (await call(sim, "DELETE", "/nodes/pve1/qemu/100/snapshot/pre-upgrade")).data;
    expect(await taskExit(sim, "pve1", gone)).toBe("snapshot 'pre-upgrade' does not exist");
  });

  it("backs up with vzdump and lists the new archive", async () => {
    const sim = createSimulator({ clock: { mode: "manual" } });
    const upid = (await call(sim, "POST", "/nodes/pve1/vzdump", { vmid: "101", storage: "local", mode: "snapshot", "notes-template": "{{guestname}}" })).data;
    expect(sim.state.guests.get(101)?.config.lock).toBe("backup");
    sim.clock.advance(60_000);
    expect(await taskExit(sim, "pve1", upid)).toBe("OK");
    const backups = (await call(sim, "GET", "/nodes/pve1/storage/local/content", { content: "backup", vmid: 101 })).data;
    expect(backups).toHaveLength(1);
    expect(backups[0]).toMatchObject({ vmid: 101, notes: "db01", format: "vma.zst" });
    expect((await call(sim, "POST", "/nodes/pve1/vzdump", { vmid: "101", storage: "local-lvm" })).status).toBe(500);
  });

  it("clones full and linked, checking the new VMID", async () => {
    const sim = createSimulator();
    const full = (await call(sim, "POST", "/nodes/pve1/qemu/101/clone", { newid: 300, name: "db02" })).data;
    expect(await taskExit(sim, "pve1", full)).toBe("OK");
    expect(sim.state.guests.get(300)?.config).toMatchObject({ name: "db02", scsi0: expect.stringMatching(/^local-lvm:vm-300-disk-0,/) });
    expect(sim.state.guests.get(300)?.config.net0).not.toBe(sim.state.guests.get(101)?.config.net0);
    const linked = (await call(sim, "POST", "/nodes/pve2/qemu/9000/clone", { newid: 301, full: 0 })).data;
    expect(await taskExit(sim, "pve2", linked)).toBe("OK");
    expect(String(sim.state.guests.get(301)?.config.scsi0)).toMatch(/^local-lvm:base-9000-disk-0\/vm-301-disk-0,/);
    const taken = await call(sim, "POST", "/nodes/pve1/qemu/101/clone", { newid: 100 });
    expect(taken.statusText).toBe("unable to create VM 100 - VM 100 already exists on node 'pve1'");
    const linkedFromVm = await call(sim, "POST", "/nodes/pve1/qemu/101/clone", { newid: 302, full: 0 });
    expect(linkedFromVm.statusText).toBe("Linked clone feature is not supported for drive 'scsi0'");
  });

  it("migrates, refusing running guests without online/restart", async () => {
    const sim = createSimulator();
    expect((await call(sim, "POST", "/nodes/pve1/qemu/101/migrate", { target: "pve2" })).statusText).toBe("can't migrate running VM without --online");
    expect((await call(sim, "POST", "/nodes/pve1/lxc/200/migrate", { target: "pve2" })).statusText).toBe("running container can only be migrated in restart mode");
    expect((await call(sim, "POST", "/nodes/pve1/qemu/101/migrate", { target: "pve1" })).status).toBe(400);
    const upid = (await call(sim, "POST", "/nodes/pve1/qemu/101/migrate", { target: "pve2", online: 1 })).data;
    expect(await taskExit(sim, "pve1", upid)).toBe("OK");
    expect(sim.state.guests.get(101)?.node).toBe("pve2");
    expect((await call(sim, "GET", "/nodes/pve2/qemu/101/status/current")).data.status).toBe("running");
  });

  it("deletes stopped guests only, and converts to templates", async () => {
    const sim = createSimulator();
    expect((await call(sim, "DELETE", "/nodes/pve1/qemu/101")).statusText).toBe("VM 101 is running - destroy failed");
    const del = (await call(sim, "DELETE", "/nodes/pve2/qemu/102", { purge: 1 })).data;
    expect(await taskExit(sim, "pve2", del)).toBe("OK");
    expect(sim.state.guests.has(102)).toBe(false);
    const tpl = await call(sim, "POST", "/nodes/pve3/qemu/103/template");
    expect(tpl.status).toBe(200);
    expect(sim.state.guests.get(103)?.config).toMatchObject({ template: 1, scsi0: expect.stringMatching(/^local-lvm:base-103-disk-0/) });
    const start = (await call(sim, "POST", "/nodes/pve3/qemu/103/status/start")).data;
    expect(await taskExit(sim, "pve3", start)).toBe("you can't start a vm if it's a template");
  });

  it("creates VMs and containers", async () => {
    const sim = createSimulator();
    const vm = (await call(sim, "POST", "/nodes/pve1/qemu", { vmid: 400, name: "new-vm", memory: 1024, scsi0: "local-lvm:4", net0: "virtio,bridge=vmbr0" })).data;
    expect(await taskExit(sim, "pve1", vm)).toBe("OK");
    expect(sim.state.guests.get(400)?.config.scsi0).toBe("local-lvm:vm-400-disk-0,size=4G");
    const ct = (await call(sim, "POST", "/nodes/pve1/lxc", { vmid: 401, ostemplate: "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst", storage: "local-lvm", hostname: "c1", password: "hunter22", start: 1 })).data;
    expect(await taskExit(sim, "pve1", ct)).toBe("OK");
    expect(sim.state.guests.get(401)).toMatchObject({ status: "running", config: { hostname: "c1" } });
    expect(JSON.stringify(sim.state.guests.get(401)?.config)).not.toContain("hunter22");
  });

  it("manages pools", async () => {
    const sim = createSimulator();
    expect((await call(sim, "POST", "/pools", { poolid: "lab", comment: "Lab" })).status).toBe(200);
    expect((await call(sim, "PUT", "/pools/lab", { vms: "102" })).status).toBe(200);
    const lab = (await call(sim, "GET", "/pools/lab")).data;
    expect(lab.members.map((m: { vmid: number }) => m.vmid)).toEqual([102]);
    expect((await call(sim, "PUT", "/pools/lab", { vms: "100" })).status).toBe(500);
    expect((await call(sim, "DELETE", "/pools/lab")).statusText).toBe("pool 'lab' is not empty");
    await call(sim, "PUT", "/pools/lab", { vms: "102", delete: 1 });
    expect((await call(sim, "DELETE", "/pools/lab")).status).toBe(200);
    expect((await call(sim, "GET", "/pools")).data.map((p: { poolid: string }) => p.poolid)).toEqual(["production"]);
  });
});
