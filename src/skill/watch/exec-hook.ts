
/** Default limit of one hook run; a hung notifier must not stall `watch` forever. */
export const DEFAULT_EXEC_TIMEOUT_MS = 60_000;

/**
 * Environment variables that hold pvekit's credentials: a notification hook gets none of them
 * (it does not need them; a hook that calls pvekit itself can use PROXMOX_TOKEN_SECRET_FILE or
 * ~/.proxmox-credentials, whose paths are kept).
 */
const CREDENTIAL_ENV = /^(PROXMOX|PVE|PVEKIT)_\w*(SECRET|PASSWORD|API_TOKEN|TICKET|CSRF|OTP)\w*$/;

/** The hook's environment: the caller's minus credentials, plus `PVEKIT_EVENT_*` from the event. */
export function hookEnv(base: NodeJS.ProcessEnv, event: Record<string, unknown>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) if (!(CREDENTIAL_ENV.test(k) && !k.endsWith("_FILE"))) env[k] = v;
  const put = (name: string, value: unknown): void => {
    if (value !== undefined && value !== null && value !== "") env[name] = String(value);
  };
  put("PVEKIT_EVENT", event.event);
  put("PVEKIT_EVENT_VMID", event.vmid);
  put("PVEKIT_EVENT_NODE", event.node);
  put("PVEKIT_EVENT_UPID", event.upid);
  put("PVEKIT_EVENT_TASK", event.task);
  put("PVEKIT_EVENT_STATUS", event.status);
  put("PVEKIT_EVENT_EXITSTATUS", event.exitstatus);
  put("PVEKIT_EVENT_TIME", event.time);
  return env;
}

export interface ExecHookOptions {
  /** The user's command line, run as `sh -c <command>` exactly as given. */
  command: string;
  /** Written to the command's stdin as one JSON line. */
  event: Record<string, unknown>;
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Receives what the command prints (stdout and stderr), so pvekit's own stdout stays clean. */
  output?: (text: string) => void;
}

export interface ExecHookResult {
  /** Exit code, or null when killed. */
  code: number | null;
  timedOut: boolean;
}

/**
 * Runs a notification hook once for `event`: `sh -c <command>` with the event JSON on stdin and
 * `PVEKIT_EVENT_*` variables. Event data never becomes part of the command line (no shell
 * injection through a guest name or task id).
 */
export async function runExecHook(opts: ExecHookOptions): Promise<ExecHookResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
  // loaded here: the commands that take --exec load this module whether or not it is used
  const { spawn } = await import("node:child_process");
  return new Promise((resolve, reject) => {
    // its own process group, so a timeout stops what the shell started too (not only the shell)
    const child = spawn("sh", ["-c", opts.command], { env: hookEnv(opts.env, opts.event), stdio: ["pipe", "pipe", "pipe"], detached: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, "SIGTERM");
      } catch {
        child.kill("SIGTERM");
      }
    }, timeoutMs);
    const out = (chunk: Buffer): void => opts.output?.(chunk.toString("utf8"));
    child.stdout.on("data", out);
    child.stderr.on("data", out);
    child.stdin.on("error", () => {}); // a hook that does not read its stdin is fine
    child.stdin.end(`${JSON.stringify(opts.event)}\n`);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, timedOut });
    });
  });
}
