import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { labHelm, requestCurl, type CurlOutcome, type CurlRequest } from '../../src/lab/index.js';
import type { Flow, FlowRecord } from '../../src/observe/index.js';
import { ciliumSecretValues, ciliumValues, DEFAULT_RENDER_OPTIONS, renderPlatform } from '../../src/render/index.js';
import { cli } from '../helpers/cli.js';
import { kubectl, kubectlBinary, startTestLab, testPki, type TestLab } from '../helpers/lab.js';
import { reconcile } from '../helpers/pki.js';
import { referenceLab } from '../helpers/platforms.js';
import { flowRoot, fromProtojson, toProtojson } from './flow-proto.js';

/**
 * Each cluster's identity range with maxConnectedClusters 255 (cilium pkg/identity/numericidentity.go
 * v1.16, cilium-mesh.md §4.1: cluster c owns [c << 16, ((c + 1) << 16) - 1]); the reference lab's
 * clusters have IDs 1 and 2.
 */
const RANGE: Record<string, [number, number]> = { 'k8s-cilium-01': [65536, 131071], 'k8s-cilium-02': [131072, 196607] };
/** Linux's default net.ipv4.ip_local_port_range. */
const EPHEMERAL: [number, number] = [32768, 60999];

/**
 * The flows the lab records for the requests it carries, on the notebook's lab (both clusters
 * installed with meshwright's rendered values, the clustermesh demo applied, the mesh up), read
 * as Hubble's clients read them: parsed with cilium's flow.proto.
 */
