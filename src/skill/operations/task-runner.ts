import { TaskTimeoutError } from "../../runtime/errors";
import { taskEndStatus } from "../progress/events";
import type { OperationContext } from "./operation";

/** The outcome of a task as the skill reports it. */
export interface TaskOutcome {
  upid: string;
  /** `OK`, `WARNINGS: n`, or undefined when not waited for. */
  exitstatus?: string;
  waited: boolean;
}

/** True when a value returned by PVE is a task id. */
export function isUpid(value: unknown): value is string {
  return typeof value === "string" && value.startsWith("UPID:");
}

/**
 * Waits for a task (unless the context says not to), forwarding its log lines as progress and
 * reporting task-start / task-log / task-end events. A failed task raises the runtime's `TaskFailedError`.
 */
export async function runTask(ctx: OperationContext, upid: string): Promise<TaskOutcome> {
  ctx.emit?.({ event: "task-start", upid });
  if (!ctx.wait) return { upid, waited: false };
  const result = await waitForTask(ctx, upid);
  const exitstatus = readExitStatus(result) ?? "OK";
  ctx.emit?.({ event: "task-end", upid, exitstatus, status: taskEndStatus(exitstatus) });
  return { upid, exitstatus, waited: true };
}

const kDeadline = Symbol.for("pvekit.error.TaskDeadlineError");

/** The deadline passed; the message says how to follow the task and how to wait longer. */
export class TaskDeadlineError extends TaskTimeoutError {
  get [kDeadline](): true {
    return true;
  }
  // its own brand: the inherited check would take every TaskTimeoutError for one of these
  static override [Symbol.hasInstance](i: unknown): boolean {
    return typeof i === "object" && i !== null && (i as Record<symbol, unknown>)[kDeadline] === true;
  }
  constructor(upid: string, timeoutMs: number) {
    super(upid, timeoutMs);
    this.message =
      `Task ${upid} did not finish within ${Math.round(timeoutMs / 1000)} s; it keeps running on the node (follow it with: pvekit task ${upid} --wait). ` +
      "To wait longer, pass --timeout-task <seconds> or set PVEKIT_TASK_TIMEOUT (task_timeout in the config file).";
  }
}

/**
 * Waits for a task within the settings' deadline (`--timeout-task`, `PVEKIT_TASK_TIMEOUT`), passing its
 * log on as progress and as task-log events, and reporting a failed task's end as a task-end event.
 */
export async function waitForTask(ctx: OperationContext, upid: string): Promise<unknown> {
  try {
    return await ctx.client.tasks.wait(upid, {
      timeoutMs: ctx.settings.taskTimeoutMs,
      onLog: (line) => {
        ctx.progress(line);
        ctx.emit?.({ event: "task-log", upid, line });
      },
    });
  } catch (err) {
    const exitstatus = (err as { exitstatus?: unknown }).exitstatus;
    if (typeof exitstatus === "string") ctx.emit?.({ event: "task-end", upid, exitstatus, status: taskEndStatus(exitstatus) });
    if (err instanceof TaskTimeoutError && !(err instanceof TaskDeadlineError)) throw new TaskDeadlineError(upid, ctx.settings.taskTimeoutMs);
    throw err;
  }
}

function readExitStatus(result: unknown): string | undefined {
  if (result && typeof result === "object" && "exitstatus" in result) {
    const v = (result as { exitstatus?: unknown }).exitstatus;
    return typeof v === "string" ? v : undefined;
  }
  return undefined;
}

/** Warnings to surface from a task exit status (`WARNINGS: 2`). */
export function taskWarnings(outcome: TaskOutcome): string[] {
  return outcome.exitstatus && outcome.exitstatus !== "OK" ? [`Task finished with ${outcome.exitstatus}.`] : [];
}
