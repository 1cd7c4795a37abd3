import { deadline } from "../runtime/deadline";
import { PveConnectionError, PveError, PveNotFoundError, PveTimeoutError } from "../runtime/errors";
import type { Sender, WireResponse } from "../runtime/sender";
import { tlsErrorFrom, type TlsOptions } from "../runtime/tls";
import { undiciSender } from "../runtime/undici-sender";

/** Where PVE serves its API schema (outside `/api2/json`; the pve-docs package provides it). */
export const APIDOC_PATH = "/pve-docs/api-viewer/apidoc.js";

export interface DownloadOptions {
  /** TLS settings as for `PveClient` (verified by default). Ignored when `sender` is given. */
  tls?: TlsOptions;
  /** Download deadline (default 120 s: apidoc.js is several MB). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Carries the download instead of a fresh undici pool (tests, or a client's own sender). */
  sender?: Sender;
}

/**
 * GET a schema file over HTTP(S) with the given TLS settings and nothing else: no credentials are
 * ever sent with it (PVE serves apidoc.js without a login). Fails with the runtime's typed errors
 * (connection, TLS, timeout, 404 "pve-docs not installed", other HTTP statuses).
 */
export async function downloadApidoc(url: URL, opts: DownloadOptions = {}): Promise<string> {
  const sender = opts.sender ?? undiciSender(url.origin, opts.tls);
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const limit = deadline(timeoutMs, opts.signal);
  const where = { method: "GET", path: url.pathname };
  let res: WireResponse;
  let text: string;
  try {
    res = await sender.send({
      method: "GET",
      url,
      headers: { Accept: "application/javascript, */*" },
      signal: limit.signal,
      timeoutMs,
    });
    text = await res.text();
  } catch (err) {
    if (opts.signal?.aborted)
      throw new PveError(`GET ${url.href} was aborted`, "PVE_ERR_ABORTED", { ...where, cause: opts.signal.reason });
    if (limit.timedOut)
      throw new PveTimeoutError(`GET ${url.href} timed out after ${timeoutMs} ms`, { ...where, timeoutMs, cause: err });
    const tls = tlsErrorFrom(err, url.host);
    if (tls) throw tls;
    if (err instanceof PveError) throw err;
    const code = (err as { code?: unknown } | null)?.code;
    throw new PveConnectionError(
      `Cannot reach ${url.host} (${typeof code === "string" ? code : String(err)}) on GET ${url.pathname}`,
      {
        ...where,
        cause: err,
      },
    );
  } finally {
    limit.dispose();
    if (!opts.sender) await sender.close();
  }
  if (res.status === 404) {
    throw new PveNotFoundError(`${url.host} does not serve ${url.pathname}${url.pathname === APIDOC_PATH ? " (is the pve-docs package installed on the host?)" : ""}`, {
      ...where,
      status: 404,
      reason: res.reason,
    });
  }
  if (res.status < 200 || res.status >= 300) {
    throw new PveError(`GET ${url.href} failed: HTTP ${res.status} ${res.reason}`.trim(), "PVE_ERR_HTTP", {
      ...where,
      status: res.status,
      reason: res.reason,
    });
  }
  return text;
}

