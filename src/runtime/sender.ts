import type { Readable } from "node:stream";

/** One HTTP exchange as the transport core sees it, independent of how it is carried. */
export interface WireRequest {
  method: string;
  /** absolute URL */
  url: URL;
  headers: Record<string, string>;
  body?: string | Readable | AsyncIterable<Uint8Array>;
  signal: AbortSignal;
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
