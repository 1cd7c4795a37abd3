import { Readable } from "node:stream";
import { Pool, poolRequest } from "./undici-parts";
import { DeadlineExceededError, RequestDeadlines } from "./request-deadlines";
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
 * the headers and the whole body — kept by a single timer for all requests in flight (RequestDeadlines).
 * At the deadline the answer's body is destroyed, or, before the headers came, the call fails at once
 * while undici's own header timer (and the connector's timeout) end the exchange underneath: no
 * AbortController, signal or timer per request (see bench/RESULTS.md for what those cost).
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
        let body: { destroy(err?: Error): unknown } | undefined;
        let expired = false;
        const deadline = deadlines.track(req.timeoutMs, () => {
          expired = true;
          const err = new DeadlineExceededError(req.timeoutMs);
          if (body) body.destroy(err);
          else reject(err);
        });
        poolRequest(
          pool,
          {
            path: `${req.url.pathname}${req.url.search}`,
            method: req.method as "GET",
            headers: req.headers,
            body:
              req.body === undefined || typeof req.body === "string" || req.body instanceof Readable ? (req.body ?? null) : Readable.from(req.body),
            // ends the exchange underneath when the headers never come (the call itself fails at the deadline)
            headersTimeout: req.timeoutMs,
            ...(req.signal ? { signal: req.signal } : {}),
          },
          (err, data) => {
            if (err) {
              deadlines.done(deadline);
              reject(err);
              return;
            }
            if (expired) {
              data.body.destroy();
              return;
            }
            body = data.body;
            resolve({
              status: data.statusCode,
              reason: data.statusText ?? "",
              headers: data.headers,
              // the deadline stays armed until the body is read: a slow drip cannot outlast it
              text: () =>
                data.body.text().then(
                  (text) => {
                    deadlines.done(deadline);
                    return text;
                  },
                  (e: unknown) => {
                    deadlines.done(deadline);
                    throw e;
                  },
                ),
            });
          },
        );
      });
    },
    close: () => pool.close(),
  };
}
