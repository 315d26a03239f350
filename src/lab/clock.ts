/**
 * Time for the lab's controllers, injected (kwok's `conf.Clock`): the real clock in the lab
 * process, a manual one in tests so that a lifecycle with delays runs instantly and in order.
 */
export interface Clock {
  now(): number;
  /** Runs `fn` after `ms`; the returned function cancels it. */
  after(ms: number, fn: () => void): () => void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  after(ms, fn) {
    if (ms <= 0) {
      const h = setImmediate(fn);
      return () => clearImmediate(h);
    }
    const h = setTimeout(fn, ms);
    return () => clearTimeout(h);
  },
};

/** A clock that only moves when told: `advance(ms)` runs, in time order, what fell due. */
export class ManualClock implements Clock {
  private t: number;
  private timers: Array<{ at: number; seq: number; fn: () => void }> = [];
  private seq = 0;

  constructor(start = Date.parse('2025-03-01T12:00:00Z')) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  after(ms: number, fn: () => void): () => void {
    if (ms <= 0) {
      const h = setImmediate(fn);
      return () => clearImmediate(h);
    }
    const timer = { at: this.t + ms, seq: this.seq++, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((x) => x !== timer);
    };
  }

  /** Timers waiting. */
  get pending(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing due timers one by one (each may schedule more). */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.t = next.at;
      next.fn();
    }
    this.t = end;
  }
}
