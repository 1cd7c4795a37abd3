import { describe, expect, test } from "vitest";
import { eventStamper, taskEndStatus, upidGuest, type ProgressEvent } from "../../../src/skill/progress/events";
import { taskPercent } from "../../../src/skill/progress/task-percent";

// Lines as PVE prints them (see the sources cited in src/skill/progress/task-percent.ts).
describe("taskPercent", () => {
  test("vzdump backup status (qemu-server PVE/VZDump/QemuServer.pm, '%3d%% (… of …) in …')", () => {
    expect(taskPercent("INFO:   5% (1.6 GiB of 32.0 GiB) in 3s, read: 546.1 MiB/s, write: 203.4 MiB/s")).toBe(5);
    expect(taskPercent("INFO:  45% (14.4 GiB of 32.0 GiB) in 30s, read: 500.0 MiB/s, write: 480.0 MiB/s")).toBe(45);
    expect(taskPercent("INFO: 100% (32.0 GiB of 32.0 GiB) in 1m 2s, read: 1.2 GiB/s, write: 0 B/s")).toBe(100);
  });

  test("drive mirror and qemu-img convert ('transferred … of … (x%)')", () => {
    expect(taskPercent("drive-scsi0: transferred 1.0 GiB of 32.0 GiB (3.12%) in 5s")).toBe(3.12);
    expect(taskPercent("drive-scsi0: transferred 32.0 GiB of 32.0 GiB (100.00%) in 2m 10s, ready")).toBe(100);
    expect(taskPercent("transferred 8.0 GiB of 32.0 GiB (25.00%)")).toBe(25);
  });

  test("live migration: the percentage is computed from the two sizes", () => {
    expect(taskPercent("2026-05-01 10:00:03 migration active, transferred 1.0 GiB of 4.0 GiB VM-state, 112.0 MiB/s")).toBe(25);
    expect(taskPercent("migration active, transferred 512.0 MiB of 2.0 GiB VM-state, 1.0 GiB/s")).toBe(25);
  });

  test("lines that report no progress give none", () => {
    for (const line of [
      "INFO: starting new backup job: vzdump 100 --storage local --mode snapshot",
      "INFO: Finished Backup of VM 100 (00:01:02)",
      "transferred 3.0 GiB in 12 seconds (256.0 MiB/s)",
      "migration status: completed",
      "CPU usage 50%",
      "TASK OK",
    ])
      expect(taskPercent(line), line).toBeUndefined();
  });
});

describe("events", () => {
  test("task end status", () => {
    expect(taskEndStatus("OK")).toBe("ok");
    expect(taskEndStatus("WARNINGS: 2")).toBe("warnings");
    expect(taskEndStatus("VM 100 not running")).toBe("failed");
  });

  test("the guest a UPID names", () => {
    expect(upidGuest("UPID:pve1:0001A2B0:00100000:6B13DE73:qmshutdown:100:root@pam!pvekit:")).toEqual({ node: "pve1", vmid: 100, task: "qmshutdown" });
    expect(upidGuest("UPID:pve2:0001A2B0:00100000:6B13DE73:vzdump::root@pam:")).toEqual({ node: "pve2", task: "vzdump" });
    expect(upidGuest("not a upid")).toEqual({});
  });

  test("the stamper adds time, guest and percentage; event comes first", () => {
    const got: ProgressEvent[] = [];
    const emit = eventStamper((e) => got.push(e), () => new Date("2026-01-02T03:04:05Z"));
    const upid = "UPID:pve1:0001A2B0:00100000:6B13DE73:vzdump:100:root@pam:";
    emit({ event: "task-log", upid, line: "INFO:  45% (14.4 GiB of 32.0 GiB) in 30s, read: 1 MiB/s, write: 1 MiB/s" });
    expect(got[0]).toEqual({
      event: "task-log",
      vmid: 100,
      node: "pve1",
      upid,
      line: "INFO:  45% (14.4 GiB of 32.0 GiB) in 30s, read: 1 MiB/s, write: 1 MiB/s",
      percent: 45,
      time: "2026-01-02T03:04:05.000Z",
    });
    expect(Object.keys(got[0]!)[0]).toBe("event");
  });
});
