import { Readable } from "node:stream";
import { Pool } from "undici";
import type { Sender, WireRequest, WireResponse } from "./sender";
import { tlsConnector, type TlsOptions } from "./tls";

/**
 * The default sender: one keep-alive undici pool per client (a client talks to one origin).
 * Timeouts use undici's own header/body timers per request (no AbortController and timer per request,
 * which cost more than the rest of pvekit's per-request work); the caller's signal is passed when given.
 */
export function undiciSender(origin: string, tls: TlsOptions | undefined): Sender {
  const pool = new Pool(origin, {
    connect: tlsConnector(tls),
    headersTimeout: 0,
    bodyTimeout: 0,
    keepAliveTimeout: 10_000,
  });
  return {
    async send(req: WireRequest): Promise<WireResponse> {
      const res = await pool.request({
        path: `${req.url.pathname}${req.url.search}`,
        method: req.method as "GET",
        headers: req.headers,
        body: req.body === undefined || typeof req.body === "string" || req.body instanceof Readable ? (req.body ?? null) : Readable.from(req.body),
        headersTimeout: req.timeoutMs,
        bodyTimeout: req.timeoutMs,
        ...(req.signal ? { signal: req.signal } : {}),
      });
      return {
        status: res.statusCode,
        reason: res.statusText ?? "",
        headers: res.headers,
        text: () => res.body.text(),
      };
    },
    close: () => pool.close(),
  };
}
