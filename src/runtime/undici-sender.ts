import { Readable } from "node:stream";
import { Pool } from "undici";
import { DeadlineExceededError, RequestAbort, RequestDeadlines } from "./request-deadlines";
import type { Sender, WireRequest, WireResponse } from "./sender";
import { tlsConnector, type TlsOptions } from "./tls";

/** Limits of one undici sender. */
export interface UndiciSenderLimits {
  /** bound for opening a connection (TCP and TLS handshake); the request deadline bounds it too */
  connectTimeoutMs?: number;
  /** largest response body accepted, in bytes (`Infinity`: no limit) */
  maxResponseBytes?: number;
}

/**
 * The default sender: one keep-alive undici pool per client (a client talks to one origin).
 * `timeoutMs` is one deadline for the whole request — waiting for a connection, connecting, sending,
 * the headers and the whole body — kept by a single timer for all requests in flight (RequestDeadlines)
 * and enforced through a light abort object, not an AbortController and a timer per request.
 */
export function undiciSender(origin: string, tls: TlsOptions | undefined, limits: UndiciSenderLimits = {}): Sender {
  const max = limits.maxResponseBytes;
  const pool = new Pool(origin, {
    connect: tlsConnector(tls, limits.connectTimeoutMs),
    headersTimeout: 0,
    bodyTimeout: 0,
    keepAliveTimeout: 10_000,
    ...(max !== undefined ? { maxResponseSize: Number.isFinite(max) ? max : -1 } : {}),
  });
  const deadlines = new RequestDeadlines();
  return {
    send(req: WireRequest): Promise<WireResponse> {
      return new Promise<WireResponse>((resolve, reject) => {
        const abort = new RequestAbort();
        const deadline = deadlines.track(req.timeoutMs, () => abort.abort(new DeadlineExceededError(req.timeoutMs)));
        const caller = req.signal;
        const onCaller = (): void => abort.abort(caller?.reason);
        if (caller?.aborted) onCaller();
        else caller?.addEventListener("abort", onCaller, { once: true });
        const finish = (): void => {
          deadlines.done(deadline);
          caller?.removeEventListener("abort", onCaller);
        };
        // settles at the deadline even while undici still waits for a connection that never comes
        abort.onAbort = (reason) => {
          finish();
          reject(reason);
        };
        pool.request(
          {
            path: `${req.url.pathname}${req.url.search}`,
            method: req.method as "GET",
            headers: req.headers,
            body:
              req.body === undefined || typeof req.body === "string" || req.body instanceof Readable ? (req.body ?? null) : Readable.from(req.body),
            signal: abort,
          },
          (err, data) => {
            if (err) {
              finish();
              reject(err);
              return;
            }
            if (abort.aborted) {
              data.body.destroy();
              return;
            }
            resolve({
              status: data.statusCode,
              reason: data.statusText ?? "",
              headers: data.headers,
              // the deadline stays armed until the body is read: a slow drip cannot outlast it
              text: () => data.body.text().finally(finish),
            });
          },
        );
      });
    },
    close: () => pool.close(),
  };
}
