/** Time as the runtime sees it; injected in tests so nothing depends on real time. */
export interface Clock {
  /** milliseconds, monotonic enough for deadlines */
  now(): number;
  /** resolves after `ms`, or rejects with the signal's reason when it aborts */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** a number in [0, 1) for jitter */
  random(): number;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => performance.now(),
  random: () => Math.random(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};
