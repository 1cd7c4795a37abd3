import type { Clock } from "./clock";
import { PveConnectionError, PveError, PveNotFoundError, PveParamError, PveTimeoutError, TaskFailedError, TaskTimeoutError } from "./errors";
import { parseUpid } from "./upid";

/** A task's state as `GET /nodes/{node}/tasks/{upid}/status` reports it. */
export interface TaskStatus {
  upid: string;
  node: string;
  status: "running" | "stopped";
  /** set once stopped: `OK`, `WARNINGS: n`, or the error */
  exitstatus?: string;
  type: string;
  id: string;
  user: string;
  pid: number;
  pstart: number;
  starttime: number;
  [key: string]: unknown;
}

/** A finished, successful task. */
export interface TaskResult {
  upid: string;
  node: string;
  /** `OK` or `WARNINGS: n` */
  exitstatus: string;
  /** number of warnings (`WARNINGS: n`), 0 for `OK` */
  warnings: number;
  status: TaskStatus;
}

/** A slice of a task log. */
export interface TaskLog {
  lines: string[];
  /** lines the log holds in total */
  total: number;
}

export interface PollOptions {
  signal?: AbortSignal;
  /** overall deadline (default 30 min); the task keeps running on the server when it passes */
  timeoutMs?: number;
  /** first poll interval (default 150 ms); intervals then grow with elapsed time */
  minIntervalMs?: number;
  /** longest poll interval (default 3000 ms) */
  maxIntervalMs?: number;
  /** how long a UPID may stay unknown to the node (fresh tasks; default 10 s) */
  notFoundGraceMs?: number;
}

export interface WaitOptions extends PollOptions {
  /** called with each new log line while waiting */
  onLog?: (line: string) => void;
}

/** The GET the task client needs from the client: path template, parameters, abort signal. */
export type TaskGet = (path: string, params: Record<string, unknown>, signal?: AbortSignal) => Promise<{ data: unknown; total?: unknown }>;
export type TaskDelete = (path: string, params: Record<string, unknown>) => Promise<unknown>;

const STATUS_PATH = "/nodes/{node}/tasks/{upid}/status";
const LOG_PATH = "/nodes/{node}/tasks/{upid}/log";
const TAIL_LINES = 20;
const WARNINGS = /^WARNINGS: (\d+)$/;

/**
 * Poll interval after `elapsedMs` of waiting: a seventh of the time waited, between the
 * bounds. Short tasks are seen within ~150 ms, a 1.5 s task within ~0.2 s and ~10 polls,
 * long tasks are polled every few seconds.
 */
export function pollInterval(elapsedMs: number, opts: PollOptions = {}): number {
  const min = opts.minIntervalMs ?? 150;
  const max = opts.maxIntervalMs ?? 3000;
  return Math.round(Math.min(max, Math.max(min, elapsedMs / 7)));
}

/** `pve.tasks`: status, log, waiting and following of PVE tasks, polled on the node in the UPID. */
export class TaskClient {
  readonly #get: TaskGet;
  readonly #delete: TaskDelete;
  readonly #clock: Clock;

  constructor(get: TaskGet, del: TaskDelete, clock: Clock) {
    this.#get = get;
    this.#delete = del;
    this.#clock = clock;
  }

  /** The task's current status. */
  async status(upid: string, opts: { signal?: AbortSignal } = {}): Promise<TaskStatus> {
    const { node } = parseUpid(upid);
    const res = await this.#get(STATUS_PATH, { node, upid }, opts.signal);
    return res.data as TaskStatus;
  }

  /** Lines of the task log from `start` (0-based, default 0), at most `limit` (default 50, as PVE). */
  async log(upid: string, opts: { start?: number; limit?: number; signal?: AbortSignal } = {}): Promise<TaskLog> {
    const { node } = parseUpid(upid);
    const res = await this.#get(LOG_PATH, { node, upid, start: opts.start ?? 0, limit: opts.limit ?? 50 }, opts.signal);
    const entries = Array.isArray(res.data) ? (res.data as { n?: unknown; t?: unknown }[]) : [];
    const total = typeof res.total === "number" ? res.total : Number(res.total ?? entries.length);
    // PVE answers an empty log with one line "no content"
    const lines = entries.length === 1 && entries[0]?.t === "no content" && total <= 1 ? [] : entries.map((e) => String(e.t ?? ""));
    return { lines, total: lines.length === 0 && total <= 1 ? 0 : total };
  }

  /** Asks PVE to stop a running task. */
  async stop(upid: string): Promise<void> {
    const { node } = parseUpid(upid);
    await this.#delete("/nodes/{node}/tasks/{upid}", { node, upid });
  }

