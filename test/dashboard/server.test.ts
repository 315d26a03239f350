import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { sharedFor, SourceError, startDashboard, type Dashboard, type DashboardSources } from '../../src/dashboard/index.js';
import { FlowRing, type FlowRecord } from '../../src/observe/index.js';
import { DEATHSTAR, REBEL_1, REBEL_2, serviceRequest, tcpFlow, XWING_1, XWING_STARWARS } from './flows.js';

/** Sources that answer with fixed documents: this file is about the server, not about what it serves. */
const SOURCES: DashboardSources = {
  status: async () => ({ kind: 'MeshStatus' }),
  plan: () => ({ kind: 'Plan' }),
  policyMatrix: () => ({ kind: 'PolicyMatrix' }),
  policyExplain: (from) => {
    if (from === 'nobody') throw new SourceError('no pod or workload nobody', 400, 'names are [CLUSTER/]NAMESPACE/NAME');
    return { data: { kind: 'PolicyExplanation' }, text: 'VERDICT   allowed' };
  },
  lastVerify: () => undefined,
};

interface Answer {
  status: number;
  body: string;
  type?: string;
}

/** A GET with the Host header given verbatim (what a browser sends for the name it resolved). */
function get(port: number, path: string, host: string, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body, ...(res.headers['content-type'] ? { type: res.headers['content-type'] } : {}) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Server-sent events from /api/flows until `count` flows arrived (or the deadline). */
function events(port: number, query: string, count: number, ms = 5000): { flows: Promise<FlowRecord[]>; opened: Promise<void> } {
  let opened!: () => void;
  const openedP = new Promise<void>((r) => (opened = r));
  const flows = new Promise<FlowRecord[]>((resolve, reject) => {
    const got: FlowRecord[] = [];
    const req = request({ host: '127.0.0.1', port, path: `/api/flows?${query}`, headers: { host: `127.0.0.1:${port}` } }, (res) => {
      assert.equal(res.headers['content-type'], 'text/event-stream; charset=utf-8');
      opened();
      let buf = '';
      res.on('data', (d: Buffer) => {
        buf += d.toString();
        let end: number;
        while ((end = buf.indexOf('\n\n')) >= 0) {
          const event = buf.slice(0, end);
          buf = buf.slice(end + 2);
          const data = event.split('\n').find((l) => l.startsWith('data: '));
          if (data && !event.includes('event: ')) got.push(JSON.parse(data.slice(6)) as FlowRecord);
        }
        if (got.length >= count) {
          clearTimeout(timer);
          req.destroy();
          resolve(got);
        }
      });
    });
    const timer = setTimeout(() => {
      req.destroy();
      resolve(got);
    }, ms);
    req.on('error', (err) => (got.length >= count ? undefined : reject(err)));
    req.end();
  });
  return { flows, opened: openedP };
}

describe('dashboard server', () => {
  let dashboard: Dashboard;
  let ring: FlowRing;
  before(async () => {
    ring = new FlowRing();
    dashboard = await startDashboard({ port: 0, sources: SOURCES, flows: ring });
  });
  after(() => dashboard.close());

  it('listens on 127.0.0.1 only and says so in its URL', async () => {
    assert.equal(dashboard.url, `http://127.0.0.1:${dashboard.port}/`);
    // every other address of this machine refuses the port: the page is not on the network
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && a.address !== '127.0.0.1')
      .map((a) => a!.address);
    for (const address of ['::1', ...others]) {
      const refused = await new Promise<boolean>((resolve) => {
        const s = connect({ host: address, port: dashboard.port });
        s.on('connect', () => {
          s.destroy();
          resolve(false);
        });
        s.on('error', () => resolve(true));
      });
      assert.ok(refused, `${address}:${dashboard.port} answered`);
    }
  });

  it('serves its own address and localhost by name, with the port', async () => {
    for (const host of [`127.0.0.1:${dashboard.port}`, `localhost:${dashboard.port}`, `LOCALHOST:${dashboard.port}`]) {
      const r = await get(dashboard.port, '/api/plan', host);
      assert.equal(r.status, 200, host);
      assert.deepEqual(JSON.parse(r.body), { kind: 'Plan' });
    }
  });

  it('refuses any other Host with 403, as kubectl proxy refuses hosts outside --accept-hosts (DNS rebinding)', async () => {
    for (const host of [`evil.example:${dashboard.port}`, `127.0.0.1.nip.io:${dashboard.port}`, 'localhost', `localhost:${dashboard.port + 1}`, `[::1]:${dashboard.port}`, `attacker.test`]) {
      for (const path of ['/', '/api/status', '/api/flows']) {
        const r = await get(dashboard.port, path, host);
        assert.equal(r.status, 403, `${host} ${path}`);
        assert.doesNotMatch(r.body, /MeshStatus|<html/);
      }
    }
  });

  it('refuses a request without a Host header (HTTP/1.0)', async () => {
    const reply = await new Promise<string>((resolve) => {
      const s = connect({ host: '127.0.0.1', port: dashboard.port }, () => s.write('GET /api/status HTTP/1.0\r\n\r\n'));
      let text = '';
      s.on('data', (d: Buffer) => (text += d.toString()));
      s.on('end', () => resolve(text));
    });
    assert.match(reply, /^HTTP\/1\.1 403 /);
  });

  it('only reads: other methods are 405', async () => {
    const r = await get(dashboard.port, '/api/status', `127.0.0.1:${dashboard.port}`, 'POST');
    assert.equal(r.status, 405);
  });

  it('answers a peer that does not exist with 400 and the hint, and the explain text on request', async () => {
    const bad = await get(dashboard.port, '/api/policy/explain?from=nobody&to=x&port=80', `127.0.0.1:${dashboard.port}`);
    assert.equal(bad.status, 400);
    assert.deepEqual(JSON.parse(bad.body), { error: 'no pod or workload nobody', hint: 'names are [CLUSTER/]NAMESPACE/NAME' });
    const text = await get(dashboard.port, '/api/policy/explain?from=a&to=b&port=80&output=table', `127.0.0.1:${dashboard.port}`);
    assert.equal(text.body, 'VERDICT   allowed\n');
    assert.equal((await get(dashboard.port, '/api/verify', `127.0.0.1:${dashboard.port}`)).status, 404);
  });

  it('streams flows as server-sent events: the held ones matching the filter, then new ones live', async () => {
    ring.record(tcpFlow(XWING_STARWARS, DEATHSTAR, { direction: 'INGRESS', verdict: 'DROPPED' }));
    ring.record(serviceRequest(XWING_1, REBEL_1, 'rebel-base')[0]!);
    const stream = events(dashboard.port, 'verdict=DROPPED&namespace=default&last=10', 2);
    await stream.opened;
    ring.record(tcpFlow(XWING_1, REBEL_2, { direction: 'EGRESS', service: 'rebel-base' }));
    const live = tcpFlow(XWING_STARWARS, DEATHSTAR, { direction: 'INGRESS', verdict: 'DROPPED' });
    ring.record(live);
    const got = await stream.flows;
    assert.equal(got.length, 2);
    assert.ok(got.every((r) => r.flow.verdict === 'DROPPED' && r.flow.drop_reason_desc === 'POLICY_DENIED'));
    assert.deepEqual(got[1], live);
  });

  it('filters as meshwright observe does: --pod is [namespace/]prefix of either side, --from-pod only the source', async () => {
    // two requests x-wing sends (and receives nothing): the flows the filters below choose from
    ring.record(serviceRequest(XWING_1, REBEL_1, 'rebel-base')[0]!);
    ring.record(tcpFlow(XWING_1, REBEL_2, { direction: 'EGRESS', service: 'rebel-base' }));
    const from = events(dashboard.port, 'from-pod=default/x-wing&last=1000', 1000, 300);
    const to = events(dashboard.port, 'to-pod=default/x-wing&last=1000', 1000, 300);
    const pod = events(dashboard.port, 'pod=kube-system/x-wing&last=1000', 1000, 300);
    const fromFlows = await from.flows;
    assert.ok(fromFlows.length >= 2 && fromFlows.every((r) => r.flow.source?.pod_name?.startsWith('x-wing')));
    assert.deepEqual(await to.flows, []);
    assert.deepEqual(await pod.flows, []);
    // what meshwright observe refuses, the list refuses too: an unknown verdict, flags hubble will not combine, a flag it lacks
    for (const query of ['verdict=MAYBE', 'from-pod=default/x-wing&namespace=default', 'colour=red']) {
      const bad = await get(dashboard.port, `/api/flows?${query}`, `127.0.0.1:${dashboard.port}`);
      assert.equal(bad.status, 400, query);
    }
    assert.match((await get(dashboard.port, '/api/flows?from-pod=default/x-wing&namespace=default', `127.0.0.1:${dashboard.port}`)).body, /--from-pod and --namespace cannot be combined|--namespace and --from-pod cannot be combined/);
  });
});

