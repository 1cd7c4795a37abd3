import type { UpidInfo } from "../runtime/upid";
import type { VirtualClock } from "./clock";
import type { GuestState } from "./state-types";
import { formatUpid } from "./upid";
import { type VirtualTimer, VirtualTimers } from "./virtual-timers";

/** One task (worker) as PVE's task list and status show it: its UPID and parts, plus its progress. */
export interface TaskRecord extends UpidInfo {
  status: "running" | "stopped";
  /** "OK", "WARNINGS: n" or the error message (set when stopped) */
  exitstatus?: string;
  endtime?: number;
  log: string[];
  /** virtual ms at which the task finishes (Infinity: when its owner says so); once stopped, when it did */
  endsAt: number;
}

/** The log a running task writes to; `warn` lines count toward `TASK WARNINGS: n`. */
export interface TaskLog {
  info(line: string): void;
  warn(line: string): void;
}

/**
 * Lines a worker writes while it works, as PVE's progress reporting does. Called at the start
 * (`fraction` 0), at each step, and at the end (`fraction` 1); `elapsedMs` since the stage began,
 * `atMs` the virtual time of the line. Return nothing for no line.
 */
export interface TaskProgress {
  /** a step every this many virtual ms of the stage (time-driven reporting: vzdump, drive mirror, migration) */
  everyMs?: number;
  /** or this many evenly spaced steps whatever the duration (progress-driven reporting: qemu-img's 1 % steps) */
  steps?: number;
  line(fraction: number, elapsedMs: number, atMs: number): string | readonly string[] | undefined;
}

/** One part of a worker that does several things in turn (vzdump: one guest after another). */
export interface TaskStage {
  /** simulated duration (scaled like the task's when the simulator fixes `taskDurationMs`) */
  durationMs: number;
  /**
   * Runs when the stage begins: logs its first lines; throwing fails this stage only — `failed` logs
   * why, the stage takes no time, and the next one begins (vzdump goes on with the next guest).
   */
  begin?(log: TaskLog, atMs: number): void;
  /** config lock held while the stage runs (taken once `begin` succeeded) */
  lock?: { guest: GuestState; name: string };
  progress?: TaskProgress;
  /** runs when the stage ends (its effect); throwing fails the stage, as `begin` does */
  end?(log: TaskLog, atMs: number): void;
  failed?(error: string, log: TaskLog, atMs: number): void;
}

export interface TaskSpec {
  node: string;
  type: string;
  id: string;
  user: string;
  /** simulated duration (ignored in instant mode; replaced by the simulator's `taskDurationMs` when set; with `stages`, theirs) */
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
  /** lines the worker writes while it runs (a task of one stage) */
  progress?: TaskProgress;
  /** the worker's parts, one after the other; the task takes as long as they do */
  stages?: readonly TaskStage[];
  /** the effect, applied when the task finishes (after its stages); throwing fails the task */
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
  log: TaskLog;
  warnings: number;
  /** whether this task took its config lock (a task failing its check never did) */
  locked: boolean;
  stages: readonly TaskStage[];
  /** virtual ms per simulated ms (0 on the instant clock) */
  factor: number;
  stage: number;
  stageStart: number;
  stageEnd: number;
  /** the stage's lock, while held */
  stageLock?: { guest: GuestState; name: string };
  step: number;
  timer?: VirtualTimer;
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
 * All tasks of the cluster. A task runs through its stages on the virtual clock: progress lines at
 * their moments, stage ends, the task's end — all driven by {@link VirtualTimers}, so whatever time
 * is looked at, everything due until then has happened, in order (a task started by a finishing one
 * may itself be due in the same sweep).
 */
export class TaskTable {
  private readonly tasks: TaskRecord[] = [];
  private readonly byUpid = new Map<string, TaskRecord>();
  private readonly pending = new Map<string, Pending>();
  private readonly timers = new VirtualTimers();
  private readonly listeners = new Set<TaskListener>();
  private nextPid = 0x1a2b0;

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

