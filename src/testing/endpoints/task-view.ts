import type { TaskRecord } from "../task-table";

/** The UPID and its parts, as every task answer of PVE starts. */
export function taskIdentity(t: TaskRecord): Record<string, unknown> {
  return { upid: t.upid, node: t.node, pid: t.pid, pstart: t.pstart, starttime: t.starttime, type: t.type, id: t.id, user: t.user };
}

/** A task as `/cluster/tasks` and `/nodes/{node}/tasks` list it (`status` only once finished). */
export function taskListEntry(t: TaskRecord): Record<string, unknown> {
  const e = taskIdentity(t);
  if (t.status === "stopped") {
    e.status = t.exitstatus;
    e.endtime = t.endtime;
  }
  return e;
}
