import { isUpid, parseUpid } from "../../runtime/upid";
import { taskPercent } from "./task-percent";

/** Fields every progress event carries (when known). */
interface EventBase {
  /** ISO time the event was seen. */
  time: string;
  vmid?: number;
  node?: string;
  upid?: string;
}

/**
 * What happens while a command runs, for people (plain lines, live display) and machines
 * (`--progress json`: one JSON object per line on stderr). stdout keeps the command's one result.
 */
export type ProgressEvent =
  /** A task was started (its UPID is known). */
  | (EventBase & { event: "task-start"; upid: string; task?: string })
  /** A new line of a task's log; `percent` when the line reports one (vzdump, migration, disk copy). */
  | (EventBase & { event: "task-log"; upid: string; line: string; percent?: number })
  /** A task stopped: `exitstatus` as PVE reports it, `status` ok, warnings or failed. */
  | (EventBase & { event: "task-end"; upid: string; exitstatus: string; status: "ok" | "warnings" | "failed" })
  /** A guest's state after a change (`previous` before it). */
  | (EventBase & { event: "state"; vmid: number; status: string; previous?: string })
  /** A set command starts working: how many guests it selected and how many will act. */
  | (EventBase & { event: "set-start"; operation: string; total: number; acting: number })
  /** One guest of a set is finished with (fleet commands). */
  | (EventBase & { event: "result"; vmid: number; node: string; outcome: string; error?: string; reason?: string })
  /** A set command is finished: how many guests ended how. */
  | (EventBase & { event: "summary"; operation: string; total: number; counts: Record<string, number> });

/** An event as an operation reports it; the sink adds the time and what it knows about the guest. */
export type ProgressEventInput = ProgressEvent extends infer E ? (E extends ProgressEvent ? Omit<E, "time"> & { time?: string } : never) : never;

/** Receives progress events. */
export type ProgressSink = (event: ProgressEvent) => void;

/** `ok`, `warnings` or `failed` for a task exit status. */
export function taskEndStatus(exitstatus: string): "ok" | "warnings" | "failed" {
  if (exitstatus === "OK") return "ok";
  return /^WARNINGS: \d+$/.test(exitstatus) ? "warnings" : "failed";
}

/** node and VMID from a UPID (`UPID:pve1:…:qmstart:100:root@pam:`), when it names a guest. */
export function upidGuest(upid: string): { node?: string; vmid?: number; task?: string } {
  if (!isUpid(upid)) return {};
  const u = parseUpid(upid);
  const vmid = /^\d+$/.test(u.id) ? Number(u.id) : undefined;
  return { node: u.node, task: u.type, ...(vmid !== undefined && vmid >= 100 ? { vmid } : {}) };
}

/**
 * Completes events for `sink`: the time, the guest (`bound`, else what the UPID names) and the
 * percentage a log line reports.
 */
export function eventStamper(sink: ProgressSink, now: () => Date, bound?: { vmid: number; node: string }): (e: ProgressEventInput) => void {
  return (input) => {
    const fromUpid = input.upid ? upidGuest(input.upid) : {};
    const { event, time, ...rest } = input as ProgressEventInput & Record<string, unknown>;
    const e: Record<string, unknown> = { event, vmid: input.vmid ?? bound?.vmid ?? fromUpid.vmid, node: input.node ?? bound?.node ?? fromUpid.node, ...rest };
    if (event === "task-start" && fromUpid.task) e.task ??= fromUpid.task;
    if (input.event === "task-log" && e.percent === undefined) {
      const p = taskPercent(input.line);
      if (p !== undefined) e.percent = p;
    }
    for (const k of ["vmid", "node"]) if (e[k] === undefined) delete e[k];
    sink({ ...e, time: time ?? now().toISOString() } as unknown as ProgressEvent);
  };
}
