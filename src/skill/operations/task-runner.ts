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
 * Waits for a task (unless the context says not to), forwarding its log lines as progress.
 * A failed task raises the runtime's `TaskFailedError`.
 */
export async function runTask(ctx: OperationContext, upid: string): Promise<TaskOutcome> {
  if (!ctx.wait) return { upid, waited: false };
  const result = await ctx.client.tasks.wait(upid, {
    timeoutMs: ctx.settings.taskTimeoutMs,
    onLog: (line) => ctx.progress(line),
  });
  const exitstatus = readExitStatus(result) ?? "OK";
  return { upid, exitstatus, waited: true };
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
