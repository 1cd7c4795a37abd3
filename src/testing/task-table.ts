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
  /** virtual ms at which the task finishes */
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
  /** simulated duration (ignored in instant mode) */
  durationMs: number;
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

/** All tasks of the cluster; finishes due tasks lazily whenever time is looked at. */
export class TaskTable {
  private readonly tasks: TaskRecord[] = [];
  private readonly pending = new Map<string, Pending>();
  private nextPid = 0x1a2b0;

  constructor(private readonly clock: VirtualClock) {
    clock.onAdvance(() => this.tick());
  }

  /** Starts a task and returns its UPID. */
  start(spec: TaskSpec): string {
    const now = this.clock.now();
    const starttime = Math.floor(now / 1000);
    const pid = this.nextPid++;
    const record: TaskRecord = {
      upid: formatUpid({ node: spec.node, pid, pstart: 0x100000 + (pid - 0x1a2b0) * 37, starttime, type: spec.type, id: spec.id, user: spec.user }),
      node: spec.node,
      pid,
      pstart: 0x100000 + (pid - 0x1a2b0) * 37,
      starttime,
      type: spec.type,
      id: spec.id,
      user: spec.user,
      status: "running",
      log: [...(spec.startLog ?? [])],
      endsAt: now + (this.clock.instant ? 0 : spec.durationMs),
    };
    this.tasks.push(record);
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
    this.pending.set(record.upid, entry);
    this.tick();
    return record.upid;
  }

  /** Finishes every task whose time has come, in order. */
  tick(): void {
    const now = this.clock.now();
    const due = [...this.pending.values()].filter((p) => p.record.endsAt <= now).sort((a, b) => a.record.endsAt - b.record.endsAt);
    for (const p of due) this.complete(p);
  }

  /** Stops a running task like `DELETE /nodes/{node}/tasks/{upid}`; its effect is not applied. */
  stop(upid: string): boolean {
    const p = this.pending.get(upid);
    if (!p) return false;
    p.record.log.push("received interrupt");
    this.end(p, "interrupted by signal");
    return true;
  }

  get(upid: string): TaskRecord | undefined {
    return this.tasks.find((t) => t.upid === upid);
  }

  /** All tasks, newest first (PVE's order). */
  list(): TaskRecord[] {
    return [...this.tasks].reverse();
  }

  clear(): void {
    this.tasks.length = 0;
    this.pending.clear();
  }

  private complete(p: Pending): void {
    const log: TaskLog = {
      info: (line) => p.record.log.push(line),
      warn: (line) => {
        p.warnings++;
        p.record.log.push(line.startsWith("WARN") ? line : `WARN: ${line}`);
      },
    };
    let error: string | undefined;
    try {
      if (p.spec.forced?.error) throw new Error(p.spec.forced.error);
      p.spec.run(log);
      for (let i = 0; i < (p.spec.forced?.warnings ?? 0); i++) log.warn(`WARN: simulated warning ${i + 1}`);
    } catch (err) {
      error = errorMessage(err);
    }
    this.end(p, error);
  }

  private end(p: Pending, error: string | undefined): void {
    this.pending.delete(p.record.upid);
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
  }
}

function errorMessage(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).replace(/\n+$/, "");
}
