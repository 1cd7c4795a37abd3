import type { VmidSpec } from "../fleet/selector";
import { taskEndStatus, upidGuest } from "../progress/events";

type Row = Record<string, unknown>;

/** What one poll of the cluster saw: tasks (`/cluster/tasks`), guests and nodes (`/cluster/resources`). */
export interface ClusterSnapshot {
  tasks: Map<string, TaskSeen>;
  guests: Map<number, GuestSeen>;
  nodes: Map<string, string>;
}

export interface TaskSeen {
  upid: string;
  node: string;
  task: string;
  vmid?: number;
  user?: string;
  /** The exit status once the task stopped (PVE's `status` field of a finished task). */
  exitstatus?: string;
}

export interface GuestSeen {
  vmid: number;
  node: string;
  type: string;
  name?: string;
  status: string;
}

/** Something that changed in the cluster between two polls. */
export type WatchEvent = { event: WatchEventName; time: string } & Record<string, unknown>;

export type WatchEventName =
  | "task-start"
  | "task-end"
  | "state"
  | "guest-moved"
  | "guest-added"
  | "guest-removed"
  | "node-offline"
  | "node-online";

/** Which events to keep: only these nodes and/or these guests (and their tasks). */
export interface WatchFilter {
  nodes?: readonly string[];
  vmids?: readonly VmidSpec[];
}

/** Builds a snapshot from the two cluster-wide reads. */
export function snapshotOf(tasks: readonly Row[], resources: readonly Row[]): ClusterSnapshot {
  const snap: ClusterSnapshot = { tasks: new Map(), guests: new Map(), nodes: new Map() };
  for (const t of tasks) {
    const upid = String(t.upid ?? "");
    if (!upid) continue;
    const g = upidGuest(upid);
    const id = String(t.id ?? "");
    const vmid = /^\d+$/.test(id) ? Number(id) : g.vmid;
    snap.tasks.set(upid, {
      upid,
      node: String(t.node ?? g.node ?? ""),
      task: String(t.type ?? g.task ?? ""),
      ...(vmid !== undefined ? { vmid } : {}),
      // PVE splits a token's tasks into `user` and `tokenid` (pve-manager PVE/API2/Cluster.pm tasks)
      ...(t.user !== undefined ? { user: t.tokenid !== undefined ? `${String(t.user)}!${String(t.tokenid)}` : String(t.user) } : {}),
      // a finished task has an end time and its exit status in `status`
      ...(t.endtime !== undefined && t.status !== undefined ? { exitstatus: String(t.status) } : {}),
    });
  }
  for (const r of resources) {
    if (r.type === "node") snap.nodes.set(String(r.node), String(r.status ?? "unknown"));
    else if (r.type === "qemu" || r.type === "lxc") {
      const vmid = Number(r.vmid);
      snap.guests.set(vmid, {
        vmid,
        node: String(r.node),
        type: String(r.type),
        ...(r.name !== undefined ? { name: String(r.name) } : {}),
        status: String(r.status ?? "unknown"),
      });
    }
  }
  return snap;
}

const matchesVmid = (specs: readonly VmidSpec[], vmid: number | undefined): boolean =>
  vmid !== undefined && specs.some((s) => ("vmid" in s ? s.vmid === vmid : vmid >= s.from && vmid <= s.to));

/**
 * The events between two snapshots, in a stable order: node changes, then tasks (starts before
 * ends), then guests by VMID. A task that started and ended between two polls gives both events.
 */
export function diffSnapshots(prev: ClusterSnapshot, next: ClusterSnapshot, filter: WatchFilter, time: string): WatchEvent[] {
  const out: WatchEvent[] = [];
  const nodeOk = (node: string | undefined): boolean => !filter.nodes || (node !== undefined && filter.nodes.includes(node));
  const guestOk = (vmid: number | undefined, node: string | undefined): boolean => nodeOk(node) && (!filter.vmids || matchesVmid(filter.vmids, vmid));
  // a node event concerns a guest filter when one of the watched guests lives there
  const watchedNodes = filter.vmids ? new Set([...next.guests.values()].filter((g) => matchesVmid(filter.vmids!, g.vmid)).map((g) => g.node)) : undefined;

  for (const [node, status] of [...next.nodes].sort(([a], [b]) => a.localeCompare(b))) {
    const before = prev.nodes.get(node);
    if (before === undefined || before === status || !nodeOk(node) || (watchedNodes && !watchedNodes.has(node))) continue;
    if (status === "online") out.push({ event: "node-online", node, previous: before, time });
    else if (before === "online") out.push({ event: "node-offline", node, status, time });
  }

  const tasks = [...next.tasks.values()];
  for (const t of tasks) {
    if (prev.tasks.has(t.upid) || !guestOk(t.vmid, t.node)) continue;
    out.push(taskEvent("task-start", t, time));
  }
  for (const t of tasks) {
    if (t.exitstatus === undefined || !guestOk(t.vmid, t.node)) continue;
    const before = prev.tasks.get(t.upid);
    if (before && before.exitstatus !== undefined) continue;
    out.push({ ...taskEvent("task-end", t, time), exitstatus: t.exitstatus, status: taskEndStatus(t.exitstatus) });
  }

  const ids = [...new Set([...prev.guests.keys(), ...next.guests.keys()])].sort((a, b) => a - b);
  for (const vmid of ids) {
    const a = prev.guests.get(vmid);
    const b = next.guests.get(vmid);
    const g = b ?? a!;
    if (!guestOk(vmid, b?.node) && !guestOk(vmid, a?.node)) continue;
    const base = { vmid, node: g.node, type: g.type, ...(g.name !== undefined ? { name: g.name } : {}) };
    if (!a) out.push({ event: "guest-added", ...base, status: g.status, time });
    else if (!b) out.push({ event: "guest-removed", ...base, time });
    else {
      if (a.node !== b.node) out.push({ event: "guest-moved", ...base, previousNode: a.node, time });
      if (a.status !== b.status) out.push({ event: "state", ...base, status: b.status, previous: a.status, time });
    }
  }
  return out;
}

function taskEvent(event: "task-start" | "task-end", t: TaskSeen, time: string): WatchEvent {
  return {
    event,
    ...(t.vmid !== undefined ? { vmid: t.vmid } : {}),
    node: t.node,
    upid: t.upid,
    task: t.task,
    ...(t.user !== undefined ? { user: t.user } : {}),
    time,
  };
}

/** Running tasks of `prev` that `next` no longer lists (the cluster task list is bounded): their end must be asked for. */
export function vanishedRunning(prev: ClusterSnapshot, next: ClusterSnapshot): TaskSeen[] {
  return [...prev.tasks.values()].filter((t) => t.exitstatus === undefined && !next.tasks.has(t.upid));
}
