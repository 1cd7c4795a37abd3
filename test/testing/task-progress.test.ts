import { describe, expect, it, test } from "vitest";
import { taskPercent } from "../../src/skill/progress/task-percent";
import { createSimulator } from "../../src/testing";
import { formatHms, renderBytes, renderDuration, vzdumpSize, vzdumpStamp } from "../../src/testing/task-progress";
import { call } from "./helpers";

const manual = () => createSimulator({ clock: { mode: "manual" } });
type Sim = ReturnType<typeof manual>;

async function log(sim: Sim, node: string, upid: string): Promise<string[]> {
  return (await call(sim, "GET", `/nodes/${node}/tasks/${encodeURIComponent(upid)}/log`, { limit: 5000 })).data.map((l: { t: string }) => l.t);
}
const percents = (lines: string[]) => lines.map(taskPercent).filter((p): p is number => p !== undefined);
const GiB = 1024 ** 3;

// Values as PVE's Perl computes them (pve-common PVE/Format.pm, pve-manager PVE/VZDump.pm).
test.each([
  [0, 1, "0.0 B"],
  [1023, 2, "1023.00 B"],
  [1024, 1, "1.0 KiB"],
  [32 * GiB, 1, "32.0 GiB"],
  [22.4 * GiB, 2, "22.40 GiB"],
  [1.5 * 1024 ** 4, 1, "1.5 TiB"],
])("render_bytes(%d, %d) = %s", (value, precision, text) => {
  expect(renderBytes(value, precision)).toBe(text);
});

test("render_duration, format_time, vzdump's format_size and archive time stamp", () => {
  expect([0, 3, 59, 65, 3601, 90_061].map(renderDuration)).toEqual(["0s", "3s", "59s", "1m 5s", "1h 1s", "1d 1h 1m 1s"]);
  expect(formatHms(102)).toBe("00:01:42");
  expect([512 * 1024, 812 * 1024 ** 2, 3.2 * GiB].map(vzdumpSize)).toEqual(["512KB", "812MB", "3.20GB"]);
  expect(vzdumpStamp(Date.UTC(2026, 0, 2, 3, 4, 5))).toBe("2026_01_02-03_04_05");
});