  /**
   * Waits until the task stops. Resolves for `OK` and `WARNINGS: n`; rejects with
   * TaskFailedError (exit status and log tail) otherwise, or TaskTimeoutError at the deadline.
   */
  async wait(upid: string, opts: WaitOptions = {}): Promise<TaskResult> {
    const { node } = parseUpid(upid);
    let seen = 0;
    const tail: string[] = [];
    const readLog = async (): Promise<void> => {
      for (;;) {
        const chunk = await this.log(upid, { start: seen, limit: 500, signal: opts.signal });
        for (const line of chunk.lines) {
          tail.push(line);
          if (tail.length > TAIL_LINES) tail.shift();
          opts.onLog?.(line);
        }
        seen += chunk.lines.length;
        if (chunk.lines.length < 500) return;
      }
    };
    const status = await this.#poll(upid, opts, opts.onLog ? readLog : undefined);
    if (opts.onLog) await readLog();
    const exitstatus = status.exitstatus ?? "unknown";
    const warn = WARNINGS.exec(exitstatus);
    if (exitstatus === "OK" || warn) return { upid, node, exitstatus, warnings: warn ? Number(warn[1]) : 0, status };
    throw new TaskFailedError(upid, exitstatus, opts.onLog ? tail : await this.#tail(upid));
  }

  /** Yields new log lines as they appear, until the task stops (check the outcome with `status`). */
  async *follow(upid: string, opts: PollOptions = {}): AsyncGenerator<string, TaskStatus, void> {
    const queue: string[] = [];
    let seen = 0;
    const readLog = async (): Promise<void> => {
      const chunk = await this.log(upid, { start: seen, limit: 500, signal: opts.signal });
      queue.push(...chunk.lines);
      seen += chunk.lines.length;
    };
    const start = this.#clock.now();
    const deadline = start + (opts.timeoutMs ?? 30 * 60_000);
    for (;;) {
      const status = await this.#statusOrPending(upid, start, opts);
      await readLog();
      while (queue.length) yield queue.shift() as string;
      if (status?.status === "stopped") {
        // lines written between the last read and the stop
        for (let more = true; more; ) {
          const before = seen;
          await readLog();
          while (queue.length) yield queue.shift() as string;
          more = seen > before;
        }
        return status;
      }
      await this.#sleepUntilNext(upid, start, deadline, opts);
    }
  }

  async #poll(upid: string, opts: PollOptions, onEachPoll?: () => Promise<void>): Promise<TaskStatus> {
    const start = this.#clock.now();
    const deadline = start + (opts.timeoutMs ?? 30 * 60_000);
    for (;;) {
      await this.#sleepUntilNext(upid, start, deadline, opts);
      const status = await this.#statusOrPending(upid, start, opts);
      if (status?.status === "stopped") return status;
      if (status && onEachPoll) await onEachPoll().catch((err: unknown) => {
        if (!isTransient(err) || opts.signal?.aborted) throw err; // the next poll reads the lines again
      });
    }
  }

  /**
   * The status, or undefined when this poll tells nothing yet: a fresh UPID not visible on the
   * node (within the grace period), or a transient failure of the poll itself (the caller's
   * deadline bounds how long those are retried).
   */
  async #statusOrPending(upid: string, start: number, opts: PollOptions): Promise<TaskStatus | undefined> {
    try {
      return await this.status(upid, { signal: opts.signal });
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      const young = this.#clock.now() - start < (opts.notFoundGraceMs ?? 10_000);
      if (isUnknownTask(err)) {
        if (young) return undefined;
        throw err;
      }
      if (isTransient(err)) return undefined;
      throw err;
    }
  }

  async #sleepUntilNext(upid: string, start: number, deadline: number, opts: PollOptions): Promise<void> {
    const now = this.#clock.now();
    if (now >= deadline) throw new TaskTimeoutError(upid, opts.timeoutMs ?? 30 * 60_000);
    const delay = Math.min(pollInterval(now - start, opts), deadline - now);
    try {
      await this.#clock.sleep(delay, opts.signal);
    } catch (cause) {
      throw new PveError(`Waiting for task ${upid} was aborted`, "PVE_ERR_ABORTED", { cause });
    }
  }

  /** The last lines of a task log, for failure reports. */
  async #tail(upid: string): Promise<string[]> {
    try {
      const head = await this.log(upid, { start: 0, limit: 50 });
      if (head.total <= 50) return head.lines.slice(-TAIL_LINES);
      return (await this.log(upid, { start: head.total - TAIL_LINES, limit: TAIL_LINES })).lines;
    } catch {
      return []; // the failure itself matters more than its log
    }
  }
}

/**
 * PVE's answers for a UPID it does not know (yet): `GET …/tasks/{upid}/status` raises a parameter
 * exception `{ upid: "no such task" }` (HTTP 400) when the task's log file is missing
 * (pve-manager PVE/API2/Tasks.pm, read_task_status); proxies and older hosts answer 404 or 500
 * "… does not exist", which map to PveNotFoundError.
 */
function isUnknownTask(err: unknown): boolean {
  if (err instanceof PveNotFoundError) return true;
  return err instanceof PveParamError && /no such task/i.test(`${err.errors.upid ?? ""} ${err.message}`);
}

/** A poll that failed for reasons unrelated to the task: connection errors (595/596 too), timeouts, 5xx. */
function isTransient(err: unknown): boolean {
  if (err instanceof PveConnectionError || err instanceof PveTimeoutError) return true;
  return err instanceof PveError && err.status !== undefined && err.status >= 500 && err.status <= 599;
}
