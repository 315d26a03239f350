import type * as K8s from '@kubernetes/client-node';
import type { ClusterClient } from './client.js';

/** One look at the cluster: ready, or what it is still waiting for ("1/2 cilium agents Ready in k8s-cilium-02"). */
export interface Readiness {
  ready: boolean;
  waitingFor: string;
}

/** Raised when a wait's deadline passes: names what was still not ready. */
export class NotReady extends Error {
  constructor(
    readonly cluster: string,
    readonly waitingFor: string,
    readonly afterMs: number,
  ) {
    super(`still ${waitingFor} after ${(afterMs / 1000).toFixed(0)}s`);
    this.name = 'NotReady';
  }
}

// A backstop re-check: client-node 1.4's Watch ends without restarting on errors other than 410
// (src/cache.ts doneHandler) and overwrites its own timeout signal (src/watch.ts), so a watch that
// died quietly must not leave a wait hanging until its deadline (runtime anchors #11).
const BACKSTOP_MS = 1000;

/**
 * Waits until `check` says ready, re-checking whenever one of `paths` changes (a watch per path,
 * restarted when it ends) and at least every second, until one deadline. Never a sleep loop
 * alone: an event wakes the check at once.
 */
export async function waitUntil(c: ClusterClient, paths: readonly string[], check: () => Promise<Readiness>, opts: { deadline: number; startedAt: number; onWaiting?: (what: string) => void }): Promise<void> {
  let first = await check();
  if (first.ready) return;
  opts.onWaiting?.(first.waitingFor);
  let wake: () => void = () => undefined;
  let stopped = false;
  const aborts: AbortController[] = [];
  const k8s: typeof K8s = await import('@kubernetes/client-node');
  const watch = new k8s.Watch(c.kc);
  const start = (path: string): void => {
    if (stopped) return;
    watch
      .watch(path, { allowWatchBookmarks: false }, () => wake(), () => setTimeout(() => start(path), 200).unref())
      .then((ac) => (stopped ? ac.abort() : aborts.push(ac)))
      .catch(() => setTimeout(() => start(path), 500).unref());
  };
  for (const p of paths) start(p);
  try {
    for (;;) {
      const left = opts.deadline - Date.now();
      if (left <= 0) throw new NotReady(c.cluster, first.waitingFor, Date.now() - opts.startedAt);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, BACKSTOP_MS));
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      wake = () => undefined;
      const now = await check();
      if (now.ready) return;
      if (now.waitingFor !== first.waitingFor) opts.onWaiting?.(now.waitingFor);
      first = now;
    }
  } finally {
    stopped = true;
    for (const ac of aborts) ac.abort();
  }
}
