import { SkillUsageError } from "../errors";
import type { Style } from "../format/style";
import type { ProgressEvent, ProgressSink } from "../progress/events";
import type { CliStream } from "./io";

/** `--progress` / `PVEKIT_PROGRESS`. */
export type ProgressMode = "auto" | "plain" | "json" | "none";
export const PROGRESS_MODES: readonly ProgressMode[] = ["auto", "plain", "json", "none"];

/** The mode from the flag, else the environment, else `auto`; an unknown value is a usage error. */
export function progressMode(flag: string | undefined, env: NodeJS.ProcessEnv): ProgressMode {
  const value = (flag ?? env.PVEKIT_PROGRESS ?? "auto").trim().toLowerCase() || "auto";
  if ((PROGRESS_MODES as readonly string[]).includes(value)) return value as ProgressMode;
  throw new SkillUsageError(`Unknown progress mode "${value}" (--progress / PVEKIT_PROGRESS): expected one of ${PROGRESS_MODES.join(", ")}.`);
}

/** What the CLI hands the skill for progress, and what to call once the command is done. */
export interface ProgressDisplay {
  onEvent?: ProgressSink;
  end(): void;
}

/**
 * A display for `mode` on `stream` (stderr): `json` one JSON object per line, `plain` one readable
 * line per event (CI, cron, pipes), `live` (auto on a terminal) task log lines for one guest and a
 * status block redrawn in place for a set, `none` nothing.
 */
export function progressDisplay(mode: ProgressMode, stream: CliStream, style: Style, opts: { set: boolean; now?: () => number }): ProgressDisplay {
  const resolved = mode === "auto" ? (stream.isTTY ? "live" : "plain") : mode;
  if (resolved === "none") return { end: () => {} };
  if (resolved === "json") return { onEvent: (e) => void stream.write(`${JSON.stringify(e)}\n`), end: () => {} };
  if (resolved === "plain") return { onEvent: (e) => void stream.write(`${plainLine(e)}\n`), end: () => {} };
  if (!opts.set) {
    // one guest on a terminal: its task log, dimmed and indented, as before
    return { onEvent: (e) => void (e.event === "task-log" && stream.write(`${style.dim(`  ${e.line}`)}\n`)), end: () => {} };
  }
  return liveSetDisplay(stream, style, opts.now ?? Date.now);
}

const who = (e: ProgressEvent): string => (e.vmid !== undefined ? `[${e.vmid}${e.node ? `@${e.node}` : ""}]` : e.node ? `[${e.node}]` : "[-]");

/** One event as one line of text. */
export function plainLine(e: ProgressEvent): string {
  switch (e.event) {
    case "task-start":
      return `${who(e)} task started: ${e.task ?? "task"} ${e.upid}`;
    case "task-log":
      return `${who(e)} ${e.line}`;
    case "task-end":
      return `${who(e)} task ${e.status === "failed" ? `failed: ${e.exitstatus}` : `finished: ${e.exitstatus}`}`;
    case "state":
      return `${who(e)} state: ${e.previous ? `${e.previous} → ` : ""}${e.status}`;
    case "set-start":
      return `${e.operation}: ${e.total} guest(s), ${e.acting} to act`;
    case "result":
      return `${who(e)} ${e.outcome}${e.error ? `: ${e.error}` : e.reason ? `: ${e.reason}` : ""}`;
    case "summary":
      return `${e.operation}: ${Object.entries(e.counts)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${n} ${k}`)
        .join(", ")} (${e.total} guests)`;
  }
}

/** A status block for a set, redrawn at most every 100 ms; failures are printed above it and stay. */
function liveSetDisplay(stream: CliStream, style: Style, now: () => number): ProgressDisplay {
  const running = new Map<number, { node?: string; task?: string; line?: string; percent?: number }>();
  let operation = "";
  let total = 0;
  let done = 0;
  let failed = 0;
  let drawn = 0;
  let lastDraw = 0;
  const MAX_ROWS = 8;
  const clear = (): void => {
    if (drawn > 0) stream.write(`\u001b[${drawn}F\u001b[J`);
    drawn = 0;
  };
  const draw = (force = false): void => {
    if (!force && now() - lastDraw < 100) return;
    lastDraw = now();
    clear();
    const lines = [style.bold(`${operation}: ${done}/${total} done${failed ? ` · ${style.error(`${failed} failed`)}` : ""} · ${running.size} running`)];
    for (const [vmid, r] of [...running].slice(0, MAX_ROWS)) {
      const pct = r.percent !== undefined ? ` ${r.percent}%` : "";
      lines.push(style.dim(`  ${vmid}${r.node ? `@${r.node}` : ""} ${r.task ?? ""}${pct} ${(r.line ?? "").slice(0, 80)}`));
    }
    if (running.size > MAX_ROWS) lines.push(style.dim(`  … and ${running.size - MAX_ROWS} more`));
    stream.write(`${lines.join("\n")}\n`);
    drawn = lines.length;
  };
  return {
    onEvent(e) {
      if (e.event === "set-start") {
        operation = e.operation;
        total = e.total;
      } else if (e.event === "task-start" && e.vmid !== undefined) running.set(e.vmid, { node: e.node, task: e.task });
      else if (e.event === "task-log" && e.vmid !== undefined) {
        const r = running.get(e.vmid) ?? { node: e.node };
        running.set(e.vmid, { ...r, line: e.line, ...(e.percent !== undefined ? { percent: e.percent } : {}) });
      } else if (e.event === "result") {
        running.delete(e.vmid);
        done++;
        if (e.outcome === "failed") {
          failed++;
          clear();
          stream.write(`${style.error(plainLine(e))}\n`);
          draw(true);
          return;
        }
      } else if (e.event === "summary") {
        clear();
        return;
      }
      draw();
    },
    end: clear,
  };
}
