import type { UpidInfo } from "../runtime/upid";
import type { VirtualClock } from "./clock";
import type { GuestState } from "./state-types";
import { formatUpid } from "./upid";

/** One task (worker) as PVE's task list and status show it: its UPID and parts, plus its progress. */
export interface TaskRecord extends UpidInfo {
  status: "running" | "stopped";
  /** "OK", "WARNINGS: n" or the error message (set when stopped) */
  exitstatus?: string;
  endtime?: number;
  log: string[];
  /** virtual ms at which the task finishes (Infinity: when its owner says so) */
  endsAt: number;
}

/** The log a running task writes to; `warn` lines count toward `TASK WARNINGS: n`. */
export interface TaskLog {
  info(line: string): void;
  warn(line: string): void;
}

export interface TaskSpec {
  node: string;
  type: string;
  id: string;
  user: string;
  /** simulated duration (ignored in instant mode; replaced by the simulator's `taskDurationMs` when set) */
  durationMs: number;
  /**
   * The task ends only through {@link TaskTable.finish} (a worker that waits for other tasks, like
   * PVE's bulk actions and startall/stopall); `run` is applied then.
   */
  open?: boolean;
  /** virtual ms the task started at (default now): a worker started by a finishing task starts when that one ended */
  startAt?: number;
  /** runs first, at start: throwing fails the task right away (like PVE's lock checks in the worker) */
  check?: () => void;
  /** config lock held while the task runs */
  lock?: { guest: GuestState; name: string };
  /** lines logged at start */
  startLog?: readonly string[];
  /** the effect, applied when the task finishes; throwing fails the task */
  run: (log: TaskLog) => void;
  /** outcome forced by fault injection */
  forced?: { error?: string; warnings?: number };
  /** called once the task has ended (its record is final) */
  onEnd?: (record: TaskRecord) => void;
}

/** Task start and end, for the node's syslog and the cluster log. */
export interface TaskListener {
  started?(record: TaskRecord): void;
  ended?(record: TaskRecord): void;
}

interface Pending {
  record: TaskRecord;
  spec: TaskSpec;
  warnings: number;
  /** whether this task took the config lock (a task failing its check never did) */
  locked: boolean;
}

/** Lock message as PVE words it (`VM is locked (snapshot)`, `CT is locked (backup)`). */
export function lockedMessage(guest: GuestState): string {
  return `${guest.type === "qemu" ? "VM" : "CT"} is locked (${guest.config.lock})`;
}

/** Throws PVE's lock error when the guest holds a config lock. */
export function checkLock(guest: GuestState): void {
  if (guest.config.lock !== undefined) throw new Error(lockedMessage(guest));
}

export interface TaskTableOptions {
  /** every task takes this long (virtual ms) instead of its own simulated duration; not in instant mode */
  taskDurationMs?: number;
}

/**
 * All tasks of the cluster; finishes due tasks lazily whenever time is looked at, in order of their
 * end times (a task started by a finishing one may itself be due in the same sweep).
 */
export class TaskTable {
  private readonly tasks: TaskRecord[] = [];
  private readonly byUpid = new Map<string, TaskRecord>();
  /** running tasks, ordered by endsAt */
  private pending: Pending[] = [];
  private readonly pendingByUpid = new Map<string, Pending>();
  private readonly listeners = new Set<TaskListener>();
  private nextPid = 0x1a2b0;
  private ticking = false;

  constructor(
    private readonly clock: VirtualClock,
    private readonly opts: TaskTableOptions = {},
  ) {
    clock.onAdvance(() => this.tick());
  }

