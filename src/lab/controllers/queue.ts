import type { Clock } from '../clock.js';

export interface ReconcileResult {
  /** Look at this key again after this long (a lifecycle stage still to come). */
  requeueAfterMs?: number;
}

export type Reconcile = (key: string) => Promise<ReconcileResult | void>;

/**
 * A de-duplicating work queue (client-go util/workqueue Typed.Add/Get/Done): a key added while
 * queued is coalesced; one added while it is being reconciled runs again afterwards. Keys are
 * reconciled one at a time per queue, in the order they became dirty. Delayed work is keyed:
 * a newer `addAfter` for the same key replaces the older one (kwok stage_controller addStageJob).
 * A failing key is retried with per-key exponential backoff (controller-runtime reconcileHandler).
 */
export class WorkQueue {
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly again = new Set<string>();
  private readonly delayed = new Map<string, () => void>();
  private readonly failures = new Map<string, number>();
  private running = false;
  private scheduled = false;
  private stopped = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly reconcile: Reconcile,
    private readonly clock: Clock,
    private readonly onError: (key: string, err: unknown) => void = () => undefined,
  ) {}

  add(key: string): void {
    if (this.stopped) return;
    const cancel = this.delayed.get(key);
    if (cancel) {
      cancel();
      this.delayed.delete(key);
    }
    if (this.processing.has(key)) {
      this.again.add(key);
      return;
    }
    this.dirty.add(key);
    this.kick();
  }

  addAfter(key: string, ms: number): void {
    if (this.stopped) return;
    if (ms <= 0) return this.add(key);
    this.delayed.get(key)?.();
    this.delayed.set(
      key,
      this.clock.after(ms, () => {
        this.delayed.delete(key);
        this.add(key);
      }),
    );
  }

  /** Nothing queued, nothing running (delayed keys do not count). */
  get idle(): boolean {
    return !this.running && this.dirty.size === 0 && this.again.size === 0;
  }

  /** Resolves once the queue is idle. */
  whenIdle(): Promise<void> {
    if (this.idle) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    for (const cancel of this.delayed.values()) cancel();
    this.delayed.clear();
    this.dirty.clear();
  }

  private kick(): void {
    if (this.running || this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.dirty.size && !this.stopped) {
        const key = this.dirty.values().next().value as string;
        this.dirty.delete(key);
        this.processing.add(key);
        try {
          const r = await this.reconcile(key);
          this.failures.delete(key);
          if (r?.requeueAfterMs !== undefined) this.addAfter(key, r.requeueAfterMs);
        } catch (err) {
          const n = (this.failures.get(key) ?? 0) + 1;
          this.failures.set(key, n);
          this.onError(key, err);
          if (n < 12) this.addAfter(key, Math.min(5_000, 5 * 2 ** n));
        } finally {
          this.processing.delete(key);
          if (this.again.delete(key)) this.dirty.add(key);
        }
      }
    } finally {
      this.running = false;
    }
    if (this.idle) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }
}
