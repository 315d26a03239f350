import { collectStatus, type StatusRequest } from './collect.js';
import type { StatusDocument } from './document.js';

/** The first thing still wrong, for the waiting line and the timeout message (cilium-cli: "last error"). */
export function firstProblem(doc: StatusDocument): string {
  if (doc.unreachable.length) return `cluster ${doc.unreachable[0]} does not answer`;
  const link = doc.links.find((l) => l.state !== 'connected');
  if (link) return `${link.from} → ${link.to}: ${link.reason ?? link.state}${link.detail ? ` (${link.detail})` : ''}`;
  const c = doc.clusters.find((x) => x.problems.length);
  return c ? `${c.name}: ${c.problems[0]}` : '';
}

/**
 * `status --wait`: collects again until everything is ready and connected, or the deadline
 * passes, and returns the last snapshot either way (cilium-cli `clustermesh status --wait`
 * retries until NotReady == 0 and prints the most recent status on timeout: status/k8s.go
 * mostRecentStatus; utils/wait "timeout while waiting for condition, last error"). A poll, not a
 * watch: what it waits for is the agents' answers through exec, which no watch announces.
 */
export async function waitForStatus(req: StatusRequest, opts: { timeoutMs: number; intervalMs?: number; onWaiting?: (elapsedMs: number, what: string) => void }): Promise<{ doc: StatusDocument; timedOut: boolean }> {
  const started = Date.now();
  const interval = opts.intervalMs ?? 1000;
  for (;;) {
    const doc = await collectStatus(req);
    if (doc.ok) return { doc, timedOut: false };
    const elapsed = Date.now() - started;
    if (elapsed + interval > opts.timeoutMs) return { doc, timedOut: true };
    opts.onWaiting?.(elapsed, firstProblem(doc));
    await new Promise((r) => setTimeout(r, interval));
  }
}