  /** Listens to task starts and ends. */
  listen(listener: TaskListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts a task and returns its UPID. */
  start(spec: TaskSpec): string {
    const now = this.clock.now();
    const at = Math.min(spec.startAt ?? now, now);
    const starttime = Math.floor(at / 1000);
    const pid = this.nextPid++;
    const pstart = 0x100000 + (pid - 0x1a2b0) * 37;
    const duration = this.clock.instant ? 0 : (this.opts.taskDurationMs ?? spec.durationMs);
    const record: TaskRecord = {
      upid: formatUpid({ node: spec.node, pid, pstart, starttime, type: spec.type, id: spec.id, user: spec.user }),
      node: spec.node,
      pid,
      pstart,
      starttime,
      type: spec.type,
      id: spec.id,
      user: spec.user,
      status: "running",
      log: [...(spec.startLog ?? [])],
      endsAt: spec.open ? Infinity : at + duration,
    };
    this.tasks.push(record);
    this.byUpid.set(record.upid, record);
    for (const l of this.listeners) l.started?.(record);
    const entry: Pending = { record, spec, warnings: 0, locked: false };
    try {
      spec.check?.();
    } catch (err) {
      this.end(entry, errorMessage(err));
      return record.upid;
    }
    if (spec.lock) {
      spec.lock.guest.config.lock = spec.lock.name;
      entry.locked = true;
    }
    this.insert(entry);
    this.tick();
    return record.upid;
  }

  /** Ends an `open` task (at virtual time `atMs`, default now): its `run` is applied, or `error` fails it. */
  finish(upid: string, error?: string, atMs?: number): void {
    const p = this.pendingByUpid.get(upid);
    if (!p) return;
    this.remove(p);
    p.record.endsAt = Math.max(p.record.starttime * 1000, Math.min(atMs ?? this.clock.now(), this.clock.now()));
    this.complete(p, error);
  }

  /** A line in a running task's log (workers that report progress); `warn` lines count toward `TASK WARNINGS: n`. */
  append(upid: string, line: string, warn = false): void {
    const p = this.pendingByUpid.get(upid);
    if (!p) return;
    if (warn) p.warnings++;
    p.record.log.push(warn && !line.startsWith("WARN") ? `WARN: ${line}` : line);
  }

  /** Finishes every task whose time has come, in order. */
  tick(): void {
    if (this.ticking) return; // a task ending inside a sweep may start others; the running sweep picks them up
    this.ticking = true;
    try {
      const now = this.clock.now();
      while (this.pending.length > 0 && (this.pending[0] as Pending).record.endsAt <= now) {
        const p = this.pending.shift() as Pending;
        this.pendingByUpid.delete(p.record.upid);
        this.complete(p);
      }
    } finally {
      this.ticking = false;
    }
  }

  /** Stops a running task like `DELETE /nodes/{node}/tasks/{upid}`; its effect is not applied. */
  stop(upid: string): boolean {
    const p = this.pendingByUpid.get(upid);
    if (!p) return false;
    this.remove(p);
    p.record.log.push("received interrupt");
    this.end(p, "interrupted by signal");
    return true;
  }

  get(upid: string): TaskRecord | undefined {
    return this.byUpid.get(upid);
  }

  /** All tasks, newest first (PVE's order). */
  list(): TaskRecord[] {
    return [...this.tasks].reverse();
  }

  /** Number of tasks still running. */
  get running(): number {
    return this.pending.length;
  }

  clear(): void {
    this.tasks.length = 0;
    this.byUpid.clear();
    this.pending = [];
    this.pendingByUpid.clear();
  }

  private insert(p: Pending): void {
    // binary search: keep `pending` ordered by endsAt, ties in start order
    let lo = 0;
    let hi = this.pending.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.pending[mid] as Pending).record.endsAt <= p.record.endsAt) lo = mid + 1;
      else hi = mid;
    }
    this.pending.splice(lo, 0, p);
    this.pendingByUpid.set(p.record.upid, p);
  }

  private remove(p: Pending): void {
    const i = this.pending.indexOf(p);
    if (i >= 0) this.pending.splice(i, 1);
    this.pendingByUpid.delete(p.record.upid);
  }

  private complete(p: Pending, error?: string): void {
    const log: TaskLog = {
      info: (line) => p.record.log.push(line),
      warn: (line) => {
        p.warnings++;
        p.record.log.push(line.startsWith("WARN") ? line : `WARN: ${line}`);
      },
    };
    let failure = error;
    if (failure === undefined) {
      try {
        if (p.spec.forced?.error) throw new Error(p.spec.forced.error);
        p.spec.run(log);
        for (let i = 0; i < (p.spec.forced?.warnings ?? 0); i++) log.warn(`WARN: simulated warning ${i + 1}`);
      } catch (err) {
        failure = errorMessage(err);
      }
    }
    this.end(p, failure);
  }

  private end(p: Pending, error: string | undefined): void {
    const lock = p.spec.lock;
    if (lock && p.locked && lock.guest.config.lock === lock.name) delete lock.guest.config.lock;
    const r = p.record;
    r.status = "stopped";
    r.endtime = Math.max(r.starttime, Math.floor(Math.min(this.clock.now(), r.endsAt) / 1000));
    if (error !== undefined) {
      r.log.push(`TASK ERROR: ${error}`);
      r.exitstatus = error;
    } else if (p.warnings > 0) {
      r.log.push(`TASK WARNINGS: ${p.warnings}`);
      r.exitstatus = `WARNINGS: ${p.warnings}`;
    } else {
      r.log.push("TASK OK");
      r.exitstatus = "OK";
    }
    for (const l of this.listeners) l.ended?.(r);
    p.spec.onEnd?.(r);
  }
}

function errorMessage(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).replace(/\n+$/, "");
}
