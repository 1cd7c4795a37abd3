import { describe, expect, test } from "vitest";
import { diffSnapshots, snapshotOf } from "../../../src/skill/watch/cluster-diff";

const T = "2026-01-01T00:00:00.000Z";
const up = (node: string, type: string, id: string, n = 1) => `UPID:${node}:0001A2B${n}:00100000:6B13DE73:${type}:${id}:root@pam:`;
const node = (name: string, status = "online") => ({ id: `node/${name}`, type: "node", node: name, status });
const guest = (vmid: number, nodeName: string, status: string, name = `g${vmid}`) => ({ id: `qemu/${vmid}`, type: "qemu", vmid, node: nodeName, status, name });
const running = (upid: string, nodeName: string, type: string, id: string) => ({ upid, node: nodeName, type, id, user: "root@pam", starttime: 1 });
const stopped = (upid: string, nodeName: string, type: string, id: string, status: string) => ({ ...running(upid, nodeName, type, id), endtime: 2, status });

describe("diffSnapshots", () => {
  const base = snapshotOf([stopped(up("pve1", "qmstart", "100", 0), "pve1", "qmstart", "100", "OK")], [node("pve1"), node("pve2"), guest(100, "pve1", "running"), guest(101, "pve2", "stopped")]);

  test("nothing changed, nothing to report", () => {
    expect(diffSnapshots(base, base, {}, T)).toEqual([]);
  });

  test("a task starts, then ends with its exit status", () => {
    const u = up("pve2", "qmstart", "101");
    const started = snapshotOf([running(u, "pve2", "qmstart", "101")], [node("pve1"), node("pve2"), guest(100, "pve1", "running"), guest(101, "pve2", "stopped")]);
    expect(diffSnapshots(base, started, {}, T)).toEqual([{ event: "task-start", vmid: 101, node: "pve2", upid: u, task: "qmstart", user: "root@pam", time: T }]);
    const ended = snapshotOf([stopped(u, "pve2", "qmstart", "101", "OK")], [node("pve1"), node("pve2"), guest(100, "pve1", "running"), guest(101, "pve2", "running")]);
    expect(diffSnapshots(started, ended, {}, T)).toEqual([
      { event: "task-end", vmid: 101, node: "pve2", upid: u, task: "qmstart", user: "root@pam", exitstatus: "OK", status: "ok", time: T },
      { event: "state", vmid: 101, node: "pve2", type: "qemu", name: "g101", status: "running", previous: "stopped", time: T },
    ]);
  });

  test("a task that started and ended between two polls gives both events, start first", () => {
    const u = up("pve1", "vzdump", "", 3);
    const next = snapshotOf([stopped(u, "pve1", "vzdump", "", "job errors")], [node("pve1"), node("pve2"), guest(100, "pve1", "running"), guest(101, "pve2", "stopped")]);
    expect(diffSnapshots(base, next, {}, T).map((e) => [e.event, e.status])).toEqual([
      ["task-start", undefined],
      ["task-end", "failed"],
    ]);
  });

  test("nodes going offline and online; guests added, removed and moved", () => {
    const next = snapshotOf([], [node("pve1"), node("pve2", "offline"), guest(100, "pve2", "running"), guest(102, "pve1", "stopped")]);
    expect(diffSnapshots(base, next, {}, T).map((e) => [e.event, e.node, e.vmid])).toEqual([
      ["node-offline", "pve2", undefined],
      ["guest-moved", "pve2", 100],
      ["guest-removed", "pve2", 101],
      ["guest-added", "pve1", 102],
    ]);
    expect(diffSnapshots(next, base, {}, T)[0]).toEqual({ event: "node-online", node: "pve2", previous: "offline", time: T });
  });

  test("filters by node and by guest (with their tasks)", () => {
    const u1 = up("pve1", "qmshutdown", "100", 4);
    const u2 = up("pve2", "qmstart", "101", 5);
    const next = snapshotOf(
      [running(u1, "pve1", "qmshutdown", "100"), running(u2, "pve2", "qmstart", "101")],
      [node("pve1", "offline"), node("pve2"), guest(100, "pve1", "stopped"), guest(101, "pve2", "running")],
    );
    expect(diffSnapshots(base, next, { nodes: ["pve2"] }, T).map((e) => [e.event, e.vmid])).toEqual([
      ["task-start", 101],
      ["state", 101],
    ]);
    expect(diffSnapshots(base, next, { vmids: [{ vmid: 100 }] }, T).map((e) => [e.event, e.vmid ?? e.node])).toEqual([
      ["node-offline", "pve1"],
      ["task-start", 100],
      ["state", 100],
    ]);
  });
});
