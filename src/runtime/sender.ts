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
  /** one deadline for the whole exchange: connecting, sending, the headers and the whole body; the sender enforces it */
  timeoutMs: number;
}

/** Error codes a sender throws when `timeoutMs` passed (pvekit's deadline, undici's own timers, fetch's TimeoutError). */
export function isSenderTimeout(err: unknown): boolean {
  const e = err as { code?: unknown; name?: unknown; cause?: { code?: unknown; name?: unknown } } | null;
  const codes = [e?.code, e?.cause?.code];
  const names = [e?.name, e?.cause?.name];
  return (
    codes.includes("PVEKIT_DEADLINE") ||
    codes.includes("UND_ERR_HEADERS_TIMEOUT") ||
    codes.includes("UND_ERR_BODY_TIMEOUT") ||
    codes.includes("UND_ERR_CONNECT_TIMEOUT") ||
    names.includes("TimeoutError")
  );
}

/** Error codes a sender throws when a response is larger than its limit (undici's, and pvekit's fetch sender). */
export function isResponseTooLarge(err: unknown): boolean {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  return [e?.code, e?.cause?.code].some((c) => c === "UND_ERR_RES_EXCEEDED_MAX_SIZE" || c === "PVEKIT_RESPONSE_TOO_LARGE");
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
