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
    /** answered without a body, as PVE's HTTP layer answers failed authentication */
    readonly bodyless = false,
  ) {
    super(message);
  }
}

/**
 * 401 as pve-http-server's AnyEvent.pm answers a failed authentication: the message as the reason phrase,
 * no body. PVE::HTTPServer::auth_handler (pve-manager) words them: `No ticket` (no credentials, or a
 * ticket still waiting for its second factor), `Authentication failed!` (any ticket or token that does
 * not verify; the detail only goes to pveproxy's log), `Permission denied - invalid csrf token`.
 */
export const authError = (message: "No ticket" | "Authentication failed!" | "Permission denied - invalid csrf token"): PveHttpError =>
  new PveHttpError(401, message, undefined, true);

/** 500 with PVE's message, the status PVE uses for most failed operations ("VM 100 not running"). */
export const fail = (message: string): PveHttpError => new PveHttpError(500, message);

/** 400 "Parameter verification failed." with an `errors` map, like `raise_param_exc`. */
export const paramError = (errors: Record<string, string>): PveHttpError =>
  new PveHttpError(400, "Parameter verification failed.", errors);

/**
 * 403 as PVE::RPCEnvironment words it (pve-access-control): `check` names the first privilege missing
 * (`Permission check failed (/vms/100, VM.PowerMgmt)`), `check_any` all of them joined by `|`.
 */
export const permissionError = (path: string, privs: readonly string[]): PveHttpError =>
  new PveHttpError(403, `Permission check failed (${path}, ${privs.join("|")})`);
