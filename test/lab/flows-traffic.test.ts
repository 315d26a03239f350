import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { batchesOf, runLoad, summarizeLoad, type CurlOutcome } from '../../src/lab/index.js';
import { cli } from '../helpers/cli.js';

describe('lab traffic: a bounded load', () => {
  it('refuses a rate over 1,000/s, a duration over 300 s, and a rate of zero, before it looks for a lab (usage: exit 2)', async () => {
    for (const [args, message] of [
      [['--rate', '1001', '--duration', '10s'], /--rate 1001 is not a whole number from 1 to 1000/],
      [['--rate', '0', '--duration', '10s'], /--rate 0 is not a whole number from 1 to 1000/],
      [['--rate', '10', '--duration', '301s'], /--duration 301s is longer than 300s/],
      [['--rate', '10', '--duration', '6m'], /--duration 6m is longer than 300s/],
      [['--rate', '10', '--duration', 'soon'], /--duration soon is not a duration/],
    ] as const) {
      const r = await cli(['lab', 'traffic', ...args, 'http://rebel-base/']);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
    }
  });

  it("deals each second's requests to the URLs in turn, one batch per URL per second, with seeds of their own", () => {
    const batches = batchesOf({ rate: 5, seconds: 3, urls: ['a', 'b'], seed: 10 });
    assert.deepEqual(
      batches.map((b) => [b.second, b.url, b.count, b.seed]),
      [
        [0, 'a', 3, 10],
        [0, 'b', 2, 11],
        [1, 'a', 3, 12],
        [1, 'b', 2, 13],
        [2, 'a', 3, 14],
        [2, 'b', 2, 15],
      ],
    );
    assert.equal(batches.reduce((n, b) => n + b.count, 0), 15, 'rate × seconds requests in all');
  });

  it('waits for each second and counts the last one whole', async () => {
    let t = 1_000;
    const waits: number[] = [];
    const ok: CurlOutcome = { exitCode: 0, stdout: '', stderr: '', httpStatus: 200, backend: { cluster: 'c1', namespace: 'default', pod: 'p' } };
    const run = await runLoad({ rate: 2, seconds: 3, urls: ['u'], seed: 1 }, async (b) => Array.from({ length: b.count }, () => ok), { now: () => t, sleep: async (ms) => void (waits.push(ms), (t += ms)) });
    assert.deepEqual(waits, [1000, 1000]);
    assert.equal(run.results.length, 6);
    assert.equal(run.elapsedMs, 3000);
  });

  it('sums outcomes by HTTP code or curl exit and by the cluster that answered', () => {
    const answer = (cluster: string, status: number): CurlOutcome => ({ exitCode: 0, stdout: '', stderr: '', httpStatus: status, backend: { cluster, namespace: 'default', pod: 'p' } });
    const timeout: CurlOutcome = { exitCode: 28, stdout: '', stderr: 'curl: (28) …' };
    const s = summarizeLoad(
      [
        { url: 'u', outcome: answer('c1', 200) },
        { url: 'u', outcome: answer('c2', 200) },
        { url: 'u', outcome: answer('c2', 403) },
        { url: 'v', outcome: timeout },
      ],
      ['u', 'v'],
      2000,
    );
    assert.deepEqual([s.requests, s.elapsedSeconds, s.rate], [4, 2, 2]);
    assert.deepEqual(s.outcomes, { 'HTTP 200': 2, 'HTTP 403': 1, 'curl exit 28': 1 });
    assert.deepEqual(s.clusters, { c1: 1, c2: 2, none: 1 });
    assert.deepEqual(s.urls[1], { url: 'v', requests: 1, outcomes: { 'curl exit 28': 1 }, clusters: { none: 1 } });
  });
});
