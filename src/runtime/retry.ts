import type { Clock } from "./clock";
import { PveConnectionError, PveError } from "./errors";

/** How GET requests are retried. POST/PUT/DELETE are never re-sent automatically. */
export interface RetryOptions {
  /** retries after the first attempt (default 2; 0 turns retrying off) */
  retries?: number;
  /** first backoff step in ms (default 250) */
  minDelayMs?: number;
  /** largest backoff step in ms (default 5000) */
  maxDelayMs?: number;
  /** no retry starts after this much time since the first attempt (default 30000 ms) */
  maxElapsedMs?: number;
}

const RETRY_STATUS = new Set([502, 503, 504]);

/**
 * Whether a failed GET may be tried again: connection errors (including PVE's 595/596 when a
 * node is unreachable), 502/503/504, and PVE's lock timeouts ("got timeout").
 */
export function isRetryable(err: unknown): boolean {
  if (err instanceof PveConnectionError) return true;
  if (!(err instanceof PveError)) return false;
  if (err.status !== undefined && RETRY_STATUS.has(err.status)) return true;
  return err.code === "PVE_ERR_LOCKED";
}

/** Exponential backoff with jitter: half fixed, half random, so retries from many clients spread out. */
export function backoffDelay(attempt: number, opts: RetryOptions, random: number): number {
  const min = opts.minDelayMs ?? 250;
  const max = opts.maxDelayMs ?? 5000;
  const step = Math.min(max, min * 2 ** attempt);
  return Math.round(step / 2 + (random * step) / 2);
}

/**
 * Runs `attempt` and retries it while `isRetryable` says so, within the retry count and the
 * overall deadline. Only for idempotent requests: the caller decides that.
 */
export async function withRetry<T>(
  attempt: () => Promise<T>,
  opts: RetryOptions,
  clock: Clock,
  signal?: AbortSignal,
  onRetry?: (err: unknown, delayMs: number) => void,
): Promise<T> {
  const retries = Math.max(0, opts.retries ?? 2);
  const deadline = clock.now() + (opts.maxElapsedMs ?? 30_000);
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (n >= retries || !isRetryable(err) || signal?.aborted) throw err;
      const delay = backoffDelay(n, opts, clock.random());
      if (clock.now() + delay > deadline) throw err;
      onRetry?.(err, delay);
      await clock.sleep(delay, signal);
    }
  }
}
