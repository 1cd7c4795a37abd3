import {
  PveAuthError,
  PveConnectionError,
  PveError,
  PveNotFoundError,
  PveParamError,
  PvePermissionError,
  type PveErrorDetails,
} from "./errors";

/** What an error answer from PVE looked like. */
export interface ErrorResponse {
  status: number;
  /** the HTTP reason phrase: PVE puts its error message there */
  reason: string;
  /** the decoded JSON body, if any */
  body?: unknown;
  method: string;
  path: string;
  /** the node a request was proxied to (its `node` path parameter), for 595/596 */
  node?: string;
}

const NOT_FOUND = /does not exist|no such|not found/i;
const ALREADY_EXISTS = /already exists/i;
const LOCK_TIMEOUT = /got timeout|can't lock file/i;

/**
 * Maps an HTTP error answer to the matching error class. PVE signals most failures as 500
 * with a telling reason phrase, so the phrase decides between not found, already exists and
 * lock timeouts; 595/596 mean the proxying node could not reach the target node.
 *
 * Every piece of server text (reason phrase, body `message`, `errors` map) goes through `scrub` before
 * it is put in a message or a field: this is the one path server text takes into an error.
 */
export function errorFromResponse(res: ErrorResponse, scrub: (text: string) => string = (t) => t): PveError {
  const body = isObject(res.body) ? res.body : {};
  const reason = scrub(res.reason);
  const message = reason || (typeof body.message === "string" ? scrub(body.message.trim()) : "") || `HTTP ${res.status}`;
  const details: PveErrorDetails = { status: res.status, method: res.method, path: res.path, reason };
  switch (res.status) {
    case 400: {
      const errors = isObject(body.errors) ? stringMap(body.errors, scrub) : {};
      const list = Object.entries(errors).map(([k, v]) => `${k}: ${v}`);
      return new PveParamError(list.length ? `${message} ${list.join("; ")}` : message, errors, details);
    }
    case 401:
      return new PveAuthError(message, details);
    case 403:
      return new PvePermissionError(message, details);
    case 404:
      return new PveNotFoundError(message, details);
    case 595:
    case 596: {
      const where = res.node ? `node '${res.node}'` : "the target node";
      return new PveConnectionError(`Cannot reach ${where} through the cluster: ${message}`, { ...details, node: res.node });
    }
  }
  if (NOT_FOUND.test(message)) return new PveNotFoundError(message, details);
  if (ALREADY_EXISTS.test(message)) return new PveError(message, "PVE_ERR_ALREADY_EXISTS", details);
  if (LOCK_TIMEOUT.test(message)) return new PveError(message, "PVE_ERR_LOCKED", details);
  return new PveError(message, "PVE_ERR_HTTP", details);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function stringMap(obj: Record<string, unknown>, scrub: (text: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = scrub(typeof v === "string" ? v.trim() : JSON.stringify(v));
  return out;
}
