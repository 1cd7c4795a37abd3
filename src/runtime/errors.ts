import type { ValidationProblem } from "./validate";

/** Stable error codes: match on `error.code` rather than on messages. */
export type PveErrorCode =
  | "PVE_ERR_HTTP"
  | "PVE_ERR_VALIDATION"
  | "PVE_ERR_PARAM"
  | "PVE_ERR_AUTH"
  | "PVE_ERR_PERMISSION"
  | "PVE_ERR_NOT_FOUND"
  | "PVE_ERR_ALREADY_EXISTS"
  | "PVE_ERR_LOCKED"
  | "PVE_ERR_CONNECTION"
  | "PVE_ERR_TIMEOUT"
  | "PVE_ERR_ABORTED"
  | "PVE_ERR_TLS"
  | "PVE_ERR_CONFIG"
  | "PVE_ERR_RESPONSE"
  | "PVE_ERR_RESPONSE_TOO_LARGE"
  | "PVE_ERR_TASK_FAILED"
  | "PVE_ERR_TASK_TIMEOUT";

/** Where an error happened: the HTTP status, verb and path template or URL path. */
export interface PveErrorDetails {
  status?: number;
  method?: string;
  path?: string;
  /** PVE's reason phrase (PVE puts its error message there) */
  reason?: string;
  cause?: unknown;
}

const brand = (name: string): symbol => Symbol.for(`pvekit.error.${name}`);

/**
 * Marks a class with a `Symbol.for` brand so `instanceof` holds across copies of pvekit
 * loaded twice (ESM and CJS, or two versions in one tree).
 */
function branded(instance: unknown, sym: symbol): boolean {
  return typeof instance === "object" && instance !== null && (instance as Record<symbol, unknown>)[sym] === true;
}

const kPveError = brand("PveError");

/** Base class of every pvekit error. */
export class PveError extends Error {
  override name = "PveError";
  readonly code: PveErrorCode;
  readonly status: number | undefined;
  readonly method: string | undefined;
  readonly path: string | undefined;
  readonly reason: string | undefined;

  constructor(message: string, code: PveErrorCode = "PVE_ERR_HTTP", details: PveErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.status = details.status;
    this.method = details.method;
    this.path = details.path;
    this.reason = details.reason;
  }

  get [kPveError](): true {
    return true;
  }

  static override [Symbol.hasInstance](instance: unknown): boolean {
    return branded(instance, kPveError);
  }
}

// Each subclass has its own brand and `instanceof` check, written out so the public
// classes stay plain, documented declarations.
const kValidation = brand("PveValidationError");
/** Client-side: parameters broke the schema; nothing was sent. */
export class PveValidationError extends PveError {
  override name = "PveValidationError";
  /** the first parameter with a problem */
  readonly param: string;
  /** parameter → message (the first problem of each parameter), like PVE's `errors` map */
  readonly errors: Record<string, string>;
  /** every problem, in order */
  readonly problems: readonly ValidationProblem[];

  constructor(problems: readonly ValidationProblem[], details: PveErrorDetails = {}) {
    const list = problems.map((p) => `${p.param}: ${p.message}`).join("; ");
    const where = details.method && details.path ? ` for ${details.method} ${details.path}` : "";
    super(`Invalid parameters${where}: ${list}`, "PVE_ERR_VALIDATION", details);
    this.problems = problems;
    this.param = problems[0]?.param ?? "";
    this.errors = {};
    for (const p of problems) this.errors[p.param] ??= p.message;
  }
  get [kValidation](): true {
    return true;
  }
  static override [Symbol.hasInstance](i: unknown): boolean {
    return branded(i, kValidation);
  }
}

const kParam = brand("PveParamError");
/** Server 400: PVE rejected parameters; `errors` is PVE's map of parameter → message. */
export class PveParamError extends PveError {
  override name = "PveParamError";
  readonly errors: Record<string, string>;
  readonly param: string | undefined;
  constructor(message: string, errors: Record<string, string>, details: PveErrorDetails = {}) {
    super(message, "PVE_ERR_PARAM", details);
    this.errors = errors;
    this.param = Object.keys(errors)[0];
  }
  get [kParam](): true {
    return true;
  }
  static override [Symbol.hasInstance](i: unknown): boolean {
    return branded(i, kParam);
  }
}

