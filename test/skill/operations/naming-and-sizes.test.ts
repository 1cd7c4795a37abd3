import { describe, expect, test } from "vitest";
import { diskSizeOf, parseSizeRequest } from "../../../src/skill/operations/disk-size";
import { snapshotName } from "../../../src/skill/operations/snapshot-name";
import { agentEnabled } from "../../../src/skill/operations/guest-reads";
import { backupType } from "../../../src/skill/operations/backup";

describe("snapshotName", () => {
  const now = new Date("2025-03-04T05:06:07Z");
  test.each([
    ["aiagent-snap-{change}", "1234", "aiagent-snap-1234"],
    ["aiagent-snap-{change}", undefined, "aiagent-snap-20250304-050607"],
    ["pre-{date}-{time}-{vmid}", undefined, "pre-20250304-050607-100"],
    ["snap-{timestamp}", "x", "snap-20250304-050607"],
    ["c-{change}", "CHG 7/a", "c-CHG-7-a"],
    // seed 001's convention: "aiagent-snap-{change_number}"
    ["aiagent-snap-{change_number}", "1234", "aiagent-snap-1234"],
    ["aiagent-snap-{change_number}", undefined, "aiagent-snap-20250304-050607"],
  ])("%s with change %s → %s", (template, change, want) => {
    expect(snapshotName(template, { change, vmid: 100, now })).toBe(want);
  });
  test("invalid results and placeholders are refused", () => {
    expect(() => snapshotName("{vmid}-snap", { vmid: 100, now })).toThrow(/must start with a letter/);
    expect(() => snapshotName("s-{who}", { vmid: 100, now })).toThrow(/Unknown placeholder \{who\}/);
  });
});

describe("disk sizes", () => {
  test("requests", () => {
    expect(parseSizeRequest("32G")).toEqual({ relative: false, bytes: 32 * 1024 ** 3, text: "32G" });
    expect(parseSizeRequest("+512m")).toEqual({ relative: true, bytes: 512 * 1024 ** 2, text: "+512M" });
    expect(() => parseSizeRequest("-1G")).toThrow(/Invalid size "-1G"/);
  });
  test("the size= of a disk option", () => {
    expect(diskSizeOf("local-lvm:vm-100-disk-0,iothread=1,size=32G")).toBe(32 * 1024 ** 3);
    expect(diskSizeOf("local:100/vm-100-disk-0.qcow2,size=1.5T,ssd=1")).toBe(1.5 * 1024 ** 4);
    expect(diskSizeOf("none,media=cdrom")).toBeUndefined();
  });
});

test("agent option and backup type parsing", () => {
  expect(agentEnabled("1")).toBe(true);
  expect(agentEnabled("enabled=1,fstrim_cloned_disks=1")).toBe(true);
  expect(agentEnabled("0")).toBe(false);
  expect(agentEnabled(undefined)).toBe(false);
  expect(backupType("local:backup/vzdump-qemu-100-2025_01_01-00_00_00.vma.zst")).toBe("qemu");
  expect(backupType("local:backup/vzdump-lxc-200-2025_01_01-00_00_00.tar.zst")).toBe("lxc");
  expect(backupType("local:iso/debian.iso")).toBeUndefined();
});