describe('dashboard live shares', () => {
  it('counts each request once, by the cluster that answered, from flows held and flows arriving', async () => {
    const ring = new FlowRing();
    // before the dashboard starts: one request answered at home
    for (const r of serviceRequest(XWING_1, REBEL_1, 'rebel-base')) ring.record(r);
    const dashboard = await startDashboard({ port: 0, sources: SOURCES, flows: ring });
    try {
      const shares = async () => JSON.parse((await get(dashboard.port, '/api/shares', `localhost:${dashboard.port}`)).body) as { shares: unknown[] };
      assert.deepEqual(await shares(), { shares: [{ namespace: 'default', name: 'rebel-base', client: 'k8s-cilium-01', requests: { 'k8s-cilium-01': 1 }, total: 1 }] });
      // then one more at home and one across the mesh; a dropped request and a pod-to-pod one are no service requests
      for (const r of [...serviceRequest(XWING_1, REBEL_1, 'rebel-base'), ...serviceRequest(XWING_1, REBEL_2, 'rebel-base')]) ring.record(r);
      ring.record(tcpFlow(XWING_1, REBEL_2, { direction: 'INGRESS', service: 'rebel-base', verdict: 'DROPPED' }));
      ring.record(tcpFlow(XWING_1, REBEL_2, { direction: 'INGRESS', point: 'TO_ENDPOINT' }));
      assert.deepEqual(await shares(), { shares: [{ namespace: 'default', name: 'rebel-base', client: 'k8s-cilium-01', requests: { 'k8s-cilium-01': 2, 'k8s-cilium-02': 1 }, total: 3 }] });
    } finally {
      await dashboard.close();
    }
  });
});