describe("progress lines while tasks run, on the virtual clock", () => {
  it("a full clone of a stopped VM: qemu-img convert's percent lines (QemuImage.pm), whatever the duration", async () => {
    const sim = manual();
    const upid = (await call(sim, "POST", "/nodes/pve2/qemu/102/clone", { newid: 150, full: 1 })).data as string;
    const start = await log(sim, "pve2", upid);
    expect(start).toEqual([
      "creating a clone of VM 102 with ID 150",
      "create full clone of drive scsi0 (local-lvm:vm-102-disk-0)",
      '  Logical volume "vm-150-disk-0" created.',
      "allocated target volume 'local-lvm:vm-150-disk-0'",
      "transferred 0.0 B of 16.0 GiB (0.00%)",
    ]);
    sim.clock.advance(5000);
    const half = await log(sim, "pve2", upid);
    expect(half.at(-1)).toBe("transferred 8.0 GiB of 16.0 GiB (50.00%)");
    sim.clock.advance(5000);
    const done = await log(sim, "pve2", upid);
    expect(percents(done)).toEqual(Array.from({ length: 101 }, (_, i) => i));
    expect(done.slice(-2)).toEqual(["transferred 16.0 GiB of 16.0 GiB (100.00%)", "TASK OK"]);
    expect(sim.state.guests.get(150)!.config.lock).toBeUndefined();
  });

  it("a full clone of a running VM: a drive mirror, a line each second, then the jobs cancelled (BlockJob.pm)", async () => {
    const sim = manual();
    const upid = (await call(sim, "POST", "/nodes/pve1/qemu/101/clone", { newid: 151, full: 1 })).data as string;
    sim.clock.advance(3000);
    expect((await log(sim, "pve1", upid)).slice(4)).toEqual([
      "drive mirror is starting for drive-scsi0",
      "drive-scsi0: transferred 0.0 B of 64.0 GiB (0.00%) in 0s",
      "drive-scsi0: transferred 6.4 GiB of 64.0 GiB (10.00%) in 1s",
      "drive-scsi0: transferred 12.8 GiB of 64.0 GiB (20.00%) in 2s",
      "drive-scsi0: transferred 19.2 GiB of 64.0 GiB (30.00%) in 3s",
    ]);
    sim.clock.advance(7000);
    const done = await log(sim, "pve1", upid);
    expect(done.slice(-7)).toEqual([
      "drive-scsi0: transferred 64.0 GiB of 64.0 GiB (100.00%) in 10s, ready",
      "all 'mirror' jobs are ready",
      "suspend vm", // no guest agent to freeze its filesystems
      "drive-scsi0: Cancelling block job",
      "drive-scsi0: Done.",
      "resume vm",
      "TASK OK",
    ]);
    expect(percents(done)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  });

  it("move_disk: the copy's lines, then the old volume kept as unused0 (Qemu.pm move_vm_disk)", async () => {
    const sim = createSimulator({
      clock: { mode: "manual" },
      setup: (s) => void s.storages.push({ storage: "data", type: "dir", content: ["images"], shared: false, total: 1024 * GiB, volumes: {}, options: { path: "/mnt/data" } }),
    });
    const upid = (await call(sim, "POST", "/nodes/pve2/qemu/102/move_disk", { disk: "scsi0", storage: "data" })).data as string;
    sim.clock.advance(10_000);
    const lines = await log(sim, "pve2", upid);
    expect(lines.slice(0, 4)).toEqual([
      "copying volume 'local-lvm:vm-102-disk-0' from current storage 'local-lvm' to target storage 'data'",
      "create full clone of drive scsi0 (local-lvm:vm-102-disk-0)",
      "allocated target volume 'data:102/vm-102-disk-0.raw'",
      "transferred 0.0 B of 16.0 GiB (0.00%)",
    ]);
    expect(lines.slice(-2)).toEqual(["adding source volume 'local-lvm:vm-102-disk-0' as 'unused0' to config", "TASK OK"]);
    expect(percents(lines)).toHaveLength(101);
    expect(sim.state.guests.get(102)!.config.unused0).toBe("local-lvm:vm-102-disk-0");
    // a running VM's disk is mirrored and the mirror completed onto the new volume
    const live = (await call(sim, "POST", "/nodes/pve1/qemu/101/move_disk", { disk: "scsi0", storage: "data", delete: 1 })).data as string;
    sim.clock.advance(10_000);
    expect((await log(sim, "pve1", live)).slice(-6)).toEqual([
      "all 'mirror' jobs are ready",
      "drive-scsi0: Completing block job...",
      "drive-scsi0: Completed successfully.",
      "drive-scsi0: mirror-job finished",
      "removing source volume 'local-lvm:vm-101-disk-0' after successful copy",
      "TASK OK",
    ]);
  });

  it("a live migration: local disks mirrored, then the RAM, a time-stamped line each second (QemuMigrate.pm)", async () => {
    const sim = manual();
    const upid = (await call(sim, "POST", "/nodes/pve1/qemu/100/migrate", { target: "pve2", online: 1, "with-local-disks": 1 })).data as string;
    sim.clock.advance(20_000);
    const lines = await log(sim, "pve1", upid);
    const ts = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d /;
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d starting migration of VM 100 to node 'pve2' \(192\.168\.1\.12\)$/);
    expect(lines.map((l) => l.replace(ts, ""))).toEqual(
      expect.arrayContaining([
        "found local disk 'local-lvm:vm-100-disk-0' (attached)",
        "starting storage migration",
        "scsi0: start migration to nbd:unix:/run/qemu-server/100_nbd.migrate:exportname=drive-scsi0",
        "drive-scsi0: transferred 32.0 GiB of 32.0 GiB (100.00%) in 8s, ready",
        "migration cachesize: 512.0 MiB",
        "migration active, transferred 1.0 GiB of 4.0 GiB VM-state, 341.3 MiB/s",
        "migration completed, transferred 4.0 GiB VM-state",
        "migration finished successfully (duration 00:00:20)",
      ]),
    );
    const ram = lines.filter((l) => / migration active, /.test(l));
    expect(ram).toHaveLength(11); // each second of the 12 s RAM phase but its start and end
    expect(percents(ram).every((p, i, a) => i === 0 || p > (a[i - 1] as number))).toBe(true);
    expect(sim.state.guests.get(100)!.node).toBe("pve2");
  });

  it("an offline migration logs its start and end with time stamps", async () => {
    const sim = createSimulator();
    const upid = (await call(sim, "POST", "/nodes/pve2/qemu/102/migrate", { target: "pve3" })).data as string;
    const lines = await log(sim, "pve2", upid);
    expect(lines.map((l) => l.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d /, ""))).toEqual([
      "starting migration of VM 102 to node 'pve3' (192.168.1.13)",
      "found local disk 'local-lvm:vm-102-disk-0' (attached)",
      "copying local disk images",
      "volume 'local-lvm:vm-102-disk-0' is 'local-lvm:vm-102-disk-0' on the target",
      "migration finished successfully (duration 00:00:00)",
      "TASK OK",
    ]);
  });
});
