import type { Readable } from "node:stream";
import type { Auth } from "./auth/auth";
import type { Clock } from "./clock";
import type { Logger } from "./logger";
import { isResponseTooLarge, isSenderTimeout, type Sender, type WireResponse } from "./sender";
import { formEncode } from "./encode-params";
import { errorFromResponse } from "./error-from-response";
import { PveAuthError, PveConnectionError, PveError, PveTimeoutError, PveTlsError } from "./errors";
import { isSecretName, REDACTED, redactAuthText, type SecretSet } from "./redact";
import { withRetry, type RetryOptions } from "./retry";
import { tlsErrorFrom } from "./tls";

/** PVE's JSON answer: `data` plus siblings such as `total` or `changes`. */
export interface ApiEnvelope {
  data: unknown;
  [sibling: string]: unknown;
}

/** The default limit on a response body: 64 MiB (a 10,000-guest `/cluster/resources` is a few MB). */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** Throws PVE_ERR_CONFIG unless `ms` is a usable timeout: a finite number of milliseconds above 0. */
export function checkTimeout(ms: number, what = "timeoutMs"): void {
  if (typeof ms !== "number" || !Number.isFinite(ms) || ms <= 0) {
    throw new PveError(`${what} must be a positive, finite number of milliseconds (got ${String(ms)})`, "PVE_ERR_CONFIG");
  }
}

export interface TransportConfig {
  /** ends in /api2/json */
  baseUrl: URL;
  sender: Sender;
  auth: Auth;
  timeoutMs: number;
  /** the sender's response size limit, named in the error when it is hit */
  maxResponseBytes: number;
  retry: RetryOptions | false;
  clock: Clock;
  logger: Logger;
  secrets: SecretSet;
}

/** Per-request options. */
export interface SendOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** the path template, for messages (`/nodes/{node}/qemu`) */
  template?: string;
  /** the node the request is about, named in 595/596 errors */
  node?: string;
  /** send without credentials (the login itself) */
  anonymous?: boolean;
  /** a streamed body (upload): sent once, never retried or re-sent after a 401 */
  stream?: { body: Readable | AsyncIterable<Uint8Array>; contentType: string; length?: number };
}

/**
 * The request core: URL and body encoding, auth headers, timeout and abort, decoding,
 * error mapping with redaction, the one re-login after a 401, and GET-only retries.
 */
export class Transport {
  readonly #c: TransportConfig;

  constructor(config: TransportConfig) {
    this.#c = config;
  }

  get baseUrl(): URL {
    return this.#c.baseUrl;
  }

  /** Sends one API request; `path` is concrete and encoded, `pairs` the encoded parameters. */
  async send(method: string, path: string, pairs: readonly [string, string][], opts: SendOptions = {}): Promise<ApiEnvelope> {
    if (opts.timeoutMs !== undefined) checkTimeout(opts.timeoutMs);
    const once = () => this.#withReauth(method, path, pairs, opts);
    if (method !== "GET" || this.#c.retry === false || opts.stream) return once();
    return withRetry(once, this.#c.retry, this.#c.clock, opts.signal, (err, delay) => {
      this.#c.logger.debug?.(`retry ${method} ${path} in ${delay}ms after ${(err as PveError).code ?? "error"}`);
    });
  }