  /**
   * Calls `fire(atMs)` once virtual time reaches `atMs`, in order with the tasks' own events (a
   * worker that waits, like startall's startup delays). Returns a handle for {@link cancel}.
   */
  at(atMs: number, fire: (atMs: number) => void): VirtualTimer {
    const t = this.timers.schedule(atMs, fire);
    this.tick();
    return t;
  }

  cancel(timer: VirtualTimer): void {
    this.timers.cancel(timer);
  }

  /** Starts a task and returns its UPID. */
  start(spec: TaskSpec): string {
    const now = this.clock.now();
    const at = Math.min(spec.startAt ?? now, now);
    const starttime = Math.floor(at / 1000);
    const pid = this.nextPid++;
    const pstart = 0x100000 + (pid - 0x1a2b0) * 37;
    const stages: readonly TaskStage[] = spec.stages ?? [{ durationMs: spec.durationMs, ...(spec.progress ? { progress: spec.progress } : {}) }];
    const nominal = stages.reduce((sum, s) => sum + s.durationMs, 0);
    const total = this.clock.instant ? 0 : (this.opts.taskDurationMs ?? nominal);
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
      endsAt: spec.open ? Infinity : at + total,
    };
    this.tasks.push(record);
    this.byUpid.set(record.upid, record);
    for (const l of this.listeners) l.started?.(record);
    const p: Pending = {
      record,
      spec,
      log: { info: () => {}, warn: () => {} },
      warnings: 0,
      locked: false,
      stages: spec.open ? [] : stages,
      factor: nominal > 0 ? total / nominal : 0,
      stage: 0,
      stageStart: at,
      stageEnd: at,
      step: 0,
    };
    p.log = {
      info: (line) => void record.log.push(line),
      warn: (line) => {
        p.warnings++;
        record.log.push(line.startsWith("WARN") ? line : `WARN: ${line}`);
      },
    };
    try {
      spec.check?.();
    } catch (err) {
      this.end(p, errorMessage(err), at);
      return record.upid;
    }
    if (spec.lock) {
      spec.lock.guest.config.lock = spec.lock.name;
      p.locked = true;
    }
    this.pending.set(record.upid, p);
    if (!spec.open) p.timer = this.timers.schedule(at, (t) => this.beginStage(p, t));
    this.tick();
    return record.upid;
  }

  /** Ends an `open` task (at virtual time `atMs`, default now): its `run` is applied, or `error` fails it. */
  finish(upid: string, error?: string, atMs?: number): void {
    const p = this.pending.get(upid);
    if (!p) return;
    const now = this.clock.now();
    this.complete(p, Math.max(p.record.starttime * 1000, Math.min(atMs ?? now, now)), error);
  }

  /** A line in a running task's log (workers that report progress); `warn` lines count toward `TASK WARNINGS: n`. */
  append(upid: string, line: string, warn = false): void {
    const p = this.pending.get(upid);
    if (!p) return;
    if (warn) p.log.warn(line);
    else p.log.info(line);
  }

  /** Runs everything due by now: progress lines, stage ends, task ends, timers, in order. */
  tick(): void {
    this.timers.runDue(this.clock.now());
  }

  /** Stops a running task like `DELETE /nodes/{node}/tasks/{upid}`; its effect is not applied. */
  stop(upid: string): boolean {
    const p = this.pending.get(upid);
    if (!p) return false;
    p.record.log.push("received interrupt");
    this.end(p, "interrupted by signal", this.clock.now());
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
    return this.pending.size;
  }

  clear(): void {
    this.tasks.length = 0;
    this.byUpid.clear();
    this.pending.clear();
    this.timers.clear();
  }

