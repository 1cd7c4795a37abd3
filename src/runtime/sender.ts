import type { Readable } from "node:stream";

/** One HTTP exchange as the transport core sees it, independent of how it is carried. */
export interface WireRequest {
  method: string;
  /** absolute URL */
  url: URL;
  headers: Record<string, string>;
  body?: string | Readable | AsyncIterable<Uint8Array>;
  /** the caller's abort signal, if any (none is created per request: that alone cost ~25 µs) */
  signal?: AbortSignal;
  /** how long to wait for the answer's headers, and then between body chunks; the sender enforces it */
  timeoutMs: number;
}

/** Error codes a sender throws when `timeoutMs` passed (undici's own, and fetch's TimeoutError). */
export function isSenderTimeout(err: unknown): boolean {
  const e = err as { code?: unknown; name?: unknown; cause?: { code?: unknown; name?: unknown } } | null;
  const codes = [e?.code, e?.cause?.code];
  const names = [e?.name, e?.cause?.name];
  return codes.includes("UND_ERR_HEADERS_TIMEOUT") || codes.includes("UND_ERR_BODY_TIMEOUT") || names.includes("TimeoutError");
}

export interface WireResponse {
  status: number;
  /** the HTTP reason phrase (PVE's error message) */
  reason: string;
  headers: Record<string, string | string[] | undefined>;
  text(): Promise<string>;
}

/** Carries requests: undici (default) or an injected `fetch` (msw, tests, other runtimes). */
export interface Sender {
  send(req: WireRequest): Promise<WireResponse>;
  close(): Promise<void>;
}
