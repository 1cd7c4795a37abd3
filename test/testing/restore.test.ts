import { describe, expect, it } from "vitest";
import { createSimulator } from "../../src/testing";
import { call } from "./helpers";

type Sim = ReturnType<typeof createSimulator>;

async function exitOf(sim: Sim, node: string, upid: string): Promise<string> {
  return (await call(sim, "GET", `/nodes/${node}/tasks/${encodeURIComponent(upid)}/status`)).data.exitstatus;
}

/** Backs up `vmid` on `node` to `local` and returns the archive's volid. */
async function backup(sim: Sim, node: string, vmid: number): Promise<string> {
  const upid = (await call(sim, "POST", `/nodes/${node}/vzdump`, { vmid: String(vmid), storage: "local" })).data;
  sim.clock.advance(60_000); // no-op on the instant clock
  expect(await exitOf(sim, node, upid)).toBe("OK");
  const list = (await call(sim, "GET", `/nodes/${node}/storage/local/content`, { content: "backup", vmid })).data as { volid: string }[];
  return list.at(-1)!.volid;
}

describe("restore with POST /nodes/{node}/{qemu,lxc}", () => {
  it("refuses an existing VMID without force=1, in PVE's words", async () => {
    const sim = createSimulator();
    const archive = await backup(sim, "pve2", 102);
    const r = await call(sim, "POST", "/nodes/pve2/qemu", { vmid: 102, archive });
    expect([r.status, r.statusText]).toEqual([500, "unable to restore VM 102 - VM 102 already exists on node 'pve2'"]);
    const ct = await call(sim, "POST", "/nodes/pve1/lxc", { vmid: 102, ostemplate: archive, restore: 1, force: 1 });
    expect(ct.statusText).toBe("unable to restore CT 102 - VM 102 already exists on node 'pve2'");
  });

  it("with force=1 replaces a stopped VM by the backup, as a qmrestore task", async () => {
    const sim = createSimulator({ clock: { mode: "manual" } });
    const archive = await backup(sim, "pve2", 102);
    const g = sim.state.guests.get(102)!;
    g.config.memory = 16384;
    g.config.name = "renamed";
    g.snapshots.push({ name: "later", snaptime: 0, vmstate: false, config: { ...g.config }, running: false });
    const upid = (await call(sim, "POST", "/nodes/pve2/qemu", { vmid: 102, archive, force: 1 })).data as string;
    expect(upid).toMatch(/^UPID:pve2:[^:]+:[^:]+:[^:]+:qmrestore:102:/);
    expect(sim.state.guests.get(102)?.config).toMatchObject({ lock: "create", name: "renamed" }); // old config, locked, until it ends
    sim.clock.advance(60_000);
    expect(await exitOf(sim, "pve2", upid)).toBe("OK");
    const after = sim.state.guests.get(102)!;
    expect(after.config).toMatchObject({ name: "test-vm", memory: 2048, scsi0: "local-lvm:vm-102-disk-0,iothread=1,size=16G" });
    expect(after.config.lock).toBeUndefined();
    expect(after.snapshots).toEqual([]);
  });

  it("restores a container with restore=1 force=1, overriding options given with it", async () => {
    const sim = createSimulator();
    sim.state.guests.get(200)!.status = "stopped";
    const archive = await backup(sim, "pve1", 200);
    sim.state.guests.get(200)!.config.hostname = "changed";
    const upid = (await call(sim, "POST", "/nodes/pve1/lxc", { vmid: 200, ostemplate: archive, restore: 1, force: 1, memory: 1024 })).data;
    expect(await exitOf(sim, "pve1", upid)).toBe("OK");
    expect(sim.state.guests.get(200)?.config).toMatchObject({ hostname: "proxy", memory: 1024 });
  });

  it("refuses to replace a running, locked or protected guest", async () => {
    const sim = createSimulator();
    const archive = await backup(sim, "pve1", 101);
    expect((await call(sim, "POST", "/nodes/pve1/qemu", { vmid: 101, archive, force: 1 })).statusText).toBe("unable to restore VM 101 - vm is running");
    const ct = await call(sim, "POST", "/nodes/pve1/lxc", { vmid: 200, ostemplate: archive, restore: 1, force: 1 });
    expect(ct.statusText).toBe("unable to restore CT 200 - can't overwrite running container");
    const g = sim.state.guests.get(101)!;
    g.status = "stopped";
    g.config.lock = "backup";
    expect((await call(sim, "POST", "/nodes/pve1/qemu", { vmid: 101, archive, force: 1 })).statusText).toBe("unable to restore VM 101 - VM is locked (backup)");
    delete g.config.lock;
    g.config.protection = 1;
    expect((await call(sim, "POST", "/nodes/pve1/qemu", { vmid: 101, archive, force: 1 })).statusText).toBe("unable to restore VM 101 - protection mode enabled");
    expect(g.config.name).toBe("db01");
  });
});
