import { describe, expect, test } from "vitest";
import { plainLine, progressDisplay, progressMode } from "../../../src/skill/cli/progress-display";
import { styleFor } from "../../../src/skill/format/style";
import type { ProgressEvent } from "../../../src/skill/progress/events";
import { SkillUsageError } from "../../../src/skill/errors";

const plain = styleFor(false, {});
const time = "2026-01-01T00:00:00.000Z";
const upid = "UPID:pve1:0001A2B0:00100000:6B13DE73:qmshutdown:100:root@pam:";

function capture(tty: boolean) {
  let text = "";
  return { stream: { isTTY: tty, write: (s: string) => (text += s) }, text: () => text };
}

describe("progressMode", () => {
  test("flag over environment over auto; unknown values are usage errors", () => {
    expect(progressMode(undefined, {})).toBe("auto");
    expect(progressMode(undefined, { PVEKIT_PROGRESS: "JSON" })).toBe("json");
    expect(progressMode("none", { PVEKIT_PROGRESS: "json" })).toBe("none");
    expect(() => progressMode("loud", {})).toThrow(SkillUsageError);
  });
});

describe("plain lines", () => {
  test("every event kind reads as one line naming its guest", () => {
    const lines = (
      [
        { event: "set-start", operation: "shutdown", total: 3, acting: 2, time },
        { event: "task-start", vmid: 100, node: "pve1", upid, task: "qmshutdown", time },
        { event: "task-log", vmid: 100, node: "pve1", upid, line: "requesting shutdown via ACPI", time },
        { event: "task-end", vmid: 100, node: "pve1", upid, exitstatus: "OK", status: "ok", time },
        { event: "task-end", node: "pve2", upid, exitstatus: "job errors", status: "failed", time },
        { event: "state", vmid: 100, node: "pve1", status: "stopped", previous: "running", time },
        { event: "result", vmid: 101, node: "pve1", outcome: "failed", error: "TaskFailedError: boom", time },
        { event: "summary", operation: "shutdown", total: 3, counts: { ok: 1, failed: 1, noop: 1, skipped: 0 }, time },
      ] as ProgressEvent[]
    ).map(plainLine);
    expect(lines).toEqual([
      "shutdown: 3 guest(s), 2 to act",
      `[100@pve1] task started: qmshutdown ${upid}`,
      "[100@pve1] requesting shutdown via ACPI",
      "[100@pve1] task finished: OK",
      "[pve2] task failed: job errors",
      "[100@pve1] state: running → stopped",
      "[101@pve1] failed: TaskFailedError: boom",
      "shutdown: 1 ok, 1 failed, 1 noop (3 guests)",
    ]);
  });
});

describe("displays", () => {
  const log: ProgressEvent = { event: "task-log", vmid: 100, node: "pve1", upid, line: "INFO:  50% (1 GiB of 2 GiB) in 1s", percent: 50, time };

  test("json writes each event as one JSON line", () => {
    const c = capture(false);
    progressDisplay("json", c.stream, plain, { set: false }).onEvent!(log);
    expect(JSON.parse(c.text())).toEqual(log);
  });

  test("auto is plain lines in a pipe and the task log on a terminal for one guest", () => {
    const pipe = capture(false);
    progressDisplay("auto", pipe.stream, plain, { set: false }).onEvent!(log);
    expect(pipe.text()).toBe("[100@pve1] INFO:  50% (1 GiB of 2 GiB) in 1s\n");
    const tty = capture(true);
    const d = progressDisplay("auto", tty.stream, plain, { set: false });
    d.onEvent!({ event: "task-start", vmid: 100, node: "pve1", upid, time });
    d.onEvent!(log);
    expect(tty.text()).toBe("  INFO:  50% (1 GiB of 2 GiB) in 1s\n");
  });

  test("none shows nothing", () => {
    expect(progressDisplay("none", capture(true).stream, plain, { set: true }).onEvent).toBeUndefined();
  });

  test("a set on a terminal: a status block redrawn in place, failures kept above it, cleared at the end", () => {
    const c = capture(true);
    let clock = 0;
    const d = progressDisplay("auto", c.stream, plain, { set: true, now: () => clock });
    d.onEvent!({ event: "set-start", operation: "backup", total: 2, acting: 2, time });
    clock += 200;
    d.onEvent!({ event: "task-start", vmid: 100, node: "pve1", upid, task: "vzdump", time });
    clock += 200;
    d.onEvent!(log);
    expect(c.text()).toMatch(/backup: 0\/2 done · 1 running\n {2}100@pve1 vzdump 50% INFO: {2}50%/);
    d.onEvent!({ event: "result", vmid: 101, node: "pve1", outcome: "failed", error: "boom", time });
    expect(c.text()).toContain("\u001b[2F\u001b[J[101@pve1] failed: boom\nbackup: 1/2 done · 1 failed · 1 running");
    d.onEvent!({ event: "summary", operation: "backup", total: 2, counts: { ok: 1, failed: 1 }, time });
    expect(c.text().endsWith("\u001b[J")).toBe(true);
  });
});
