import type { ServerResponse } from 'node:http';
import type { FlowRecord } from '../observe/index.js';
import type { FlowFeed } from './feed.js';
import type { FlowMatcher } from './filter.js';

/** Buffered bytes past which a slow client loses flows instead of growing the server's memory. */
const MAX_BUFFERED = 1 << 20;

/** Each flow's event text, made once however many clients are streaming it. */
const EVENTS = new WeakMap<FlowRecord, string>();
function eventOf(r: FlowRecord): string {
  let text = EVENTS.get(r);
  if (text === undefined) EVENTS.set(r, (text = `data: ${JSON.stringify(r)}\n\n`));
  return text;
}

/**
 * One browser's flow list as server-sent events (WHATWG HTML §9.2): the last `last` matching flows
 * held, then every new one. A client that cannot keep up is told how many it lost, as Hubble's
 * Observer sends a LostEvent (observer.proto) rather than stall the agent.
 */
export function streamFlows(res: ServerResponse, feed: FlowFeed, matches: FlowMatcher, last: number): () => void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', connection: 'keep-alive' });
  res.write('retry: 2000\n\n');
  let lost = 0;
  // flows come in bursts: one write per turn of the event loop, not one per flow
  let pending = '';
  const flush = () => {
    if (pending && !res.destroyed) res.write(pending);
    pending = '';
  };
  const send = (r: FlowRecord) => {
    if (!matches(r)) return;
    if (res.writableLength + pending.length > MAX_BUFFERED) {
      lost++;
      return;
    }
    if (lost) {
      pending += `event: lost\ndata: ${lost}\n\n`;
      lost = 0;
    }
    if (!pending) setImmediate(flush);
    pending += eventOf(r);
  };
  const unsubscribe = feed.subscribe(send);
  if (last > 0) for (const r of feed.snapshot().filter(matches).slice(-last)) send(r);
  // a comment now and then keeps proxies and the browser from closing an idle stream
  const beat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  beat.unref();
  const stop = () => {
    clearInterval(beat);
    unsubscribe();
  };
  res.on('close', stop);
  return stop;
}
