import { describe, expect, it } from "vitest";
import { taskPercent } from "../../src/skill/progress/task-percent";
import { createSimulator } from "../../src/testing";
import { call } from "./helpers";

const manual = () => createSimulator({ clock: { mode: "manual" } });
type Sim = ReturnType<typeof manual>;

async function log(sim: Sim, node: string, upid: string): Promise<string[]> {
  return (await call(sim, "GET", `/nodes/${node}/tasks/${encodeURIComponent(upid)}/log`, { limit: 1000 })).data.map((l: { t: string }) => l.t);
}
async function status(sim: Sim, node: string, upid: string) {
  return (await call(sim, "GET", `/nodes/${node}/tasks/${encodeURIComponent(upid)}/status`)).data;
}

describe("vzdump (pve-manager PVE/VZDump.pm, qemu-server PVE/VZDump/QemuServer.pm)", () => {
  it("writes QEMU's backup status lines while the backup runs, on the virtual clock", async () => {
    const sim = manual();
    const upid = (await call(sim, "POST", "/nodes/pve1/vzdump", { vmid: "100", storage: "local" })).data as string;
    expect(await log(sim, "pve1", upid)).toEqual([
      "INFO: starting new backup job: vzdump 100 --storage local --mode snapshot",
      "INFO: Starting Backup of VM 100 (qemu)",
      expect.stringMatching(/^INFO: Backup started at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
      "INFO: status = running",
      "INFO: VM Name: web01",
      "INFO: include disk 'scsi0' 'local-lvm:vm-100-disk-0' 32G",
      "INFO: backup mode: snapshot",
      "INFO: ionice priority: 7",
      expect.stringMatching(/^INFO: creating vzdump archive '\/var\/lib\/vz\/dump\/vzdump-qemu-100-\d{4}_\d\d_\d\d-\d\d_\d\d_\d\d\.vma\.zst'$/),
      expect.stringMatching(/^INFO: started backup task '[0-9a-f-]{36}'$/),
      "INFO: resuming VM again",
    ]);
    expect(sim.state.guests.get(100)!.config.lock).toBe("backup");
    sim.clock.advance(3000);
    expect((await log(sim, "pve1", upid)).at(-1)).toBe("INFO:  30% (9.6 GiB of 32.0 GiB) in 3s, read: 3.2 GiB/s, write: 983.0 MiB/s");
    sim.clock.advance(4000);
    const mid = await log(sim, "pve1", upid);
    expect(mid.at(-1)).toMatch(/^INFO:  60% \(19\.2 GiB of 32\.0 GiB\) in 6s, read: /);
    expect((await status(sim, "pve1", upid)).status).toBe("running");
    sim.clock.advance(3000);
    const done = await log(sim, "pve1", upid);
    expect(done.slice(13)).toEqual([
      expect.stringMatching(/^INFO:  90% \(28\.8 GiB of 32\.0 GiB\) in 9s/),
      expect.stringMatching(/^INFO: 100% \(32\.0 GiB of 32\.0 GiB\) in 10s, read: /),
      "INFO: backup is sparse: 22.40 GiB (70%) total zero data",
      "INFO: transferred 32.00 GiB in 10 seconds (3.2 GiB/s)",
      "INFO: archive file size: 3.20GB",
      "INFO: Finished Backup of VM 100 (00:00:10)",
      expect.stringMatching(/^INFO: Backup finished at /),
      "INFO: Backup job finished successfully",
      "TASK OK",
    ]);
    // every status line is one pvekit's --progress reads a percentage from
    expect(done.map(taskPercent).filter((p) => p !== undefined)).toEqual([30, 60, 90, 100]);
    expect(sim.state.guests.get(100)!.config.lock).toBeUndefined();
  });

  it("backs up several guests one after another, each locked only while its turn lasts", async () => {
    const sim = manual();
    const upid = (await call(sim, "POST", "/nodes/pve1/vzdump", { vmid: "200,100", storage: "local" })).data as string;
    expect(upid).toMatch(/:vzdump::root@pam!pvekit:$/); // several guests: no id
    const locks = () => [sim.state.guests.get(100)!.config.lock, sim.state.guests.get(200)!.config.lock];
    expect(locks()).toEqual(["backup", undefined]); // VMID order
    sim.clock.advance(10_000);
    expect(locks()).toEqual([undefined, "backup"]);
    const lines = await log(sim, "pve1", upid);
    expect(lines).toContain("INFO: Finished Backup of VM 100 (00:00:10)");
    expect(lines).toContain("INFO: Starting Backup of VM 200 (lxc)");
    sim.clock.advance(10_000);
    expect((await status(sim, "pve1", upid)).exitstatus).toBe("OK");
    const end = await log(sim, "pve1", upid);
    expect(end).toEqual(expect.arrayContaining(["INFO: CT Name: proxy", "INFO: including mount point rootfs ('/') in backup", "INFO: create storage snapshot 'vzdump'"]));
    expect(end.filter((l) => l.startsWith("INFO: Finished Backup"))).toHaveLength(2);
  });

  it("goes on past a locked guest and ends with 'job errors', as VZDump.pm exec_backup does", async () => {
    const sim = manual();
    sim.state.guests.get(101)!.config.lock = "snapshot";
    const upid = (await call(sim, "POST", "/nodes/pve1/vzdump", { vmid: "100,101,200", storage: "local" })).data as string;
    sim.clock.advance(60_000);
    const st = await status(sim, "pve1", upid);
    expect(st.exitstatus).toBe("job errors");
    const lines = await log(sim, "pve1", upid);
    const i = lines.indexOf("INFO: Starting Backup of VM 101 (qemu)");
    expect(lines.slice(i, i + 5)).toEqual([
      "INFO: Starting Backup of VM 101 (qemu)",
      expect.stringMatching(/^INFO: Backup started at /),
      "INFO: status = running",
      "ERROR: Backup of VM 101 failed - VM is locked (snapshot)",
      expect.stringMatching(/^INFO: Failed at /),
    ]);
    expect(lines.slice(-2)).toEqual(["INFO: Backup job finished with errors", "TASK ERROR: job errors"]);
    // the others were backed up; the locked guest keeps its own lock
    const backups = (await call(sim, "GET", "/nodes/pve1/storage/local/content", { content: "backup" })).data as { vmid: number; ctime: number }[];
    expect(new Set(backups.filter((b) => b.ctime >= st.starttime).map((b) => b.vmid))).toEqual(new Set([100, 200]));
    expect(sim.state.guests.get(101)!.config.lock).toBe("snapshot");
    // the locked guest took no time: 100 and 200 ran back to back (2 × 10 s)
    const entry = (await call(sim, "GET", "/nodes/pve1/tasks", { typefilter: "vzdump" })).data[0];
    expect(entry.endtime - entry.starttime).toBe(20);
  });

  it("fails a single locked guest the same way, and an unknown VMID visibly", async () => {
    const sim = createSimulator();
    sim.state.guests.get(101)!.config.lock = "migrate";
    const one = (await call(sim, "POST", "/nodes/pve1/vzdump", { vmid: "101", storage: "local" })).data as string;
    expect(one).toMatch(/:vzdump:101:/);
    expect((await status(sim, "pve1", one)).exitstatus).toBe("job errors");
    expect(await log(sim, "pve1", one)).toContain("ERROR: Backup of VM 101 failed - VM is locked (migrate)");
    const unknown = (await call(sim, "POST", "/nodes/pve1/vzdump", { vmid: "100,4242", storage: "local" })).data as string;
    const lines = await log(sim, "pve1", unknown);
    expect(lines).toContain("ERROR: Backup of VM 4242 failed - unable to find VM '4242'");
    expect(lines).toContain("INFO: Finished Backup of VM 100 (00:00:00)");
    expect((await status(sim, "pve1", unknown)).exitstatus).toBe("job errors");
  });

  it("a task-error fault fails every guest of the job, writing no archive", async () => {
    const sim = createSimulator();
    sim.fault("POST /nodes/pve1/vzdump", { kind: "task-error", message: "boom" });
    const before = (await call(sim, "GET", "/nodes/pve1/storage/local/content", { content: "backup" })).data.length;
    const upid = (await call(sim, "POST", "/nodes/pve1/vzdump", { vmid: "100,200", storage: "local" })).data as string;
    const lines = await log(sim, "pve1", upid);
    expect(lines.filter((l) => l.startsWith("ERROR:"))).toEqual(["ERROR: Backup of VM 100 failed - boom", "ERROR: Backup of VM 200 failed - boom"]);
    expect(lines.at(-1)).toBe("TASK ERROR: boom");
    expect((await call(sim, "GET", "/nodes/pve1/storage/local/content", { content: "backup" })).data.length).toBe(before);
  });

  it("on the instant clock a backup is done at once: no status lines but the last", async () => {
    const sim = createSimulator();
    const upid = (await call(sim, "POST", "/nodes/pve1/vzdump", { vmid: "100", storage: "local" })).data as string;
    const lines = await log(sim, "pve1", upid);
    expect(lines.filter((l) => taskPercent(l) !== undefined)).toEqual([expect.stringMatching(/^INFO: 100% \(32\.0 GiB of 32\.0 GiB\) in 0s/)]);
    expect(lines.at(-1)).toBe("TASK OK");
  });
});
