/**
 * An answer other than 200, as PVE gives it: the message goes into the HTTP reason phrase
 * (PVE's habit), `errors` into the body for parameter problems (400).
 */
export class PveHttpError extends Error {
  override readonly name = "PveHttpError";
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: Record<string, string>,
  ) {
    super(message);
  }
}

/** 500 with PVE's message, the status PVE uses for most failed operations ("VM 100 not running"). */
export const fail = (message: string): PveHttpError => new PveHttpError(500, message);

/** 400 "Parameter verification failed." with an `errors` map, like `raise_param_exc`. */
export const paramError = (errors: Record<string, string>): PveHttpError =>
  new PveHttpError(400, "Parameter verification failed.", errors);

/** 403 naming the path and privilege that were missing. */
export const permissionError = (path: string, privs: readonly string[]): PveHttpError =>
  new PveHttpError(403, `Permission check failed (${path}, ${privs.join("|")})`);
