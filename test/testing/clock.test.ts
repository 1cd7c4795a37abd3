import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/testing/clock";

describe("VirtualClock", () => {
  it("moves only through advance() in manual mode", () => {
    let wall = 1_000_000;
    const clock = new VirtualClock({ mode: "manual", startMs: 5_000, wallNow: () => wall });
    wall += 60_000;
    expect(clock.now()).toBe(5_000);
    clock.advance(2_500);
    expect(clock.now()).toBe(7_500);
    expect(clock.nowSeconds()).toBe(7);
  });

  it("follows injected wall time in real-time and scaled modes", () => {
    let wall = 0;
    const real = new VirtualClock({ mode: "real-time", startMs: 0, wallNow: () => wall });
    const fast = new VirtualClock({ mode: "scaled", scale: 10, startMs: 0, wallNow: () => wall });
    wall = 1_000;
    expect(real.now()).toBe(1_000);
    expect(fast.now()).toBe(10_000);
    fast.advance(5);
    expect(fast.now()).toBe(10_005);
  });

  it("is instant by default and tells listeners about advances", () => {
    const clock = new VirtualClock();
    expect(clock.instant).toBe(true);
    const seen: number[] = [];
    clock.onAdvance(() => seen.push(clock.now()));
    clock.advance(10);
    expect(seen).toHaveLength(1);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });
});
