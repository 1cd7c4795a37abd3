import { Readable } from "node:stream";
import type { Sender, WireRequest, WireResponse } from "./sender";

/** A `fetch`-compatible function (the global one, msw's patched one, or a test double). */
export type FetchLike = (input: string, init: RequestInit & { duplex?: "half" }) => Promise<Response>;

/**
 * Sends through `fetch` instead of undici's pool, e.g. so msw's request interception sees the
 * traffic. TLS options do not apply here: the fetch implementation owns the connection.
 */
export function fetchSender(fetchImpl: FetchLike, limits: { maxResponseBytes?: number } = {}): Sender {
  const max = limits.maxResponseBytes ?? Number.POSITIVE_INFINITY;
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
      return { status: res.status, reason: res.statusText, headers, text: () => boundedText(res, max) };
    },
    close: async () => {},
  };
}

/** The body as text, refusing more than `max` bytes (code PVEKIT_RESPONSE_TOO_LARGE). */
async function boundedText(res: Response, max: number): Promise<string> {
  if (!res.body || !Number.isFinite(max)) return res.text();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      void reader.cancel().catch(() => {});
      throw Object.assign(new Error(`response larger than ${max} bytes`), { code: "PVEKIT_RESPONSE_TOO_LARGE" });
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total).toString("utf8");
}
