import { performance } from 'node:perf_hooks';

/**
 * Calls `onExpired` once `ms` of waiting has passed, counting only the time this process was
 * free to read an answer. A plain socket timeout measures the caller's own queue too: after a
 * stretch of synchronous work elsewhere in the process (verify decoding 96 Helm releases, a
 * starved CPU), Node runs expired timers before it reads the sockets, so a handshake the peer
 * answered in time is declared "no answer". Here a stall counts as at most one tick, and the
 * verdict waits for the next check phase, after the poll phase has read what arrived.
 * Returns the function that cancels it.
 */
export function answerDeadline(ms: number, onExpired: () => void, tickMs = 100): () => void {
  let waited = 0;
  let last = performance.now();
  let cancelled = false;
  const timer = setInterval(() => {
    const now = performance.now();
    waited += Math.min(now - last, 2 * tickMs);
    last = now;
    if (waited < ms) return;
    clearInterval(timer);
    setImmediate(() => {
      if (!cancelled) onExpired();
    });
  }, tickMs);
  return () => {
    cancelled = true;
    clearInterval(timer);
  };
}