  /**
   * One exchange, and after a 401 to the request itself one re-login and one more try. A failed login
   * (getting the headers) is not retried: a wrong password costs one login attempt, not two.
   */
  async #withReauth(method: string, path: string, pairs: readonly [string, string][], opts: SendOptions): Promise<ApiEnvelope> {
    const authHeaders = opts.anonymous ? {} : await this.#c.auth.headers(method, opts.signal);
    try {
      return await this.#exchange(method, path, pairs, opts, authHeaders);
    } catch (err) {
      const retryable = err instanceof PveAuthError && err.status === 401 && !opts.anonymous && !opts.stream;
      if (!retryable || !(await this.#c.auth.refresh(opts.signal))) throw err;
      this.#c.logger.debug?.(`re-authenticated after 401 on ${method} ${path}`);
      return this.#exchange(method, path, pairs, opts, await this.#c.auth.headers(method, opts.signal));
    }
  }

  async #exchange(
    method: string,
    path: string,
    pairs: readonly [string, string][],
    opts: SendOptions,
    authHeaders: Record<string, string>,
  ): Promise<ApiEnvelope> {
    const c = this.#c;
    const url = new URL(c.baseUrl.href);
    url.pathname = `${c.baseUrl.pathname}${path}`;
    const headers: Record<string, string> = { Accept: "application/json", ...authHeaders };
    let body: string | Readable | AsyncIterable<Uint8Array> | undefined;
    const encoded = pairs.length ? formEncode(pairs) : "";
    if (opts.stream) {
      body = opts.stream.body;
      headers["Content-Type"] = opts.stream.contentType;
      if (opts.stream.length !== undefined) headers["Content-Length"] = String(opts.stream.length);
    } else if (method === "GET" || method === "DELETE") {
      url.search = encoded;
    } else {
      body = encoded;
      headers["Content-Type"] = "application/x-www-form-urlencoded";
    }

    const timeoutMs = opts.timeoutMs ?? c.timeoutMs;

    const where = { method, path: opts.template ?? path };
    const started = c.clock.now();
    let res: WireResponse;
    let text: string;
    try {
      res = await c.sender.send({ method, url, headers, body, timeoutMs, ...(opts.signal ? { signal: opts.signal } : {}) });
      text = await res.text();
    } catch (err) {
      throw this.#networkError(err, where, isSenderTimeout(err), timeoutMs, opts.signal);
    }
    c.logger.debug?.(`${method} ${path} ${res.status} ${Math.round(c.clock.now() - started)}ms`);

    const parsed = parseBody(text);
    if (res.status >= 200 && res.status < 300) {
      if (parsed === INVALID) {
        throw new PveError(`Response to ${method} ${where.path} is not JSON`, "PVE_ERR_RESPONSE", { ...where, status: res.status });
      }
      return isEnvelope(parsed) ? parsed : { data: parsed ?? null };
    }
    // the request's own secret parameters (cipassword=…) may be echoed back in PVE's messages too
    const requestSecrets = pairs.filter(([k, v]) => isSecretName(k) && v.length >= 4).map(([, v]) => v);
    throw errorFromResponse(
      { status: res.status, reason: res.reason, body: parsed === INVALID ? undefined : parsed, ...where, node: opts.node },
      (text) => this.#scrub(text, requestSecrets),
    );
  }

  /** Known secrets, the request's secret parameters and PVE's auth header/cookie patterns out of `text`. */
  #scrub(text: string, extra: readonly string[] = []): string {
    let out = this.#c.secrets.scrub(text);
    for (const secret of extra) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return redactAuthText(out);
  }

  #networkError(
    err: unknown,
    where: { method: string; path: string },
    timedOut: boolean,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): PveError {
    if (signal?.aborted) return new PveError(`${where.method} ${where.path} was aborted`, "PVE_ERR_ABORTED", { ...where, cause: signal.reason });
    if (timedOut) {
      return new PveTimeoutError(`${where.method} ${where.path} timed out after ${timeoutMs} ms`, { ...where, timeoutMs, cause: err });
    }
    if (isResponseTooLarge(err)) {
      return new PveError(
        `The response to ${where.method} ${where.path} is larger than ${this.#c.maxResponseBytes} bytes (maxResponseBytes); raise the limit if that is expected`,
        "PVE_ERR_RESPONSE_TOO_LARGE",
        { ...where, cause: err },
      );
    }
    const host = this.#c.baseUrl.host;
    const tls = tlsErrorFrom(err, host);
    if (tls) return new PveTlsError(this.#scrub(tls.message), { ...where, cause: tls.cause ?? err });
    if (err instanceof PveError) return err;
    const code = (err as { code?: unknown })?.code;
    const detail = typeof code === "string" ? code : err instanceof Error ? err.message : String(err);
    return new PveConnectionError(`Cannot reach ${host} (${this.#scrub(detail)}) on ${where.method} ${where.path}`, { ...where, cause: err });
  }
}

const INVALID = Symbol("invalid");

function parseBody(text: string): unknown {
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return INVALID;
  }
}

function isEnvelope(v: unknown): v is ApiEnvelope {
  return typeof v === "object" && v !== null && !Array.isArray(v) && "data" in v;
}