const kAuth = brand("PveAuthError");
/** 401, a failed login, or a malformed credential. */
export class PveAuthError extends PveError {
  override name = "PveAuthError";
  constructor(message: string, details: PveErrorDetails = {}) {
    super(message, "PVE_ERR_AUTH", details);
  }
  get [kAuth](): true {
    return true;
  }
  static override [Symbol.hasInstance](i: unknown): boolean {
    return branded(i, kAuth);
  }
}

const kPermission = brand("PvePermissionError");
/** 403: authenticated, but missing a privilege. */
export class PvePermissionError extends PveError {
  override name = "PvePermissionError";
  constructor(message: string, details: PveErrorDetails = {}) {
    super(message, "PVE_ERR_PERMISSION", details);
  }
  get [kPermission](): true {
    return true;
  }
  static override [Symbol.hasInstance](i: unknown): boolean {
    return branded(i, kPermission);
  }
}

const kNotFound = brand("PveNotFoundError");
/** 404, or PVE's 500 "does not exist" / "no such …". */
export class PveNotFoundError extends PveError {
  override name = "PveNotFoundError";
  constructor(message: string, details: PveErrorDetails = {}) {
    super(message, "PVE_ERR_NOT_FOUND", details);
  }
  get [kNotFound](): true {
    return true;
  }
  static override [Symbol.hasInstance](i: unknown): boolean {
    return branded(i, kNotFound);
  }
}

const kConnection = brand("PveConnectionError");
/** The network failed, or PVE could not reach a cluster node (595/596; `node` names it when known). */
export class PveConnectionError extends PveError {
  override name = "PveConnectionError";
  readonly node: string | undefined;
  constructor(message: string, details: PveErrorDetails & { node?: string } = {}) {
    super(message, "PVE_ERR_CONNECTION", details);
    this.node = details.node;
  }
  get [kConnection](): true {
    return true;
  }
  static override [Symbol.hasInstance](i: unknown): boolean {
    return branded(i, kConnection);
  }
}

const kTimeout = brand("PveTimeoutError");
/** A request took longer than its `timeoutMs`. */
export class PveTimeoutError extends PveError {
  override name = "PveTimeoutError";
  readonly timeoutMs: number | undefined;
  constructor(message: string, details: PveErrorDetails & { timeoutMs?: number } = {}) {
    super(message, "PVE_ERR_TIMEOUT", details);
    this.timeoutMs = details.timeoutMs;
  }
  get [kTimeout](): true {
    return true;
  }
  static override [Symbol.hasInstance](i: unknown): boolean {
    return branded(i, kTimeout);
  }
}

const kTls = brand("PveTlsError");
/** The server's certificate was refused (untrusted, wrong name, or not the pinned fingerprint). */
export class PveTlsError extends PveError {
  override name = "PveTlsError";
  constructor(message: string, details: PveErrorDetails = {}) {
    super(message, "PVE_ERR_TLS", details);
  }
  get [kTls](): true {
    return true;
  }
  static override [Symbol.hasInstance](i: unknown): boolean {
    return branded(i, kTls);
  }
}

const kTaskFailed = brand("TaskFailedError");
/** A task ended with an exit status other than OK or `WARNINGS: n`. */
export class TaskFailedError extends PveError {
  override name = "TaskFailedError";
  readonly upid: string;
  readonly exitstatus: string;
  /** the last lines of the task log */
  readonly logTail: readonly string[];
  constructor(upid: string, exitstatus: string, logTail: readonly string[]) {
    const tail = logTail.length ? `\n${logTail.slice(-5).join("\n")}` : "";
    super(`Task ${upid} failed: ${exitstatus}${tail}`, "PVE_ERR_TASK_FAILED", { reason: exitstatus });
    this.upid = upid;
    this.exitstatus = exitstatus;
    this.logTail = logTail;
  }
  get [kTaskFailed](): true {
    return true;
  }
  static override [Symbol.hasInstance](i: unknown): boolean {
    return branded(i, kTaskFailed);
  }
}

const kTaskTimeout = brand("TaskTimeoutError");
/** `tasks.wait` gave up before the task ended (the task itself keeps running). */
export class TaskTimeoutError extends PveError {
  override name = "TaskTimeoutError";
  readonly upid: string;
  readonly timeoutMs: number;
  constructor(upid: string, timeoutMs: number) {
    super(`Task ${upid} did not finish within ${timeoutMs} ms (it may still be running)`, "PVE_ERR_TASK_TIMEOUT");
    this.upid = upid;
    this.timeoutMs = timeoutMs;
  }
  get [kTaskTimeout](): true {
    return true;
  }
  static override [Symbol.hasInstance](i: unknown): boolean {
    return branded(i, kTaskTimeout);
  }
}
