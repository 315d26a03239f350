import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { FlowRing, type FlowRecord } from '../../src/observe/index.js';
import { startObserver, type RunningObserver } from '../../src/lab/observer/server.js';
import { bin, cli } from '../helpers/cli.js';
import { REPO_ROOT, TEST_ROOT } from '../helpers/golden.js';
import { startTestLab, until, type TestLab } from '../helpers/lab.js';
import { referenceLab } from '../helpers/platforms.js';

const FIXTURE = join(TEST_ROOT, 'fixtures', 'observe', 'lab-flows.jsonl');
const records = (): FlowRecord[] =>
  readFileSync(FIXTURE, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as FlowRecord);
/** The fixture's flow uuids end in 01…07, in time order; 01-03, 05, 06 on k8s-cilium-01, 04 and 07 on k8s-cilium-02. */
const uuids = (out: string): string[] =>
  out
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as FlowRecord).flow.uuid!.slice(-2));

/** A client built the way any grpc-js user would, from cilium's observer.proto, sharing no code with meshwright's. */
function plainClient(address: string) {
  const def = protoLoader.loadSync('observer/observer.proto', { includeDirs: [join(REPO_ROOT, 'proto', 'cilium')], keepCase: true, enums: String, longs: String, oneofs: true });
  const pkg = grpc.loadPackageDefinition(def) as unknown as { observer: { Observer: grpc.ServiceClientConstructor } };
  return new pkg.observer.Observer(address, grpc.credentials.createInsecure()) as grpc.Client & Record<string, (...a: unknown[]) => unknown>;
}

function collect(client: ReturnType<typeof plainClient>, req: unknown): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) => {
    const out: Record<string, unknown>[] = [];
    const call = client.GetFlows!(req) as grpc.ClientReadableStream<Record<string, unknown>>;
    call.on('data', (d) => out.push(d));
    call.on('error', reject);
    call.on('end', () => resolve(out));
  });
}

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

