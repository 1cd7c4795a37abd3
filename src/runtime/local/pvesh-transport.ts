import type { ApiTransport } from "../api-transport";
import type { Clock } from "../clock";
import { PveConnectionError, PveError, PveTimeoutError } from "../errors";
import type { Logger } from "../logger";
import { withRetry, type RetryOptions } from "../retry";
import type { ApiEnvelope, SendOptions } from "../transport";
import { pveshArgs } from "./pvesh-args";
import { errorFromPvesh, parsePveshOutput } from "./pvesh-result";
import { runProcess, type RunCommand, type RunResult } from "./run-process";

export interface PveshTransportConfig {
  /** the pvesh executable (a full path, as `findPvesh` returns it) */
  command: string;
  /** environment of the pvesh process (default: this process's) */
  env?: NodeJS.ProcessEnv;
  /** how long a GET may take before pvesh is stopped */
  timeoutMs: number;
  /** pvesh's output beyond this many bytes stops it (as `maxResponseBytes` bounds an HTTPS response) */
  maxResponseBytes: number;
  retry: RetryOptions | false;
  clock: Clock;
  logger: Logger;
  /** runs the process (tests inject their own) */
  run?: RunCommand;
}

/** Parameter names whose values are secrets: on pvesh's command line they would show in the node's process list. */
const SECRET_PARAM = /(^|-)(password|passwd|secret|token|key)$|^cipassword$/i;

/**
 * Local mode: sends each request through `pvesh <get|set|create|delete> <path> --key value …
 * --output-format json` on this PVE node (as root@pam, no URL, no token), and maps its output and
 * exit status onto the same answers and error classes as the HTTPS transport.
 *
 * pvesh runs an API worker in the foreground and stopping it stops the task (pve-common
 * PVE/RESTEnvironment.pm, `fork_worker` and `$tee_worker`), so only GETs are bounded by `timeoutMs`;
 * POST/PUT/DELETE run until pvesh exits (the caller's abort signal still stops them). GETs are retried
 * like over HTTPS (lock timeouts); other requests never are.
 */
export class PveshTransport implements ApiTransport {
  readonly baseUrl = new URL("pvesh://localhost/api2/json");
  readonly #c: PveshTransportConfig;
  readonly #run: RunCommand;

  constructor(config: PveshTransportConfig) {
    this.#c = config;
    this.#run = config.run ?? runProcess;
  }

  /** The pvesh executable this transport runs. */
  get command(): string {
    return this.#c.command;
  }

  async send(method: string, path: string, pairs: readonly [string, string][], opts: SendOptions = {}): Promise<ApiEnvelope> {
    const where = { method, path: opts.template ?? path };
    if (opts.stream) {
      throw new PveError(
        `${method} ${where.path} streams a file, which pvesh cannot pass on; use an HTTPS connection for uploads`,
        "PVE_ERR_CONFIG",
        where,
      );
    }
    const args = pveshArgs(method, path, pairs);
    for (const [key] of pairs) {
      if (SECRET_PARAM.test(key)) this.#c.logger.warn?.(`parameter ${key} is passed on pvesh's command line, where local users can see it in the process list`);
    }
    const once = () => this.#exchange(args, where, opts);
    if (method !== "GET" || this.#c.retry === false) return once();
    return withRetry(once, this.#c.retry, this.#c.clock, opts.signal, (err, delay) => {
      this.#c.logger.debug?.(`retry pvesh ${args[0]} ${args[1]} in ${delay}ms after ${(err as PveError).code ?? "error"}`);
    });
  }

  async #exchange(args: string[], where: { method: string; path: string }, opts: SendOptions): Promise<ApiEnvelope> {
    const c = this.#c;
    const timeoutMs = where.method === "GET" ? (opts.timeoutMs ?? c.timeoutMs) : undefined;
    const started = c.clock.now();
    let run: RunResult;
    try {
      run = await this.#run(c.command, args, { env: c.env, signal: opts.signal, timeoutMs, maxStdoutBytes: c.maxResponseBytes });
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      throw new PveConnectionError(
        `Cannot run ${c.command} (${typeof code === "string" ? code : (err as Error).message}) for ${where.method} ${where.path}; local mode needs pvesh, on a Proxmox VE node`,
        { ...where, cause: err },
      );
    }
    c.logger.debug?.(`pvesh ${args[0]} ${args[1]} exit ${run.code ?? run.signal} ${Math.round(c.clock.now() - started)}ms`);
    if (run.aborted) throw new PveError(`${where.method} ${where.path} was aborted`, "PVE_ERR_ABORTED", { ...where, cause: opts.signal?.reason });
    if (run.timedOut) {
      throw new PveTimeoutError(`${where.method} ${where.path} timed out after ${timeoutMs} ms (pvesh was stopped)`, { ...where, timeoutMs });
    }
    if (run.tooLarge) {
      throw new PveError(
        `The output of pvesh for ${where.method} ${where.path} is larger than ${c.maxResponseBytes} bytes (maxResponseBytes; pvesh was stopped); raise the limit if that is expected`,
        "PVE_ERR_RESPONSE_TOO_LARGE",
        where,
      );
    }
    if (run.code !== 0) {
      if (run.code === null) throw new PveConnectionError(`pvesh was ended by ${run.signal ?? "a signal"} during ${where.method} ${where.path}`, where);
      throw errorFromPvesh(run, { ...where, node: opts.node });
    }
    // a foreground task's errors and warnings: the task status tells the caller, so only log them
    for (const line of run.stderr.split("\n")) if (line.trim()) c.logger.debug?.(`pvesh: ${line}`);
    const { data } = parsePveshOutput(run.stdout, where);
    return { data };
  }
}
