import type { PveshRun } from "./pvesh-result";

/** How a command is run: no shell, arguments as given, stdin closed. */
export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  /** kills the process (SIGTERM) when it aborts */
  signal?: AbortSignal;
  /** kills the process (SIGTERM) after this many ms; the result then has `timedOut` */
  timeoutMs?: number;
  /** kills the process (SIGTERM) once its stdout passes this many bytes; the result then has `tooLarge` */
  maxStdoutBytes?: number;
}

export interface RunResult extends PveshRun {
  timedOut: boolean;
  aborted: boolean;
  /** stdout passed `maxStdoutBytes` (what was read is dropped) */
  tooLarge?: boolean;
}

/** Runs one command and collects its output; injectable so the transport can be tested without processes. */
export type RunCommand = (command: string, args: readonly string[], options: RunOptions) => Promise<RunResult>;

/** stderr beyond this is dropped (a message, not a data channel) */
const MAX_STDERR = 1024 * 1024;
const KILL_GRACE_MS = 5_000;

/**
 * Spawns `command` directly (execve, never a shell), so no argument is interpreted. Rejects only when
 * the process cannot be started (ENOENT, EACCES); every exit, signal or timeout resolves.
 */
export const runProcess: RunCommand = async (command, args, options) => {
  // loaded here: a remote client (every CLI run against a host) never spawns anything
  const { spawn } = await import("node:child_process");
  return new Promise<RunResult>((resolve, reject) => {
    const child = spawn(command, [...args], { env: options.env, shell: false, stdio: ["ignore", "pipe", "pipe"], windowsHide: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let errBytes = 0;
    let outBytes = 0;
    let tooLarge = false;
    let timedOut = false;
    let aborted = false;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = (): void => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      killTimer = setTimeout(() => child.kill("SIGKILL"), KILL_GRACE_MS);
      killTimer.unref();
    };
    const timer = options.timeoutMs !== undefined ? setTimeout(() => ((timedOut = true), stop()), options.timeoutMs) : undefined;
    const onAbort = (): void => {
      aborted = true;
      stop();
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener("abort", onAbort, { once: true });
    child.stdout.on("data", (b: Buffer) => {
      if (tooLarge) return;
      outBytes += b.length;
      if (options.maxStdoutBytes !== undefined && outBytes > options.maxStdoutBytes) {
        // bounded like an HTTPS response (maxResponseBytes): stop reading and holding it
        tooLarge = true;
        out.length = 0;
        stop();
        return;
      }
      out.push(b);
    });
    child.stderr.on("data", (b: Buffer) => {
      if (errBytes < MAX_STDERR) err.push(b);
      errBytes += b.length;
    });
    const cleanup = (): void => {
      if (timer) clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      options.signal?.removeEventListener("abort", onAbort);
    };
    child.on("error", (e) => {
      cleanup();
      reject(e);
    });
    child.on("close", (code, signal) => {
      cleanup();
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        timedOut,
        aborted,
        ...(tooLarge ? { tooLarge } : {}),
      });
    });
  });
};
