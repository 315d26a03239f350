import type { ServerResponse } from 'node:http';
import type { FlowRecord } from '../observe/index.js';
import type { FlowFeed } from './feed.js';
import { matches, type FlowFilter } from './filter.js';

/** Buffered bytes past which a slow client loses flows instead of growing the server's memory. */
const MAX_BUFFERED = 1 << 20;

/**
 * One browser's flow list as server-sent events (WHATWG HTML §9.2): the last `last` matching flows
 * held, then every new one. A client that cannot keep up is told how many it lost, as Hubble's
 * Observer sends a LostEvent (observer.proto) rather than stall the agent.
 */
export function streamFlows(res: ServerResponse, feed: FlowFeed, filter: FlowFilter, last: number): () => void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', connection: 'keep-alive' });
  res.write('retry: 2000\n\n');
  let lost = 0;
  const send = (r: FlowRecord) => {
    if (!matches(r, filter)) return;
    if (res.writableLength > MAX_BUFFERED) {
      lost++;
      return;
    }
    if (lost) {
      res.write(`event: lost\ndata: ${lost}\n\n`);
      lost = 0;
    }
    res.write(`data: ${JSON.stringify(r)}\n\n`);
  };
  const unsubscribe = feed.subscribe(send);
  if (last > 0) for (const r of feed.snapshot().filter((x) => matches(x, filter)).slice(-last)) send(r);
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
