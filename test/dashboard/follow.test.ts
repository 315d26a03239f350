import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { followObserver, type ObserverStream } from '../../src/dashboard/index.js';
import type { FlowRecord, GetFlowsRequest } from '../../src/observe/index.js';
import { REBEL_1, REBEL_2, tcpFlow, XWING_1 } from './flows.js';

/** A flow of a request at a given time, named by uuid (as Hubble names every flow). */
const at = (uuid: string, time: string, to = REBEL_1): FlowRecord => {
  const r = tcpFlow(XWING_1, to, { direction: 'INGRESS', service: 'rebel-base', point: 'TO_ENDPOINT', time: new Date(time) });
  return { ...r, flow: { ...r.flow, uuid } };
};

/** An Observer whose follow streams are scripted: each connection plays the next list, then ends. */
function scripted(streams: ((req: GetFlowsRequest) => FlowRecord[])[]): ObserverStream & { requests: GetFlowsRequest[] } {
  const requests: GetFlowsRequest[] = [];
  return {
    requests,
    connect: async () => undefined,
    flows: async (req, onFlow, signal) => {
      requests.push(req);
      const next = streams.shift();
      if (!next) return new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve()));
      for (const r of next(req)) onFlow(r);
    },
  };
}

describe('the dashboard following a Hubble Relay', () => {
  it('keeps every flow of a stream, those sharing a time and one a merging relay delivers late, and none twice after a reconnect', async () => {
    const T = '2026-12-02T04:00:00.000Z';
    const LATER = '2026-12-02T04:00:01.000Z';
    const observer = scripted([
      // one request's flows recorded in the same millisecond on two nodes, one node's arriving after a newer one
      () => [at('a', T), at('b', T), at('c', LATER, REBEL_2), at('d', T, REBEL_2)],
      // cilium's `since` keeps flows at that very time: the relay sends c again, with a new one at the same time
      (req) => [at('c', req.since!, REBEL_2), at('e', req.since!), at('f', '2026-12-02T04:00:02.000Z')],
    ]);
    const following = followObserver(observer, () => undefined, 1);
    const deadline = Date.now() + 5000;
    while (following.ring.snapshot().length < 6 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    await following.stop();
    assert.deepEqual(following.ring.snapshot().map((r) => r.flow.uuid).sort(), ['a', 'b', 'c', 'd', 'e', 'f']);
    assert.deepEqual(observer.requests.slice(0, 2).map((r) => [r.number, r.since, r.follow]), [
      ['16383', undefined, true],
      [undefined, '2026-12-02T04:00:01.000000000Z', true],
    ]);
  });
});