describe('dashboard status collection', () => {
  it('collects once for every page asking at once', async () => {
    let collections = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const sources: DashboardSources = {
      ...SOURCES,
      status: async () => {
        collections++;
        await gate;
        return { kind: 'MeshStatus', collection: collections };
      },
    };
    const dashboard = await startDashboard({ port: 0, sources, flows: new FlowRing() });
    try {
      const ask = () => get(dashboard.port, '/api/status', `127.0.0.1:${dashboard.port}`);
      const three = [ask(), ask(), ask()];
      await new Promise((r) => setTimeout(r, 50));
      release();
      const answers = await Promise.all(three);
      assert.deepEqual(answers.map((a) => JSON.parse(a.body)), [1, 1, 1].map((n) => ({ kind: 'MeshStatus', collection: n })));
      assert.equal(collections, 1);
    } finally {
      await dashboard.close();
    }
  });
});

describe('sharedFor', () => {
  it('reuses an answer while fresh, collects again after, and never keeps a failure', async () => {
    let t = 0;
    let n = 0;
    let fail = false;
    const get = sharedFor(async () => {
      n++;
      if (fail) throw new Error('cluster unreachable');
      return n;
    }, 2000, () => t);
    assert.equal(await get(), 1);
    t = 1999;
    assert.equal(await get(), 1);
    t = 2000;
    assert.equal(await get(), 2);
    fail = true;
    t = 5000;
    await assert.rejects(get(), /unreachable/);
    fail = false;
    assert.equal(await get(), 4);
  });
});
