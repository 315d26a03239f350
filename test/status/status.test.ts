import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { cli } from '../helpers/cli.js';
import { assertGolden, REPO_ROOT } from '../helpers/golden.js';
import { rows } from '../helpers/lab.js';
import { openssl } from '../helpers/openssl.js';
import { appliedReferenceLab, meshwright, withoutDates, type AppliedLab } from './lab-fixture.js';

const SCHEMA = JSON.parse(readFileSync(join(REPO_ROOT, 'schemas', 'status.schema.json'), 'utf8')) as Record<string, unknown>;

/** A 127.0.0.1 port nobody listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('meshwright status on the reference lab after apply', () => {
  let lab: AppliedLab;
  before(() => {
    lab = appliedReferenceLab();
  });
  after(() => lab.close());

  it('all green: exit 0, and the table a person reads (platform found through the state folder)', () => {
    const r = meshwright(lab.dir, ['status']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /k8s-cilium-01:\n {2}all 2 nodes are connected to all clusters \[min:1 \/ avg:1\.0 \/ max:1\]/);
    assert.match(r.stdout, /- k8s-cilium-02: 2\/2 configured, 2\/2 connected - KVStoreMesh: 1\/1 configured, 1\/1 connected/);
    assertGolden('status-reference-lab.txt', withoutDates(r.stdout));
  });

  it('-o json validates against the published schema, which `schema status` prints', async () => {
    const s = await cli(['schema', 'status'], { cwd: lab.dir });
    assert.equal(s.code, 0);
    assertGolden('status.schema.json', s.stdout, join(REPO_ROOT, 'schemas', 'status.schema.json'));
    const r = await cli(['status', lab.platformFile, '-o', 'json'], { cwd: lab.dir });
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    const compiled = new Ajv({ strict: false }).compile(SCHEMA);
    const validate = (d: unknown): boolean => compiled(d);
    assert.ok(validate(doc), JSON.stringify(compiled.errors));
    assert.equal(doc.kind, 'MeshStatus');
    assert.deepEqual(
      doc.links.map((l: any) => [l.from, l.to, l.state]),
      [
        ['k8s-cilium-01', 'k8s-cilium-02', 'connected'],
        ['k8s-cilium-02', 'k8s-cilium-01', 'connected'],
      ],
    );
    // a document with an unknown field or a wrong link state is refused by the schema
    assert.equal(validate({ ...doc, extra: 1 }), false);
    assert.equal(validate({ ...doc, links: [{ ...doc.links[0], state: 'half' }] }), false);
  });

  it('reports what kubectl and openssl see, and never prints key material', async () => {
    const r = await cli(['status', '-o', 'json'], { cwd: lab.dir });
    const doc = JSON.parse(r.stdout);
    for (const ctx of ['k8s-cilium-01', 'k8s-cilium-02']) {
      const c = doc.clusters.find((x: any) => x.name === ctx);
      const nodes = rows((await lab.k(['--context', ctx, 'get', 'nodes'])).stdout).slice(1);
      assert.deepEqual(c.nodes, { ready: nodes.filter((n) => n[1] === 'Ready').length, total: nodes.length, notReady: [] });
      const ds = rows((await lab.k(['--context', ctx, '-n', 'kube-system', 'get', 'ds', 'cilium'])).stdout)[1]!;
      const agent = c.components.find((x: any) => x.name === 'cilium');
      assert.deepEqual([agent.desired, agent.ready], [Number(ds[1]), Number(ds[3])]);
      const secret = JSON.parse((await lab.k(['--context', ctx, '-n', 'kube-system', 'get', 'secret', 'clustermesh-apiserver-server-cert', '-o', 'json'])).stdout);
      const pem = join(lab.dir, `${ctx}-server.crt`);
      writeFileSync(pem, Buffer.from(secret.data['tls.crt'], 'base64'));
      const end = new Date(openssl(['x509', '-in', pem, '-noout', '-enddate']).trim().replace('notAfter=', ''));
      const cert = c.certificates.find((x: any) => x.secret === 'clustermesh-apiserver-server-cert' && x.key === 'tls.crt');
      assert.equal(cert.notAfter, end.toISOString().replace('.000Z', 'Z'));
      assert.equal(cert.trusted, true);
      assert.ok(!r.stdout.includes(secret.data['tls.key']), 'the key is not in the output');
    }
    assert.doesNotMatch(r.stdout, /PRIVATE KEY/);
    const table = (await cli(['status'], { cwd: lab.dir })).stdout;
    assert.doesNotMatch(table, /PRIVATE KEY/);
  });

  it('a cluster whose API server does not answer: exit 3, named, its links unknown', async () => {
    const kc = parse(readFileSync(lab.kubeconfig, 'utf8'));
    const port = await closedPort();
    kc.clusters.find((c: any) => c.name === 'k8s-cilium-02').cluster.server = `https://127.0.0.1:${port}`;
    const file = join(lab.dir, 'broken-kubeconfig');
    writeFileSync(file, JSON.stringify(kc), { mode: 0o600 });
    const r = await cli(['status', '--kubeconfig', file, '-o', 'json'], { cwd: lab.dir });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, new RegExp(`cannot reach k8s-cilium-02 \\(https://127\\.0\\.0\\.1:${port}\\)`));
    const doc = JSON.parse(r.stdout);
    assert.deepEqual(doc.unreachable, ['k8s-cilium-02']);
    assert.deepEqual(doc.links.find((l: any) => l.from === 'k8s-cilium-02'), { from: 'k8s-cilium-02', to: 'k8s-cilium-01', state: 'unknown', reason: 'cluster unreachable', detail: doc.links.find((l: any) => l.from === 'k8s-cilium-02').detail });
    // the reachable cluster is still reported in full
    assert.equal(doc.links.find((l: any) => l.from === 'k8s-cilium-01').state, 'connected');
  });

  it('--wait: a timeout prints the last snapshot and the last error; it returns 0 once the mesh is back', async () => {
    const scale = async (n: number) => assert.equal((await lab.k(['--context', 'k8s-cilium-02', '-n', 'kube-system', 'scale', 'deployment', 'clustermesh-apiserver', `--replicas=${n}`])).code, 0);
    await scale(0);
    try {
      const r = await cli(['status', '--wait', '--timeout', '2s'], { cwd: lab.dir });
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /status: timeout after 2s while waiting for the mesh, last error: k8s-cilium-01 → k8s-cilium-02: address unreachable \(failed to connect to https:\/\/k8s-cilium-02\.mesh\.cilium\.io:2379: dial tcp 172\.26\.0\.106:2379: connect: connection refused\)/);
      assert.match(r.stdout, /k8s-cilium-01\s+-\s+DOWN/);
      assert.match(r.stdout, /Deployment clustermesh-apiserver: scaled to 0/);
    } finally {
      const waiting = cli(['status', '--wait', '--timeout', '60s'], { cwd: lab.dir });
      await new Promise((r) => setTimeout(r, 3000));
      await scale(1);
      const r = await waiting;
      assert.equal(r.code, 0, r.stderr + r.stdout);
      assert.match(r.stdout, /status: every cluster is ready and every link is connected/);
      assert.match(r.stderr, /waiting \(\d+s\) for the mesh: k8s-cilium-01 → k8s-cilium-02: address unreachable/);
    }
  });
});
