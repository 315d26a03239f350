import assert from 'node:assert/strict';
import { Agent, request } from 'node:https';
import { after, before, describe, it } from 'node:test';
import { testPki, startTestLab, type TestLab } from '../helpers/lab.js';
import { referenceLab } from '../helpers/platforms.js';
import type { LabPki } from '../../src/lab/index.js';

const WATCHERS = 100;
const WRITES = 300;

/** Load, bounded and on 127.0.0.1 only: 100 watch streams while objects change. */
describe('100 concurrent watchers', () => {
  let lab: TestLab;
  let pki: LabPki;
  let port: number;
  let agent: Agent;
  before(async () => {
    lab = await startTestLab(referenceLab());
    pki = await testPki();
    port = lab.lab.clusters[0]!.port;
    agent = new Agent({ ca: pki.caPem, cert: pki.clientCertPem, key: pki.clientKeyPem, keepAlive: true, maxSockets: 200 });
  });
  after(async () => {
    agent?.destroy();
    await lab?.stop();
  });

  const call = (method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> =>
    new Promise((resolve, reject) => {
      const type = method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
      const req = request({ host: '127.0.0.1', port, path, method, agent, headers: { 'Content-Type': type }, timeout: 10_000 }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, json: text ? JSON.parse(text) : undefined }));
      });
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });

  /** One watch stream; resolves with the events once `until` says it has seen enough (or 20 s pass). */
  function watch(resourceVersion: string, until: (events: Array<{ type: string; rv: number; name: string }>) => boolean) {
    return new Promise<Array<{ type: string; rv: number; name: string }>>((resolve, reject) => {
      const events: Array<{ type: string; rv: number; name: string }> = [];
      const req = request({ host: '127.0.0.1', port, path: `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${resourceVersion}`, agent, timeout: 20_000 }, (res) => {
        let buf = '';
        res.on('data', (chunk) => {
          buf += chunk;
          let i: number;
          while ((i = buf.indexOf('\n')) >= 0) {
            const line = JSON.parse(buf.slice(0, i));
            buf = buf.slice(i + 1);
            events.push({ type: line.type, rv: Number(line.object.metadata.resourceVersion), name: line.object.metadata.name });
          }
          if (until(events)) {
            req.destroy();
            resolve(events);
          }
        });
        res.on('end', () => resolve(events));
      });
      req.on('timeout', () => req.destroy(new Error('watch stuck')));
      req.on('error', (e) => (e.message === 'socket hang up' ? resolve(events) : reject(e)));
      req.end();
    });
  }

  it('delivers every change to every watcher, in order, and a resumed watch misses nothing', async () => {
    const start = (await call('GET', '/api/v1/namespaces/default/configmaps')).json.metadata.resourceVersion as string;
    const streams = Array.from({ length: WATCHERS }, () => watch(start, (ev) => ev.length >= WRITES));
    // each object is created, patched and deleted in order; ten objects change at once
    const lifecycle = async (name: string) => {
      for (const [method, path, body] of [
        ['POST', '/api/v1/namespaces/default/configmaps', { metadata: { name }, data: { n: '0' } }],
        ['PATCH', `/api/v1/namespaces/default/configmaps/${name}`, { data: { n: '1' } }],
        ['DELETE', `/api/v1/namespaces/default/configmaps/${name}`, undefined],
      ] as const) {
        const r = await call(method, path, body);
        assert.ok(r.status < 300, JSON.stringify(r.json));
      }
    };
    for (let i = 0; i < WRITES / 3; i += 10) await Promise.all(Array.from({ length: 10 }, (_, j) => lifecycle(`w-${i + j}`)));
    const all = await Promise.all(streams);
    const expected = all[0]!;
    assert.equal(expected.length, WRITES, 'the first watcher saw every write');
    for (const events of all) {
      assert.deepEqual(events, expected, 'every watcher saw the same events');
      for (let i = 1; i < events.length; i++) assert.ok(events[i]!.rv > events[i - 1]!.rv, 'in revision order');
    }
    assert.deepEqual(expected.filter((e) => e.name === 'w-7').map((e) => e.type), ['ADDED', 'MODIFIED', 'DELETED']);
    // a watch resumed from the middle gets exactly the rest
    const middle = expected[WRITES / 2 - 1]!.rv;
    const resumed = await watch(String(middle), (ev) => ev.length >= WRITES / 2);
    assert.deepEqual(resumed, expected.slice(WRITES / 2));
  });
});