  /** Begins stage `p.stage` at `at` (or finishes the task when there is none left). */
  private beginStage(p: Pending, at: number): void {
    while (p.stage < p.stages.length) {
      const stage = p.stages[p.stage] as TaskStage;
      try {
        stage.begin?.(p.log, at);
      } catch (err) {
        stage.failed?.(errorMessage(err), p.log, at);
        p.stage++;
        continue;
      }
      if (stage.lock) {
        stage.lock.guest.config.lock = stage.lock.name;
        p.stageLock = stage.lock;
      }
      p.stageStart = at;
      p.stageEnd = at + stage.durationMs * p.factor;
      p.step = 0;
      this.progressLine(p, stage, 0, at);
      this.scheduleNext(p);
      return;
    }
    this.complete(p, at);
  }

  /** The stage's next event: a progress step before its end, else its end. */
  private scheduleNext(p: Pending): void {
    const stage = p.stages[p.stage] as TaskStage;
    const next = this.stepTime(p, stage, p.step + 1);
    if (next !== undefined) {
      p.timer = this.timers.schedule(next, (t) => {
        p.step++;
        this.progressLine(p, stage, p.stageEnd > p.stageStart ? (t - p.stageStart) / (p.stageEnd - p.stageStart) : p.step / (stage.progress?.steps ?? 1), t);
        this.scheduleNext(p);
      });
    } else {
      p.timer = this.timers.schedule(p.stageEnd, (t) => this.endStage(p, stage, t));
    }
  }

  /** When step `k` of the stage's progress comes (undefined: none before the stage ends). */
  private stepTime(p: Pending, stage: TaskStage, k: number): number | undefined {
    const pr = stage.progress;
    if (pr?.steps !== undefined) return k < pr.steps ? p.stageStart + ((p.stageEnd - p.stageStart) * k) / pr.steps : undefined;
    if (pr?.everyMs !== undefined && pr.everyMs > 0) {
      const t = p.stageStart + k * pr.everyMs;
      return t < p.stageEnd ? t : undefined;
    }
    return undefined;
  }

  private progressLine(p: Pending, stage: TaskStage, fraction: number, at: number): void {
    const out = stage.progress?.line(Math.min(1, fraction), at - p.stageStart, at);
    for (const line of out === undefined ? [] : typeof out === "string" ? [out] : out) p.log.info(line);
  }

  private endStage(p: Pending, stage: TaskStage, at: number): void {
    this.progressLine(p, stage, 1, at);
    this.releaseStageLock(p);
    try {
      // a fault-injected error fails each stage's effect too (a vzdump logs each guest as failed)
      if (p.spec.forced?.error) throw new Error(p.spec.forced.error);
      stage.end?.(p.log, at);
    } catch (err) {
      stage.failed?.(errorMessage(err), p.log, at);
    }
    p.stage++;
    this.beginStage(p, at);
  }

  private releaseStageLock(p: Pending): void {
    const lock = p.stageLock;
    if (lock && lock.guest.config.lock === lock.name) delete lock.guest.config.lock;
    delete p.stageLock;
  }

  /** The worker's end: its effect (`run`) unless it failed already. */
  private complete(p: Pending, at: number, error?: string): void {
    let failure = error;
    if (failure === undefined) {
      try {
        if (p.spec.forced?.error) throw new Error(p.spec.forced.error);
        p.spec.run(p.log);
        for (let i = 0; i < (p.spec.forced?.warnings ?? 0); i++) p.log.warn(`WARN: simulated warning ${i + 1}`);
      } catch (err) {
        failure = errorMessage(err);
      }
    }
    this.end(p, failure, at);
  }

  private end(p: Pending, error: string | undefined, at: number): void {
    this.timers.cancel(p.timer);
    this.pending.delete(p.record.upid);
    this.releaseStageLock(p);
    const lock = p.spec.lock;
    if (lock && p.locked && lock.guest.config.lock === lock.name) delete lock.guest.config.lock;
    const r = p.record;
    r.status = "stopped";
    r.endsAt = at;
    r.endtime = Math.max(r.starttime, Math.floor(at / 1000));
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
