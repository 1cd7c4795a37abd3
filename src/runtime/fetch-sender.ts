import { Readable } from "node:stream";
import type { Sender, WireRequest, WireResponse } from "./sender";

/** A `fetch`-compatible function (the global one, msw's patched one, or a test double). */
export type FetchLike = (input: string, init: RequestInit & { duplex?: "half" }) => Promise<Response>;

/**
 * Sends through `fetch` instead of undici's pool, e.g. so msw's request interception sees the
 * traffic. TLS options do not apply here: the fetch implementation owns the connection.
 */
export function fetchSender(fetchImpl: FetchLike): Sender {
  return {
    async send(req: WireRequest): Promise<WireResponse> {
      const streamed = req.body !== undefined && typeof req.body !== "string";
      const body =
        req.body === undefined || typeof req.body === "string"
          ? req.body
          : (Readable.toWeb(Readable.from(req.body)) as unknown as ReadableStream<Uint8Array>);
      const res = await fetchImpl(req.url.href, {
        method: req.method,
        headers: req.headers,
        body,
        // fetch has no header timeout of its own: a timer signal, joined with the caller's
        signal: req.signal ? AbortSignal.any([req.signal, AbortSignal.timeout(req.timeoutMs)]) : AbortSignal.timeout(req.timeoutMs),
        ...(streamed ? { duplex: "half" as const } : {}),
      });
      const headers: Record<string, string> = {};
      res.headers.forEach((value, key) => {
        headers[key] = value;
      });
      return { status: res.status, reason: res.statusText, headers, text: () => res.text() };
    },
    close: async () => {},
  };
}
