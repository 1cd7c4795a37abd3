import type { PveClient } from "../../runtime/client";
import { SkillUsageError } from "../errors";
import type { PveSkill } from "../pve-skill";
import { styleFor, type Style } from "../format/style";
import type { GlobalOpts } from "./common-options";
import type { ConnectionInfo } from "../operations/operation";
import type { CliIo } from "./io";
import { progressDisplay, progressMode, type ProgressDisplay } from "./progress-display";

/** `--timeout-task <seconds>` in ms; a usage error for anything but a positive number. */
function taskTimeoutFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n <= 0) throw new SkillUsageError(`--timeout-task must be a positive number of seconds, got "${value}".`);
  return n * 1000;
}

/** Shared state of one CLI run: streams, the exit code, and how to build the skill from the options. */
export class CliApp {
  exitCode = 0;
  /** The connection of this run once made (for exact 403 hints); never secrets. */
  connection: ConnectionInfo | undefined;
  readonly #closers: (() => Promise<void>)[] = [];
  readonly #notices = new Set<string>();

  constructor(
    readonly io: CliIo,
    readonly argv: readonly string[],
  ) {}

  style(json?: boolean): Style {
    return json ? styleFor(false, this.io.env) : styleFor(this.io.stdout.isTTY, this.io.env);
  }

  /**
   * Progress on stderr per `--progress` / `PVEKIT_PROGRESS` (auto: live on a terminal, plain lines
   * otherwise; json: JSON lines; none). `set`: a command over several guests.
   */
  progress(opts: { progress?: string }, set = false): ProgressDisplay {
    return progressDisplay(progressMode(opts.progress, this.io.env), this.io.stderr, styleFor(this.io.stderr.isTTY, this.io.env), { set });
  }

  /**
   * What stops a long run: `io.signal` when given (tests), else Ctrl-C — the first one asks the run to
   * stop starting guests and let the running ones finish, a second one quits at once.
   */
  interrupt(): { signal: AbortSignal; dispose(): void } {
    if (this.io.signal) return { signal: this.io.signal, dispose: () => {} };
    const ac = new AbortController();
    const onSignal = (): void => {
      if (ac.signal.aborted) process.exit(130);
      ac.abort();
      this.err("pvekit: stopping — no more guests are started; waiting for the running ones (Ctrl-C again to quit now).");
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    return {
      signal: ac.signal,
      dispose: () => {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
      },
    };
  }

  /**
   * The connected skill for these options. The runtime, the policy and the settings are loaded
   * here, on first use: `--help`, `usage` or `sim` never load them.
   */
  async skill(opts: GlobalOpts): Promise<PveSkill> {
    const { resolveSkillSettings, connect, PveSkill } = await import("./skill-runtime");
    const settings = resolveSkillSettings(
      { mode: opts.mode, auditLog: opts.auditLog, configFile: opts.config, taskTimeoutMs: taskTimeoutFlag(opts.timeoutTask) },
      this.io.env,
    );
    const { pve, client, connection } = connect(opts, this.io.env, (line) => this.notice(line), { clock: this.io.clock });
    await this.#connected(connection);
    this.onClose(() => pve.close());
    return new PveSkill({ client, settings, connection });
  }

  /** A plain client (no skill policy). */
  async client(opts: GlobalOpts): Promise<PveClient> {
    const { connect } = await import("./skill-runtime");
    const { pve, connection } = connect(opts, this.io.env, (line) => this.notice(line), { clock: this.io.clock });
    await this.#connected(connection);
    this.onClose(() => pve.close());
    return pve;
  }

  /** Remembers the connection; says once on stderr when local mode was chosen by itself (not for one-line answers). */
  async #connected(connection: ConnectionInfo): Promise<void> {
    this.connection = connection;
    if (connection.local?.reason === "auto" && !this.argv.includes("--quiet")) {
      const { localNotice } = await import("../local-connection");
      this.notice(localNotice(connection.local));
    }
  }

  /** A line on stderr, printed once per run however often it is asked for (the local-mode notice). */
  notice(line: string): void {
    if (this.#notices.has(line)) return;
    this.#notices.add(line);
    this.err(line);
  }

  onClose(fn: () => Promise<void>): void {
    this.#closers.push(fn);
  }

  async close(): Promise<void> {
    for (const fn of this.#closers.splice(0)) await fn().catch(() => {});
  }

  out(text: string): void {
    this.io.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
  }

  err(text: string): void {
    this.io.stderr.write(text.endsWith("\n") ? text : `${text}\n`);
  }
}
