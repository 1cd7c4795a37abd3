/** A callback due at a moment of virtual time (see {@link VirtualTimers}). */
export interface VirtualTimer {
  readonly at: number;
  /** set by `cancel`: the timer will not fire */
  cancelled: boolean;
}

interface Entry extends VirtualTimer {
  seq: number;
  fire: (at: number) => void;
}

/**
 * Callbacks at moments of virtual time, run in time order (ties in the order they were scheduled) when
 * the simulator looks at the clock. A callback gets its own due time, so what it computes does not
 * depend on when the sweep happened; one it schedules that is already due runs in the same sweep.
 * A binary heap: thousands of running tasks stay cheap.
 */
export class VirtualTimers {
  private heap: Entry[] = [];
  private seq = 0;
  private running = false;

  /** Calls `fire(at)` once virtual time has reached `at`. */
  schedule(at: number, fire: (at: number) => void): VirtualTimer {
    const e: Entry = { at, seq: this.seq++, fire, cancelled: false };
    this.heap.push(e);
    this.up(this.heap.length - 1);
    return e;
  }

  cancel(timer: VirtualTimer | undefined): void {
    if (timer) timer.cancelled = true;
  }

  /** Runs every timer due at or before `now`, in order. Re-entrant calls return at once (the running sweep goes on). */
  runDue(now: number): void {
    if (this.running) return;
    this.running = true;
    try {
      while (this.heap.length > 0 && (this.heap[0] as Entry).at <= now) {
        const e = this.pop();
        if (!e.cancelled) e.fire(e.at);
      }
    } finally {
      this.running = false;
    }
  }

  clear(): void {
    this.heap = [];
  }

  private less(a: Entry, b: Entry): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private pop(): Entry {
    const top = this.heap[0] as Entry;
    const last = this.heap.pop() as Entry;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.down(0);
    }
    return top;
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(h[i] as Entry, h[parent] as Entry)) break;
      [h[i], h[parent]] = [h[parent] as Entry, h[i] as Entry];
      i = parent;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.less(h[l] as Entry, h[m] as Entry)) m = l;
      if (r < h.length && this.less(h[r] as Entry, h[m] as Entry)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m] as Entry, h[i] as Entry];
      i = m;
    }
  }
}
