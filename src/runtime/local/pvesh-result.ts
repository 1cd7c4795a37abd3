import { errorFromResponse } from "../error-from-response";
import { PveError } from "../errors";

/**
 * Reading what `pvesh … --output-format json` printed, as pve-manager's PVE/CLI/pvesh.pm and
 * pve-common's PVE/CLIFormatter.pm, PVE/Exception.pm and PVE/RESTEnvironment.pm produce it:
 *
 * - The result is printed by `print_api_result`: `to_json($data, { allow_nonref => 1, canonical => 1 })`
 *   plus a newline, so one line of JSON (a task id is the JSON string `"UPID:…"`). Only `data` is
 *   printed, never PVE's siblings such as `total`. Methods returning `null` (and optional results that
 *   are undefined) print nothing.
 * - pvesh runs API workers in the foreground (`fork_worker` is synchronous in a `cli` environment):
 *   the task's log is copied to stdout first, the UPID is printed once the task has ended, and a task
 *   error goes to stderr while pvesh still exits 0. So the result is the last line of stdout.
 * - A failure is a `die`: the message on stderr and a non-zero exit status (Perl's `$!` or 255, so the
 *   number itself means nothing). A PVE::Exception prints as `"<code> <message>"` followed by one
 *   `param: message` line per parameter error, and for parameter errors pvesh adds its `USAGE:` text.
 *   Plain dies print the message only (PVE's HTTP server answers those with 500). `WARN: …` lines are
 *   warnings. `No 'get' handler defined for '…'` (exit 1) is pvesh's answer for a path without that
 *   method (501 over HTTPS), and `please run as root` refuses non-root callers.
 */

/** What one pvesh run produced. */
export interface PveshRun {
  /** exit status, or null when a signal ended it */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A successful run's result and the lines printed before it (a foreground task's log). */
export interface PveshOutput {
  data: unknown;
  log: string[];
}

/** Parses a successful run's stdout: the last line is the JSON result; nothing printed means `null`. */
export function parsePveshOutput(stdout: string, where: { method: string; path: string }): PveshOutput {
  const text = stdout.replace(/\s+$/, "");
  if (!text) return { data: null, log: [] };
  const nl = text.lastIndexOf("\n");
  const last = text.slice(nl + 1);
  try {
    return { data: JSON.parse(last), log: nl >= 0 ? text.slice(0, nl).split("\n") : [] };
  } catch {
    // not expected from pvesh, but a pretty-printed value would be the whole text
  }
  try {
    return { data: JSON.parse(text), log: [] };
  } catch {
    throw new PveError(`pvesh printed no JSON result for ${where.method} ${where.path}`, "PVE_ERR_RESPONSE", where);
  }
}

/** The parts of pvesh's error text. */
export interface PveshFailure {
  /** the HTTP status PVE would have answered with */
  status: number;
  message: string;
  /** parameter → message, for parameter errors */
  errors: Record<string, string>;
  /** `WARN:` lines printed before the error */
  warnings: string[];
}

const CODED = /^(\d{3}) (.*)$/;
const PARAM_LINE = /^([A-Za-z0-9_][A-Za-z0-9_.[\]-]*): (.*)$/;
const NO_HANDLER = /^no '(\w+)' handler (?:defined )?for '(.*)'$/i;
const NOT_ROOT = /please run as root/;
const PROXY_FAILED = /^proxy handler failed/;
/** Perl appends " at FILE line N." to a message without a trailing newline. */
const PERL_LOCATION = / at \S+ line \d+\.?$/;

/** Splits pvesh's stderr into status, message, parameter errors and warnings. */
export function parsePveshFailure(stderr: string, exitCode: number | null): PveshFailure {
  const lines: string[] = [];
  for (const raw of stderr.split(/\r?\n/)) {
    if (raw.startsWith("USAGE:")) break; // pvesh's usage text follows parameter errors
    lines.push(raw);
  }
  const warnings = lines.filter((l) => l.startsWith("WARN: ")).map((l) => l.slice("WARN: ".length));
  const rest = lines.filter((l) => l.trim() !== "" && !l.startsWith("WARN: ")).map((l) => l.replace(PERL_LOCATION, "").trimEnd());
  const errors: Record<string, string> = {};
  const first = rest[0];
  if (first === undefined) {
    return { status: 500, message: `pvesh failed with exit status ${exitCode ?? "unknown"} and no message`, errors, warnings };
  }
  const coded = CODED.exec(first);
  if (coded) {
    const status = Number(coded[1]);
    const extra: string[] = [];
    for (const line of rest.slice(1)) {
      const m = PARAM_LINE.exec(line.trim());
      if (m && status === 400) errors[m[1] as string] = (m[2] as string).trim();
      else extra.push(line.trim());
    }
    const message = [(coded[2] as string).trim(), ...extra].join(" ");
    return { status, message, errors, warnings };
  }
  const message = rest.map((l) => l.trim()).join(" ");
  if (NO_HANDLER.test(first)) return { status: 501, message, errors, warnings };
  if (NOT_ROOT.test(message)) return { status: 403, message: `${message} (pvesh runs as root@pam and needs root on the node)`, errors, warnings };
  if (PROXY_FAILED.test(first)) return { status: 595, message, errors, warnings };
  return { status: 500, message, errors, warnings };
}

/** The error class PVE's HTTP answer would have produced for this failed run. */
export function errorFromPvesh(run: PveshRun, where: { method: string; path: string; node?: string }): PveError {
  const failure = parsePveshFailure(run.stderr, run.code);
  return errorFromResponse({
    status: failure.status,
    reason: failure.message,
    body: { errors: failure.errors },
    method: where.method,
    path: where.path,
    node: where.node,
  });
}