describe('observe: the lab serves Hubble Relay\'s Observer API (gRPC on 127.0.0.1)', () => {
  let lab: TestLab;
  let relay1: string;
  let relay2: string;
  before(async () => {
    lab = await startTestLab(referenceLab());
    for (const r of records()) lab.lab.flows.record(r);
    relay1 = lab.lab.clusters.find((c) => c.name === 'k8s-cilium-01')!.observer!.address;
    relay2 = lab.lab.clusters.find((c) => c.name === 'k8s-cilium-02')!.observer!.address;
  });
  after(() => lab.stop());

  it('a plain grpc-js client from observer.proto reads the flows: protobuf Timestamps, enum names, the node name', async () => {
    const client = plainClient(relay1);
    try {
      const got = await collect(client, { number: 100 });
      assert.deepEqual(
        got.map((r) => (r.flow as { uuid: string }).uuid.slice(-2)),
        ['01', '02', '03', '05', '06'],
      );
      const first = got[0] as { flow: Record<string, unknown>; node_name: string; time: { seconds: string; nanos: number }; response_types: string };
      assert.equal(first.response_types, 'flow');
      assert.equal(first.node_name, 'k8s-cilium-01/k8s-cilium-01-wk01');
      // 2024-08-01T10:00:00.1Z
      assert.deepEqual(first.time, { seconds: '1722506400', nanos: 100000000 });
      assert.equal(first.flow.verdict, 'FORWARDED');
      assert.deepEqual(first.flow.is_reply, { value: false });
      assert.equal((first.flow.l4 as { protocol: string }).protocol, 'TCP');
      const status = await new Promise<Record<string, unknown>>((resolve, reject) => client.ServerStatus!({}, (err: Error | null, res: Record<string, unknown>) => (err ? reject(err) : resolve(res))));
      assert.equal(status.num_flows, '5');
      assert.equal(status.seen_flows, '5');
      assert.equal(status.max_flows, String(16383 * 2));
      assert.deepEqual(status.num_connected_nodes, { value: 2 });
      const nodes = await new Promise<{ nodes: { name: string; state: string }[] }>((resolve, reject) => client.GetNodes!({}, (err: Error | null, res: { nodes: { name: string; state: string }[] }) => (err ? reject(err) : resolve(res))));
      assert.deepEqual(nodes.nodes.map((n) => [n.name, n.state]), [['k8s-cilium-01/k8s-cilium-01-cp', 'NODE_CONNECTED'], ['k8s-cilium-01/k8s-cilium-01-wk01', 'NODE_CONNECTED']]);
      const ns = await new Promise<{ namespaces: { cluster: string; namespace: string }[] }>((resolve, reject) => client.GetNamespaces!({}, (err: Error | null, res: { namespaces: { cluster: string; namespace: string }[] }) => (err ? reject(err) : resolve(res))));
      assert.deepEqual(ns.namespaces, [{ cluster: 'k8s-cilium-01', namespace: 'batch' }, { cluster: 'k8s-cilium-01', namespace: 'payments' }, { cluster: 'k8s-cilium-01', namespace: 'shop' }]);
    } finally {
      client.close();
    }
  });

  it('a relay sees only its own cluster while the mesh is not connected', async () => {
    const r = await cli(['observe', '--server', relay2, '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(uuids(r.stdout), ['04', '07']);
  });

  it('observe -o json prints each GetFlowsResponse as hubble does: the flow as recorded, protojson times', async () => {
    const r = await cli(['observe', '--server', relay1, '-o', 'json', '--last', '1']);
    assert.equal(r.code, 0, r.stderr);
    const line = JSON.parse(r.stdout) as FlowRecord;
    const recorded = records().find((x) => x.flow.uuid!.endsWith('06'))!;
    // protojson writes 0, 3, 6 or 9 fraction digits
    assert.equal(line.time, '2024-08-01T10:00:02.000000500Z');
    assert.deepEqual(line.flow, recorded.flow);
    assert.deepEqual(Object.keys(line), ['flow', 'node_name', 'time']);
  });

  it('observe filters as hubble observe: --verdict, --from-pod, --namespace, --label, --http-path, --type, --since', async () => {
    const run = async (...args: string[]) => {
      const r = await cli(['observe', '--server', relay1, '-o', 'json', ...args]);
      assert.equal(r.code, 0, r.stderr);
      return uuids(r.stdout);
    };
    assert.deepEqual(await run('--verdict', 'DROPPED'), ['05', '06']);
    assert.deepEqual(await run('--from-pod', 'batch/report'), ['05', '06']);
    assert.deepEqual(await run('--to-pod', 'shop/'), ['03']);
    assert.deepEqual(await run('--namespace', 'shop'), ['01', '02', '03']);
    assert.deepEqual(await run('--label', 'app=report'), ['05', '06']);
    assert.deepEqual(await run('--from-label', 'k8s:app=frontend', '--verdict', 'FORWARDED'), ['01', '02']);
    assert.deepEqual(await run('--http-path', '^/api/v1/charges$'), ['02', '03']);
    assert.deepEqual(await run('--http-status', '2+'), ['03']);
    assert.deepEqual(await run('--type', 'policy-verdict'), ['06']);
    assert.deepEqual(await run('--type', 'l7', '--http-method', 'get'), ['02', '03']);
    assert.deepEqual(await run('--type', 'trace:to-endpoint'), ['01']);
    assert.deepEqual(await run('--since', '2024-08-01T10:00:01Z'), ['05', '06']);
    assert.deepEqual(await run('--until', '2024-08-01T10:00:00.102Z'), ['01', '02']);
    assert.deepEqual(await run('--last', '2'), ['05', '06']);
    assert.deepEqual(await run('--first', '2'), ['01', '02']);
    assert.deepEqual(await run('--traffic-direction', 'egress'), []);
  });

  it('compact output by default, as hubble observe prints it', async () => {
    const r = await cli(['observe', '--server', relay1, '--verdict', 'DROPPED', '--type', 'drop']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Aug  1 10:00:02.000: batch/report-28794720-5xkq9:39811 (ID:65547) -> payments/api-5f7b9c6d4-8hq2m:8080 (ID:65544) Policy denied DROPPED (TCP Flags: SYN)\n');
  });

  it('exit codes: 2 for flags hubble refuses, 1 for filter values, 3 when the relay does not answer', async () => {
    const code = async (...args: string[]) => {
      const r = await cli(['observe', '--server', relay1, ...args]);
      return [r.code, r.stderr] as const;
    };
    assert.equal((await code('--first', '1', '--last', '1'))[0], 2);
    const [tc, terr] = await code('-o', 'table', '--follow');
    assert.equal(tc, 2);
    assert.match(terr, /table output format is not compatible with follow mode/);
    assert.equal((await code('--label', 'a=b', '--from-label', 'c=d'))[0], 2);
    assert.equal((await code('--no-such-flag'))[0], 2);
    assert.equal((await code('-o', 'yaml'))[0], 2);
    const [vc, verr] = await code('--verdict', 'NOPE');
    assert.equal(vc, 1);
    assert.match(verr, /invalid --verdict value: NOPE/);
    assert.match(verr, /FORWARDED, DROPPED/);
    assert.equal((await code('--since', 'yesterday'))[0], 1);
    const [rc, rerr] = await code('--http-path', '(');
    assert.equal(rc, 1);
    assert.match(rerr, /refused the request: invalid http path filter/);
    const port = await closedPort();
    const down = await cli(['observe', '--server', `127.0.0.1:${port}`, '--timeout', '300ms']);
    assert.equal(down.code, 3);
    assert.match(down.stderr, /does not answer/);
    assert.match(down.stderr, /hubble\.relay\.enabled/);
    const empty = mkdtempSync(join(tmpdir(), 'mw-observe-'));
    const none = await cli(['observe'], { cwd: empty, env: { KUBECONFIG: join(empty, 'no-such-kubeconfig') } });
    assert.equal(none.code, 3);
    assert.match(none.stderr, /no lab is running in this folder/);
  });

  it('--follow prints a flow recorded after it started, and Ctrl-C ends it with 0', async () => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'cli', 'main.js'), 'observe', '--server', relay1, '--follow', '-o', 'json', '--from-pod', 'shop/late'], { env: { PATH: process.env.PATH, NO_COLOR: '1' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    const template = records()[0]!;
    let n = 0;
    // record until the follower, once connected, has printed one (it shows only flows recorded after it started)
    await until(
      () => {
        n++;
        const time = `2024-08-01T11:00:00.${String(n).padStart(9, '0')}Z`;
        lab.lab.flows.record({ ...template, time, flow: { ...template.flow, time, uuid: `late-${n}`, source: { ...template.flow.source, pod_name: 'late-pod' } } });
        return out.includes('"late-');
      },
      15_000,
      () => `a followed flow (stderr: ${err})`,
    );
    child.kill('SIGINT');
    assert.equal(await exited, 0, err);
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as FlowRecord);
    assert.ok(lines.every((l) => l.flow.source?.pod_name === 'late-pod'));
    assert.ok(lines.length >= 1);
  });
});

describe('observe: a relay reaching two clusters merges their flows by time', () => {
  let relay: RunningObserver;
  before(async () => {
    const ring = new FlowRing();
    for (const r of records()) ring.record(r);
    relay = await startObserver({ cluster: 'k8s-cilium-01', flows: ring, reachable: () => ['k8s-cilium-01', 'k8s-cilium-02'], nodes: () => [] });
  });
  after(() => relay.stop());
  it('every flow of both clusters, oldest first; --last counts per node, as hubble documents for a relay', async () => {
    const all = await cli(['observe', '--server', relay.address, '-o', 'json']);
    assert.deepEqual(uuids(all.stdout), ['01', '02', '03', '04', '05', '06', '07']);
    const last = await cli(['observe', '--server', relay.address, '-o', 'json', '--last', '1']);
    assert.deepEqual(uuids(last.stdout), ['06', '07']);
    const c2 = await cli(['observe', '--server', relay.address, '-o', 'json', '--cluster', 'k8s-cilium-02']);
    assert.deepEqual(uuids(c2.stdout), ['04', '07']);
  });
});

describe('observe: the relay address of a lab started with `lab up` (lab.json)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mw-observe-lab-'));
    const up = bin(['lab', 'up', join(REPO_ROOT, 'examples', 'reference-lab', 'platform.yaml')], { cwd: dir });
    assert.equal(up.code, 0, up.stderr);
  });
  after(() => {
    bin(['lab', 'down'], { cwd: dir });
    rmSync(dir, { recursive: true, force: true });
  });
  it('lab.json and lab status name each cluster\'s relay; observe --context reads it', async () => {
    const state = JSON.parse(readFileSync(join(dir, '.meshwright', 'lab', 'lab.json'), 'utf8')) as { clusters: { name: string; observer: string }[] };
    for (const c of state.clusters) assert.match(c.observer, /^127\.0\.0\.1:\d+$/);
    const status = bin(['lab', 'status'], { cwd: dir });
    assert.match(status.stdout, /HUBBLE RELAY/);
    assert.ok(status.stdout.includes(state.clusters[1]!.observer));
    const r = await cli(['observe', '--context', 'k8s-cilium-02', '-o', 'json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    const bad = await cli(['observe', '--context', 'nope'], { cwd: dir });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /contexts: k8s-cilium-01, k8s-cilium-02/);
  });
});
