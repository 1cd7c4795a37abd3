/**
 * One request's abort signal: fires when the caller's signal aborts or when `timeoutMs` passes, and
 * remembers which of the two it was (a timeout becomes PveTimeoutError, an abort stays an abort).
 */
export interface Deadline {
  signal: AbortSignal;
  /** true once the timeout (not the caller) aborted the request */
  readonly timedOut: boolean;
  /** Stop the timer and detach from the caller's signal; call in `finally`. */
  dispose(): void;
}

export function deadline(timeoutMs: number, callerSignal?: AbortSignal): Deadline {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error("timeout"));
  }, timeoutMs);
  const onAbort = (): void => controller.abort(callerSignal?.reason);
  if (callerSignal?.aborted) onAbort();
  else callerSignal?.addEventListener("abort", onAbort, { once: true });
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    dispose() {
      clearTimeout(timer);
      callerSignal?.removeEventListener("abort", onAbort);
    },
  };
}
