import type { StoreEvent } from '../store/log-store.js';
import type { Controller, SimContext } from './kit.js';
import { WorkQueue } from './queue.js';

/**
 * The controllers of one simulated cluster (kube-controller-manager, the scheduler, the kubelets,
 * Cilium's agent and operator): each a level-triggered reconcile over its own queue, fed by the
 * store's events. An event is only a hint which key to look at; reconcile reads the state.
 */
export class ControllerManager {
  private readonly queues = new Map<string, WorkQueue>();
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly ctx: SimContext,
    readonly controllers: Controller[],
  ) {
    for (const c of controllers) {
      this.queues.set(c.name, new WorkQueue((k) => c.reconcile(k), ctx.clock, (key, err) => ctx.log(`controller ${c.name}: ${key}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)));
    }
  }

  start(): void {
    this.unsubscribe = this.ctx.api.store.subscribe((ev) => this.dispatch(ev));
    for (const c of this.controllers) for (const k of c.initial()) this.queues.get(c.name)!.add(k);
  }

  /** Look at a key again (something outside the store changed: the mesh, a remote cluster). */
  enqueue(controller: string, key: string): void {
    this.queues.get(controller)?.add(key);
  }

  stop(): void {
    this.unsubscribe?.();
    for (const q of this.queues.values()) q.stop();
  }

  /** Resolves when no controller has work queued (delayed stages excepted); for tests and benchmarks. */
  async settled(): Promise<void> {
    for (let round = 0; round < 1000; round++) {
      await this.ctx.api.store.flushed();
      await new Promise((r) => setImmediate(r));
      const busy = [...this.queues.values()].filter((q) => !q.idle);
      if (!busy.length) {
        await this.ctx.api.store.flushed();
        await new Promise((r) => setImmediate(r));
        if ([...this.queues.values()].every((q) => q.idle)) return;
        continue;
      }
      await Promise.all(busy.map((q) => q.whenIdle()));
    }
  }

  private dispatch(ev: StoreEvent): void {
    const resource = ev.key.slice(0, ev.key.indexOf('|'));
    for (const c of this.controllers) {
      const keysOf = c.watches[resource];
      if (!keysOf) continue;
      const q = this.queues.get(c.name)!;
      for (const k of keysOf(ev)) q.add(k);
    }
  }
}
