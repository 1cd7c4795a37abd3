import type { Clock } from "../../../src/runtime/clock";

/** A virtual clock: `sleep` advances time at once and records the delay, so no test waits. */
export interface FakeClock extends Clock {
  advance(ms: number): void;
  readonly sleeps: number[];
}

export function fakeClock(start = 1_000_000): FakeClock {
  let now = start;
  const sleeps: number[] = [];
  return {
    now: () => now,
    random: () => 0.5,
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(ms);
      now += ms;
    },
    advance: (ms) => {
      now += ms;
    },
    sleeps,
  };
}
