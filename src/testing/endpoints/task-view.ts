import type { TaskRecord } from "../task-table";

/**
 * A task's `user`, split as pve-manager's PVE/API2/Tasks.pm `$convert_token_task` and PVE/API2/Cluster.pm
 * `tasks` do: a task started by an API token (`user@realm!name` in its UPID) shows `user` = the user and
 * `tokenid` = the token's name.
 */
export function taskUser(t: TaskRecord): { user: string; tokenid?: string } {
  const m = /^(.+@[^!]+)!(.+)$/.exec(t.user);
  return m ? { user: m[1] as string, tokenid: m[2] as string } : { user: t.user };
}

/**
 * Tasks.pm `$check_task_user`: a token sees its own tasks, a user their own and their tokens' ones.
 * `authid` is the caller (`user@realm` or `user@realm!token`).
 */
export function ownsTask(t: TaskRecord, authid: string): boolean {
  const { user } = taskUser(t);
  return authid === t.user || authid === user;
}

/** The UPID and its parts, as every task answer of PVE starts (`user`/`tokenid` split for token tasks). */
export function taskIdentity(t: TaskRecord): Record<string, unknown> {
  return { upid: t.upid, node: t.node, pid: t.pid, pstart: t.pstart, starttime: t.starttime, type: t.type, id: t.id, ...taskUser(t) };
}

/** The UPID's parts with `user` as the UPID has it (tasks not yet archived, Tasks.pm node_tasks). */
export function rawTaskIdentity(t: TaskRecord): Record<string, unknown> {
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
