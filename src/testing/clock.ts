/**
 * The simulator's virtual clock. Task durations, ticket lifetimes and TOTP codes all read
 * this clock, so tests move time explicitly (`advance`) instead of waiting.
 */

/** How virtual time relates to wall time. */
export type ClockMode =
  /** time moves only through `advance()`; tasks take their simulated durations */
  | "manual"
  /** like manual, but tasks finish the moment they start */
  | "instant"
  /** virtual time follows wall time */
  | "real-time"
  /** virtual time runs `scale` times faster than wall time */
  | "scaled";

export interface ClockOptions {
  mode?: ClockMode;
  /** factor for "scaled" mode (default 10) */
  scale?: number;
  /** virtual time at creation, ms since epoch (default: wall time) */
  startMs?: number;
  /** wall-clock source, injectable for tests (default Date.now) */
  wallNow?: () => number;
}

export class VirtualClock {
  readonly mode: ClockMode;
  readonly scale: number;
  private readonly wallNow: () => number;
  private readonly wallStart: number;
  private readonly virtualStart: number;
  private offset = 0;
  private readonly listeners = new Set<() => void>();

  constructor(opts: ClockOptions = {}) {
    this.mode = opts.mode ?? "instant";
    this.scale = this.mode === "scaled" ? (opts.scale ?? 10) : this.mode === "real-time" ? 1 : 0;
    if (!(this.scale >= 0) || !Number.isFinite(this.scale)) throw new RangeError(`clock scale must be a finite number >= 0, got ${opts.scale}`);
    this.wallNow = opts.wallNow ?? Date.now;
    this.wallStart = this.wallNow();
    this.virtualStart = opts.startMs ?? this.wallStart;
  }

  /** Current virtual time in ms since epoch. */
  now(): number {
    return this.virtualStart + (this.wallNow() - this.wallStart) * this.scale + this.offset;
  }

  /** Current virtual time in whole seconds (what PVE puts into UPIDs and task lists). */
  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  /** Whether simulated work completes immediately. */
  get instant(): boolean {
    return this.mode === "instant";
  }

  /** Moves virtual time forward by `ms` and lets due tasks finish. Works in every mode. */
  advance(ms: number): void {
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`clock.advance needs a finite number of ms >= 0, got ${ms}`);
    this.offset += ms;
    for (const fn of this.listeners) fn();
  }

  /** Called after every `advance` (the task table uses it to finish due tasks). */
  onAdvance(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}
