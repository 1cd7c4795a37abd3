import { Option, type Command } from "commander";
import { SkillUsageError } from "../errors";
import { taskEndStatus, upidGuest } from "../progress/events";
import { DEFAULT_EXEC_TIMEOUT_MS, runExecHook } from "../watch/exec-hook";
import type { CliApp } from "./app";

export interface ExecOpts {
  exec?: string;
  execTimeout?: string;
}

/** `--exec <command>` and `--exec-timeout <seconds>` (task --wait, watch). */
export function addExecOptions(cmd: Command, what = "when the task has ended"): Command {
  cmd.addOption(
    new Option("--exec <command>", `run this command (sh -c) ${what}, the event as JSON on stdin and in PVEKIT_EVENT_* variables`).helpGroup(
      "Notification:",
    ),
  );
  cmd.addOption(new Option("--exec-timeout <seconds>", `stop a command that runs longer (default ${DEFAULT_EXEC_TIMEOUT_MS / 1000})`).helpGroup("Notification:"));
  return cmd;
}

/** The hook time limit from `--exec-timeout`. */
export function execTimeoutMs(opts: ExecOpts): number {
  if (opts.execTimeout === undefined) return DEFAULT_EXEC_TIMEOUT_MS;
  const s = Number(opts.execTimeout);
  if (!Number.isFinite(s) || s <= 0) throw new SkillUsageError(`--exec-timeout must be a positive number of seconds, got "${opts.execTimeout}".`);
  return s * 1000;
}

/** Runs one hook for `event`; a failing hook is reported on stderr and does not change the exit code. */
export async function execFor(app: CliApp, opts: ExecOpts, event: Record<string, unknown>): Promise<void> {
  const r = await runExecHook({
    command: opts.exec!,
    event,
    env: app.io.env,
    timeoutMs: execTimeoutMs(opts),
    output: (text) => app.io.stderr.write(text),
  });
  if (r.timedOut) app.err(`pvekit: --exec command stopped after ${execTimeoutMs(opts) / 1000} s.`);
  else if (r.code !== 0) app.err(`pvekit: --exec command exited with ${r.code ?? "a signal"}.`);
}

/** `task <upid> --wait --exec …`: one task-end event for the task as it ended. */
export async function runTaskExec(app: CliApp, opts: ExecOpts, data: unknown): Promise<void> {
  const t = (data ?? {}) as Record<string, unknown>;
  const upid = String(t.upid ?? "");
  const exitstatus = typeof t.exitstatus === "string" ? t.exitstatus : "unknown";
  const g = upidGuest(upid);
  await execFor(app, opts, {
    event: "task-end",
    ...(g.vmid !== undefined ? { vmid: g.vmid } : {}),
    node: t.node ?? g.node,
    upid,
    task: t.type ?? g.task,
    exitstatus,
    status: taskEndStatus(exitstatus),
    time: new Date().toISOString(),
  });
}
