import { describe, expect, test } from "vitest";
import { VirtualTimers } from "../../src/testing/virtual-timers";

describe("VirtualTimers", () => {
  test("fires due timers in time order, ties in the order scheduled, each with its own due time", () => {
    const timers = new VirtualTimers();
    const seen: string[] = [];
    for (const [at, name] of [[30, "c"], [10, "a"], [20, "b1"], [20, "b2"], [50, "late"]] as const) timers.schedule(at, (t) => seen.push(`${name}@${t}`));
    timers.runDue(40);
    expect(seen).toEqual(["a@10", "b1@20", "b2@20", "c@30"]);
    timers.runDue(50);
    expect(seen.at(-1)).toBe("late@50");
  });

  test("a timer scheduled by a firing one runs in the same sweep when due; cancelled ones never fire", () => {
    const timers = new VirtualTimers();
    const seen: number[] = [];
    const never = timers.schedule(15, () => seen.push(-1));
    timers.schedule(10, (t) => {
      seen.push(t);
      timers.schedule(t + 2, (u) => seen.push(u));
      timers.runDue(1000); // re-entrant: the running sweep goes on in order
    });
    timers.cancel(never);
    timers.runDue(12);
    expect(seen).toEqual([10, 12]);
    timers.runDue(100);
    expect(seen).toEqual([10, 12]);
  });

  test("stays ordered with many timers", () => {
    const timers = new VirtualTimers();
    const seen: number[] = [];
    const times = Array.from({ length: 500 }, (_, i) => (i * 7919) % 1000);
    for (const t of times) timers.schedule(t, (at) => seen.push(at));
    timers.runDue(1000);
    expect(seen).toEqual([...times].sort((a, b) => a - b));
  });
});
