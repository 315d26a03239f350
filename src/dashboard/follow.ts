import type { FlowRecord, GetFlowsRequest } from '../observe/index.js';
import { FlowRing } from '../observe/index.js';

/** What the dashboard needs of an Observer client (observe's ObserverClient). */
export interface ObserverStream {
  connect(timeoutMs?: number): Promise<void>;
  flows(req: GetFlowsRequest, onFlow: (record: FlowRecord) => void, signal?: AbortSignal): Promise<void>;
}

export interface Following {
  ring: FlowRing;
  /** Ends the stream; resolves when it has ended. */
  stop(): Promise<void>;
}

/** How many held flows the first request asks for: one node's ring (Cilium's default capacity). */
const BACKLOG = 16383;

/**
 * A local ring filled from an Observer's GetFlows follow stream (hubble-relay's, or the lab's):
 * the flows it holds first, then each new one. When the stream breaks (the relay restarts, the
 * lab goes down) it reconnects every `retryMs`, asking for flows since the newest one it has.
 * Cilium's `since` keeps flows at that very time (pkg/hubble/observer local_observer.go skips only
 * those before it), so the flows it already holds at that time are known by uuid and not counted
 * twice. Within a stream every flow is kept: many share a time, and a relay merging several nodes
 * may deliver one slightly older than the last. `onState` says when it is connected and when not.
 */
export function followObserver(client: ObserverStream, onState: (state: 'connected' | { down: string }) => void, retryMs = 2000): Following {
  const ring = new FlowRing();
  const abort = new AbortController();
  let last: string | undefined;
  let atLast = new Set<string>();
  const keep = (r: FlowRecord) => {
    ring.record(r);
    if (!last || r.time > last) [last, atLast] = [r.time, new Set([r.flow.uuid ?? ''])];
    else if (r.time === last) atLast.add(r.flow.uuid ?? '');
  };
  const run = async () => {
    while (!abort.signal.aborted) {
      try {
        await client.connect(5000);
        onState('connected');
        const since = last;
        const held = new Set(atLast);
        const req: GetFlowsRequest = since ? { since, follow: true } : { number: String(BACKLOG), follow: true };
        await client.flows(
          req,
          (r) => {
            if (since && (r.time < since || (r.time === since && held.has(r.flow.uuid ?? '')))) return;
            keep(r);
          },
          abort.signal,
        );
        if (!abort.signal.aborted) onState({ down: 'the relay ended the stream' });
      } catch (err) {
        if (!abort.signal.aborted) onState({ down: (err as Error).message });
      }
      if (!abort.signal.aborted) await pause(retryMs, abort.signal);
    }
  };
  const done = run();
  return {
    ring,
    stop: async () => {
      abort.abort();
      await done;
    },
  };
}

/** Waits `ms` without keeping the process alive, and ends at once when `signal` aborts (stop() does not wait out a retry). */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms).unref();
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}