describe('lab flows: what Hubble would show for each request the lab carries', () => {
  const bin = kubectlBinary('newest').path;
  const platform = referenceLab();
  let lab: TestLab;
  let cache: string;
  const k = async (ctx: string, args: string[], input?: string) => {
    const r = await kubectl(bin, lab.kubeconfig, cache, ['--context', ctx, ...args], input);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout;
  };
  const settled = async () => {
    for (let i = 0; i < 3; i++) {
      await Promise.all(lab.lab.clusters.filter((c) => c.running).map((c) => c.controllers.settled()));
      await lab.lab.mesh.settled();
    }
  };
  /** The requests' outcomes and the flows the lab recorded while carrying them. */
  const curl = async (req: Omit<CurlRequest, 'seed'> & { seed?: number }): Promise<{ out: CurlOutcome[]; flows: FlowRecord[] }> => {
    const flows: FlowRecord[] = [];
    const unsubscribe = lab.lab.flows.subscribe((r) => flows.push(r));
    try {
      const port = lab.lab.clusters.find((c) => c.name === req.cluster)!.port;
      const r = await requestCurl(port, await testPki(), { seed: 1, ...req });
      assert.ok('results' in r, JSON.stringify(r));
      return { out: r.results, flows };
    } finally {
      unsubscribe();
    }
  };
  const pod = async (ctx: string, label: string) => {
    const [name, ip, node] = (await k(ctx, ['get', 'pods', '-l', label, '-o', 'jsonpath={.items[0].metadata.name} {.items[0].status.podIP} {.items[0].spec.nodeName}'])).trim().split(' ');
    return { name: name!, ip: ip!, node: node! };
  };
  const nodesOf: Record<string, string[]> = {};
  /** Every record parses with flow.proto, survives an encode/decode unchanged, and names real nodes and in-range identities. */
  const wellFormed = async (records: FlowRecord[]) => {
    const root = await flowRoot();
    const Flow = root.lookupType('flow.Flow');
    for (const r of records) {
      const msg = Flow.fromObject(fromProtojson(root, r.flow));
      assert.equal(Flow.verify(msg), null);
      assert.deepEqual(toProtojson(root, Flow.decode(Flow.encode(msg).finish())), r.flow, 'an encode/decode round trip keeps every field');
      assert.equal(r.flow.node_name, r.node_name);
      assert.equal(r.flow.time, r.time);
      const [cluster, node] = r.node_name.split('/');
      assert.ok(nodesOf[cluster!]?.includes(node!), `${r.node_name}: <cluster>/<node> of a real node`);
      for (const end of [r.flow.source!, r.flow.destination!]) {
        if (end.identity! < 256) continue; // reserved identities (host 1, ingress 8) are the same everywhere
        const [first, last] = RANGE[end.cluster_name!]!;
        assert.ok(end.identity! >= first && end.identity! <= last, `identity ${end.identity} of ${end.cluster_name} within ${first}–${last}`);
      }
    }
  };
  const only = (records: FlowRecord[], pred: (f: Flow) => boolean) => records.filter((r) => pred(r.flow));
  const point = (p: string) => (f: Flow) => f.trace_observation_point === p;
  const scrape = (host?: string): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      const url = new URL(lab.lab.metrics!.url);
      const r = request({ host: '127.0.0.1', port: url.port, path: url.pathname, headers: host ? { Host: host } : {} }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      r.on('error', reject);
      r.end();
    });
  /** A counter's value for a label set (0 when the series does not exist yet). */
  const counter = (text: string, name: string, labels: Record<string, string>): number => {
    const family = parsePrometheusTextFormat(text).find((f) => f.name === name);
    const sample = family?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
    return Number(sample?.value ?? 0);
  };

  before(async () => {
    lab = await startTestLab(platform, { metrics: {} });
    cache = join(mkdtempSync(join(tmpdir(), 'mw-kubectl-')), 'cache');
    const { pki } = await reconcile(platform);
    const files = renderPlatform(platform, pki, DEFAULT_RENDER_OPTIONS);
    for (const c of platform.spec.clusters) {
      const port = lab.lab.clusters.find((x) => x.name === c.name)!.port;
      const values = [ciliumValues(platform, c) as Record<string, any>, ciliumSecretValues(platform, c, pki, { caKeyToChart: false, kubeletInsecureTls: false }) as Record<string, any>];
      await labHelm.upgradeInstall(port, await testPki(), { release: 'cilium', chart: 'cilium', namespace: 'kube-system', values, now: Date.now() });
      for (const f of ['01-lb-ipam.yaml', '02-ingress-app.yaml', '03-global-service-demo.yaml']) await k(c.name, ['apply', '-f', '-'], files.find((x) => x.path === `${c.name}/manifests/${f}`)!.content);
    }
    await settled();
    assert.ok(lab.lab.mesh.linkReady('k8s-cilium-01', 'k8s-cilium-02'), 'the mesh is up');
    for (const c of platform.spec.clusters) nodesOf[c.name] = (await k(c.name, ['get', 'nodes', '-o', 'jsonpath={.items[*].metadata.name}'])).trim().split(' ');
  });
  after(async () => {
    await lab?.stop();
    rmSync(join(cache, '..'), { recursive: true, force: true });
  });

  it("records x-wing's requests to the global rebel-base service as Hubble's trace flows: to-endpoint at the backend's node, with both ends named", async () => {
    const xwing = await pod('k8s-cilium-01', 'name=x-wing');
    const { out, flows } = await curl({ cluster: 'k8s-cilium-01', from: `default/${xwing.name}`, url: 'http://rebel-base/', count: 20, seed: 5 });
    await wellFormed(flows);
    const arrivals = only(flows, (f) => point('TO_ENDPOINT')(f) && f.is_reply === false);
    assert.equal(arrivals.length, 20, 'one to-endpoint flow per request');
    // no policy selects these pods: the datapath notifies no policy verdict
    assert.equal(only(flows, (f) => f.event_type?.type === 5).length, 0);
    arrivals.forEach((r, i) => {
      const f = r.flow;
      assert.equal(f.verdict, 'FORWARDED');
      assert.equal(f.Type, 'L3_L4');
      assert.deepEqual(f.event_type, { type: 4 }, 'a trace event; sub_type 0 (to-endpoint) is omitted as protojson omits zeros');
      assert.equal(f.traffic_direction, 'INGRESS');
      assert.deepEqual(f.destination_service, { name: 'rebel-base', namespace: 'default' });
      assert.equal(f.destination!.pod_name, out[i]!.backend!.pod, 'the pod that answered');
      assert.equal(f.destination!.cluster_name, out[i]!.backend!.cluster);
      assert.equal(r.node_name.split('/')[0], out[i]!.backend!.cluster, 'seen at the backend node');
      assert.deepEqual(f.destination!.workloads, [{ name: 'rebel-base', kind: 'Deployment' }]);
      assert.equal(f.source!.pod_name, xwing.name);
      assert.equal(f.source!.cluster_name, 'k8s-cilium-01');
      assert.ok(f.source!.labels!.includes('k8s:io.cilium.k8s.policy.cluster=k8s-cilium-01'));
      assert.ok(f.source!.labels!.includes('k8s:io.kubernetes.pod.namespace=default'));
      assert.ok(f.source!.labels!.includes('k8s:name=x-wing'));
      assert.ok(f.destination!.labels!.includes(`k8s:io.cilium.k8s.policy.cluster=${out[i]!.backend!.cluster}`));
      assert.equal(f.IP!.source, xwing.ip);
      assert.equal(f.l4!.TCP!.destination_port, 80);
      const sport = f.l4!.TCP!.source_port!;
      assert.ok(sport >= EPHEMERAL[0] && sport <= EPHEMERAL[1], `source port ${sport} is ephemeral`);
    });
    // one pod, one identity in every flow
    assert.equal(new Set(arrivals.map((r) => r.flow.source!.identity)).size, 1);
    // the replies reach x-wing at its own node
    const replies = only(flows, (f) => point('TO_ENDPOINT')(f) && f.is_reply === true);
    assert.equal(replies.length, 20);
    for (const r of replies) assert.deepEqual([r.node_name, r.flow.destination!.pod_name, r.flow.traffic_direction], [`k8s-cilium-01/${xwing.node}`, xwing.name, 'EGRESS']);
  });

  it('sees a request to a backend in the other cluster leave at the source node (cluster 1) and arrive at the destination node (cluster 2)', async () => {
    const xwing = await pod('k8s-cilium-01', 'name=x-wing');
    const { out, flows } = await curl({ cluster: 'k8s-cilium-01', from: `default/${xwing.name}`, url: 'http://rebel-base/', count: 20, seed: 11 });
    const i = out.findIndex((o) => o.backend?.cluster === 'k8s-cilium-02');
    assert.ok(i >= 0, 'some request reaches cluster 2');
    const backend = out[i]!.backend!.pod;
    const remote = await k('k8s-cilium-02', ['get', 'pod', backend, '-o', 'jsonpath={.spec.nodeName}']);
    // (both clusters' pods may bear the same names: the cluster tells them apart)
    const toBackend = (f: Flow) => f.destination!.pod_name === backend && f.destination!.cluster_name === 'k8s-cilium-02';
    const leaving = only(flows, (f) => point('TO_OVERLAY')(f) && toBackend(f));
    const arriving = only(flows, (f) => point('TO_ENDPOINT')(f) && f.is_reply === false && toBackend(f));
    assert.ok(leaving.length >= 1 && arriving.length === leaving.length);
    // the reference lab runs Cilium's default tunnel routing: the packet leaves through the overlay
    assert.deepEqual([leaving[0]!.node_name, leaving[0]!.flow.traffic_direction], [`k8s-cilium-01/${xwing.node}`, 'EGRESS']);
    assert.deepEqual([arriving[0]!.node_name, arriving[0]!.flow.traffic_direction], [`k8s-cilium-02/${remote}`, 'INGRESS']);
    assert.deepEqual([arriving[0]!.flow.source!.cluster_name, arriving[0]!.flow.destination!.cluster_name], ['k8s-cilium-01', 'k8s-cilium-02']);
  });

  it('drops a request no rule allows with POLICY_DENIED (133) at the destination node, and names the allowing policy and its rule for the allowed one', async () => {
    await k('k8s-cilium-01', ['apply', '-f', '-'], readFileSync('test/fixtures/policy/mesh/rebel-base-from-local-x-wing.yaml', 'utf8'));
    try {
      const target = await pod('k8s-cilium-01', 'name=rebel-base');
      const remote = await pod('k8s-cilium-02', 'name=x-wing');
      const before = (await scrape()).body;
      const denied = await curl({ cluster: 'k8s-cilium-02', from: `default/${remote.name}`, url: `http://${target.ip}/`, connectTimeout: 1 });
      assert.equal(denied.out[0]!.exitCode, 28);
      await wellFormed(denied.flows);
      const [verdict] = only(denied.flows, (f) => f.event_type?.type === 5);
      assert.deepEqual([verdict!.node_name, verdict!.flow.verdict, verdict!.flow.traffic_direction], [`k8s-cilium-01/${target.node}`, 'DROPPED', 'INGRESS']);
      // cilium pkg/hubble/parser/threefour/parser.go: a denied verdict's drop reason is minus its verdict
      // (decodeDropReason), and whether it is a reply is unknown (decodeIsReply returns nil)
      assert.deepEqual([verdict!.flow.drop_reason, verdict!.flow.drop_reason_desc, verdict!.flow.is_reply], [133, 'POLICY_DENIED', undefined]);
      const [drop] = only(denied.flows, (f) => f.verdict === 'DROPPED' && f.event_type?.type === 1);
      assert.equal(drop!.node_name, `k8s-cilium-01/${target.node}`, 'ingress drops happen at the destination node');
      assert.deepEqual([drop!.flow.drop_reason, drop!.flow.drop_reason_desc, drop!.flow.event_type, drop!.flow.traffic_direction, drop!.flow.is_reply], [133, 'POLICY_DENIED', { type: 1, sub_type: 133 }, 'INGRESS', undefined]);
      assert.equal(drop!.flow.ingress_denied_by, undefined, 'no deny rule decided');
      assert.match(String((drop!.flow.extensions as any).value.meshwright.reason), /^default deny: selected by CiliumNetworkPolicy default\/rebel-base-from-local-x-wing/);
      assert.equal(only(denied.flows, point('TO_ENDPOINT')).length, 0, 'nothing reaches the pod');

      const local = await pod('k8s-cilium-01', 'name=x-wing');
      const allowed = await curl({ cluster: 'k8s-cilium-01', from: `default/${local.name}`, url: `http://${target.ip}/` });
      await wellFormed(allowed.flows);
      const [ok] = only(allowed.flows, (f) => f.event_type?.type === 5);
      assert.deepEqual([ok!.flow.verdict, ok!.flow.policy_match_type], ['FORWARDED', 2]);
      const [by] = ok!.flow.ingress_allowed_by!;
      assert.deepEqual([by!.name, by!.namespace], ['rebel-base-from-local-x-wing', 'default']);
      assert.ok(by!.labels!.includes('k8s:io.cilium.k8s.policy.derived-from=CiliumNetworkPolicy'));
      assert.ok(by!.labels!.includes('k8s:io.cilium.k8s.policy.name=rebel-base-from-local-x-wing'));
      assert.ok(by!.labels!.includes('k8s:io.cilium.k8s.policy.namespace=default'));
      const source = by!.labels!.find((l) => l.startsWith('meshwright:source='));
      assert.match(source!, /^meshwright:source=lab:k8s-cilium-01\/cilium\.io\/ciliumnetworkpolicies\/default\/rebel-base-from-local-x-wing:\d+:\d+$/);
      assert.match(String((ok!.flow.extensions as any).value.meshwright.rule), /rebel-base-from-local-x-wing:\d+:\d+$/);

      const text = (await scrape()).body;
      // cilium pkg/hubble/metrics/drop/handler.go counts every DROPPED flow by its drop_reason_desc: the drop
      // event and the denied policy-verdict event of the one request
      const drops = (t: string, reason: string) => counter(t, 'hubble_drop_total', { reason, protocol: 'TCP', cluster: 'k8s-cilium-01' });
      assert.equal(drops(text, 'POLICY_DENIED') - drops(before, 'POLICY_DENIED'), 2);
      assert.equal(drops(text, 'DROP_REASON_UNKNOWN') - drops(before, 'DROP_REASON_UNKNOWN'), 0);
      const verdicts = (t: string, action: string) => counter(t, 'hubble_policy_verdicts_total', { direction: 'ingress', match: action === 'dropped' ? 'none' : 'l3-l4', action, cluster: 'k8s-cilium-01' });
      assert.equal(verdicts(text, 'dropped') - verdicts(before, 'dropped'), 1);
      assert.equal(verdicts(text, 'forwarded') - verdicts(before, 'forwarded'), 1);
    } finally {
      await k('k8s-cilium-01', ['delete', 'ciliumnetworkpolicy', 'rebel-base-from-local-x-wing']);
    }
  });

  it('drops a request a deny rule matches with POLICY_DENY (181), naming the deny policy and its file:line in a way flow.proto keeps', async () => {
    await k('k8s-cilium-01', ['apply', '-f', '-'], readFileSync('test/fixtures/flows/rebel-base-deny-remote-x-wing.yaml', 'utf8'));
    try {
      const target = await pod('k8s-cilium-01', 'name=rebel-base');
      const remote = await pod('k8s-cilium-02', 'name=x-wing');
      const { out, flows } = await curl({ cluster: 'k8s-cilium-02', from: `default/${remote.name}`, url: `http://${target.ip}/`, connectTimeout: 1 });
      assert.equal(out[0]!.exitCode, 28);
      await wellFormed(flows);
      const [drop] = only(flows, (f) => f.event_type?.type === 1);
      assert.deepEqual([drop!.node_name, drop!.flow.drop_reason, drop!.flow.drop_reason_desc], [`k8s-cilium-01/${target.node}`, 181, 'POLICY_DENY']);
      const [by] = drop!.flow.ingress_denied_by!;
      assert.equal(by!.name, 'rebel-base-deny-remote-x-wing');
      assert.match(by!.labels!.find((l) => l.startsWith('meshwright:source='))!, /^meshwright:source=lab:k8s-cilium-01\/cilium\.io\/ciliumnetworkpolicies\/default\/rebel-base-deny-remote-x-wing:\d+:\d+$/);
    } finally {
      await k('k8s-cilium-01', ['delete', 'ciliumnetworkpolicy', 'rebel-base-deny-remote-x-wing']);
    }
  });

  it("shows Envoy's L7 flows where an HTTP rule applies: a denied PUT is an http-request DROPPED and a 403 response, a GET an http-request and its 200", async () => {
    await k('k8s-cilium-01', ['apply', '-f', '-'], readFileSync('test/fixtures/flows/rebel-base-get-only.yaml', 'utf8'));
    try {
      const target = await pod('k8s-cilium-01', 'name=rebel-base');
      const xwing = await pod('k8s-cilium-01', 'name=x-wing');
      const before = (await scrape()).body;
      const put = await curl({ cluster: 'k8s-cilium-01', from: `default/${xwing.name}`, url: `http://${target.ip}/`, method: 'PUT' });
      assert.deepEqual([put.out[0]!.exitCode, put.out[0]!.httpStatus, put.out[0]!.stdout], [0, 403, 'Access denied\r\n']);
      await wellFormed(put.flows);
      const l7 = only(put.flows, (f) => f.Type === 'L7');
      assert.deepEqual(
        l7.map((r) => [r.flow.l7!.type, r.flow.verdict, r.flow.event_type?.type, r.flow.l7!.http!.method, r.flow.l7!.http!.code, r.flow.is_reply, r.node_name]),
        [
          ['REQUEST', 'DROPPED', 129, 'PUT', undefined, false, `k8s-cilium-01/${target.node}`],
          ['RESPONSE', 'FORWARDED', 129, 'PUT', 403, true, `k8s-cilium-01/${target.node}`],
        ],
      );
      assert.deepEqual(l7[0]!.flow.l7!.http, { method: 'PUT', url: `http://${target.ip}/`, protocol: 'HTTP/1.1' });
      assert.equal(only(put.flows, point('TO_PROXY')).length, 1, 'the request is redirected to the proxy');
      assert.equal(only(put.flows, point('TO_ENDPOINT')).length, 0, 'Envoy answered: nothing reaches the pod');

      const get = await curl({ cluster: 'k8s-cilium-01', from: `default/${xwing.name}`, url: `http://${target.ip}/` });
      assert.equal(get.out[0]!.httpStatus, 200);
      await wellFormed(get.flows);
      const [request, response] = only(get.flows, (f) => f.Type === 'L7');
      assert.deepEqual([request!.flow.verdict, response!.flow.verdict, response!.flow.l7!.http!.code], ['FORWARDED', 'FORWARDED', 200]);
      assert.ok(Number(response!.flow.l7!.latency_ns) > 0);
      assert.equal(only(get.flows, (f) => point('TO_ENDPOINT')(f) && f.is_reply === false).length, 1);

      // httpV2: one count per response, reporter server (an ingress rule: Envoy at the destination)
      const text = (await scrape()).body;
      const http = (t: string, method: string, status: string) => counter(t, 'hubble_http_requests_total', { method, protocol: 'HTTP/1.1', status, reporter: 'server', cluster: 'k8s-cilium-01' });
      assert.equal(http(text, 'PUT', '403') - http(before, 'PUT', '403'), 1);
      assert.equal(http(text, 'GET', '200') - http(before, 'GET', '200'), 1);
      const family = parsePrometheusTextFormat(text).find((f) => f.name === 'hubble_http_request_duration_seconds');
      assert.equal(family?.type, 'HISTOGRAM');
    } finally {
      await k('k8s-cilium-01', ['delete', 'ciliumnetworkpolicy', 'rebel-base-get-only']);
    }
  });

  it('records the flows of `kubectl exec … curl` in a lab pod too', async () => {
    const xwing = await pod('k8s-cilium-01', 'name=x-wing');
    const flows: FlowRecord[] = [];
    const unsubscribe = lab.lab.flows.subscribe((r) => flows.push(r));
    try {
      await k('k8s-cilium-01', ['exec', xwing.name, '--', 'curl', '-s', 'rebel-base', 'rebel-base', 'rebel-base']);
    } finally {
      unsubscribe();
    }
    const arrivals = only(flows, (f) => point('TO_ENDPOINT')(f) && f.is_reply === false);
    assert.equal(arrivals.length, 3);
    for (const r of arrivals) assert.deepEqual([r.flow.source!.pod_name, r.flow.destination_service], [xwing.name, { name: 'rebel-base', namespace: 'default' }]);
  });

  it('counts every flow in /metrics by type, subtype and verdict, per cluster, parsed as Prometheus text', async () => {
    const before = (await scrape()).body;
    const xwing = await pod('k8s-cilium-01', 'name=x-wing');
    const { out } = await curl({ cluster: 'k8s-cilium-01', from: `default/${xwing.name}`, url: 'http://rebel-base/', count: 30, seed: 3 });
    const text = (await scrape()).body;
    const delta = (cluster: string) => counter(text, 'hubble_flows_processed_total', { type: 'Trace', subtype: 'to-endpoint', verdict: 'FORWARDED', cluster }) - counter(before, 'hubble_flows_processed_total', { type: 'Trace', subtype: 'to-endpoint', verdict: 'FORWARDED', cluster });
    const toTwo = out.filter((o) => o.backend?.cluster === 'k8s-cilium-02').length;
    // every request arrives at its backend's node; every reply arrives at x-wing's node in cluster 1
    assert.equal(delta('k8s-cilium-02'), toTwo);
    assert.equal(delta('k8s-cilium-01'), 30 - toTwo + 30);
    const overlay = counter(text, 'hubble_flows_processed_total', { type: 'Trace', subtype: 'to-overlay', verdict: 'FORWARDED', cluster: 'k8s-cilium-01' }) - counter(before, 'hubble_flows_processed_total', { type: 'Trace', subtype: 'to-overlay', verdict: 'FORWARDED', cluster: 'k8s-cilium-01' });
    assert.ok(overlay >= toTwo, 'requests to cluster 2 leave through the overlay');
    assert.equal(parsePrometheusTextFormat(text).find((f) => f.name === 'hubble_flows_processed_total')?.type, 'COUNTER');
  });

  it('serves /metrics only to Host 127.0.0.1 or localhost (no DNS rebinding), on its own port', async () => {
    const url = new URL(lab.lab.metrics!.url);
    assert.equal(url.hostname, '127.0.0.1');
    assert.ok(!lab.lab.clusters.some((c) => String(c.port) === url.port));
    assert.equal((await scrape()).status, 200);
    assert.equal((await scrape(`localhost:${url.port}`)).status, 200);
    const rebound = await scrape(`evil.example:${url.port}`);
    assert.equal(rebound.status, 403);
    assert.match(rebound.body, /Host evil\.example:\d+ is not accepted/);
  });

  it('`lab traffic` sends a bounded load through the lab, one batch a second, records its flows and sums the answers up', async () => {
    // the CLI finds a running lab by its lab.json and pki folder: point a folder of its own at this test's lab
    const cwd = mkdtempSync(join(tmpdir(), 'mw-traffic-'));
    try {
      const pki = await testPki();
      const dir = join(cwd, '.meshwright/lab');
      mkdirSync(join(dir, 'pki'), { recursive: true });
      const files: Record<string, string> = { 'ca.crt': pki.caPem, 'ca.key': '', 'server.crt': pki.serverCertPem, 'server.key': pki.serverKeyPem, 'client.crt': pki.clientCertPem, 'client.key': pki.clientKeyPem };
      for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, 'pki', f), text, { mode: 0o600 });
      // this test process is the "lab process" (its command line names test/lab/…)
      const clusters = lab.lab.clusters.map((c) => ({ name: c.name, port: c.port, server: `https://127.0.0.1:${c.port}` }));
      writeFileSync(join(dir, 'lab.json'), JSON.stringify({ apiVersion: 'meshwright/v1alpha1', kind: 'LabState', simulated: true, pid: process.pid, platform: { name: 'cilium-lab', file: 'platform.yaml' }, clusters, kubeconfig: lab.kubeconfig, startedAt: new Date().toISOString() }));
      const xwing = await pod('k8s-cilium-01', 'name=x-wing');
      const flows: FlowRecord[] = [];
      const unsubscribe = lab.lab.flows.subscribe((r) => flows.push(r));
      const started = Date.now();
      const r = await cli(['lab', 'traffic', '--rate', '40', '--duration', '2s', '--context', 'k8s-cilium-01', '--from', `default/${xwing.name}`, '--seed', '9', '-o', 'json', 'http://rebel-base/'], { cwd });
      unsubscribe();
      assert.equal(r.code, 0, r.stderr);
      assert.ok(Date.now() - started >= 1000, 'the second batch waits for its second');
      const data = JSON.parse(r.stdout);
      assert.deepEqual([data.kind, data.simulated, data.rate, data.durationSeconds, data.limits], ['LabTraffic', true, 40, 2, { maxRate: 1000, maxDurationSeconds: 300 }]);
      assert.equal(data.summary.requests, 80);
      assert.deepEqual(data.summary.outcomes, { 'HTTP 200': 80 });
      assert.deepEqual(Object.keys(data.summary.clusters), ['k8s-cilium-01', 'k8s-cilium-02'], 'the global service answers from both clusters');
      assert.equal(data.summary.clusters['k8s-cilium-01'] + data.summary.clusters['k8s-cilium-02'], 80);
      const arrivals = only(flows, (f) => point('TO_ENDPOINT')(f) && f.is_reply === false);
      assert.equal(arrivals.length, 80, 'every request of the load is recorded as flows');
      assert.equal(arrivals.filter((a) => a.flow.destination!.cluster_name === 'k8s-cilium-02').length, data.summary.clusters['k8s-cilium-02']);

      const table = await cli(['lab', 'traffic', '--rate', '5', '--duration', '1s', '--seed', '9', 'http://rebel-base/', 'http://no-such-service/'], { cwd });
      assert.equal(table.code, 0, table.stderr);
      assert.match(table.stdout, /^meshwright lab traffic \(simulated\): 5 requests in 1\.0s/);
      assert.match(table.stdout, /curl exit 6\s+2\s+40\.0%/, 'two of five go to the name nobody serves: curl exit 6');
      assert.match(table.stdout, /HTTP 200\s+3\s+60\.0%/);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
