/**
 * The deadlines of every request in flight, kept with ONE timer armed for the earliest of them: a
 * request costs a Set insert and delete, not an AbortController and a timer of its own (which cost
 * more than the rest of pvekit's per-request work, see bench/RESULTS.md). The timer is unref'd: an
 * open socket, not a pending deadline, keeps a process alive.
 */
export class RequestDeadlines {
  readonly #live = new Set<Deadline>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #armedFor = Number.POSITIVE_INFINITY;

  /** Calls `expire` once `timeoutMs` have passed, unless `done(handle)` comes first. */
  track(timeoutMs: number, expire: () => void): Deadline {
    const d: Deadline = { at: performance.now() + timeoutMs, expire };
    this.#live.add(d);
    if (d.at < this.#armedFor) this.#arm(d.at);
    return d;
  }

  done(d: Deadline): void {
    this.#live.delete(d);
  }

  #arm(at: number): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#armedFor = at;
    this.#timer = setTimeout(() => this.#fire(), Math.max(0, at - performance.now()));
    this.#timer.unref?.();
  }

  #fire(): void {
    this.#timer = undefined;
    this.#armedFor = Number.POSITIVE_INFINITY;
    const now = performance.now();
    let next = Number.POSITIVE_INFINITY;
    for (const d of this.#live) {
      if (d.at <= now) {
        this.#live.delete(d);
        d.expire();
      } else if (d.at < next) next = d.at;
    }
    if (next !== Number.POSITIVE_INFINITY) this.#arm(next);
  }
}

/** One tracked deadline (opaque to callers). */
export interface Deadline {
  readonly at: number;
  readonly expire: () => void;
}

/** The error a sender throws when a request's deadline passed (`isSenderTimeout` recognises it). */
export class DeadlineExceededError extends Error {
  readonly code = "PVEKIT_DEADLINE";
  constructor(readonly timeoutMs: number) {
    super(`the request did not complete within ${timeoutMs} ms`);
    this.name = "DeadlineExceededError";
  }
}
