import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { memoryIO } from '../../src/cli/io.js';
import { runPlan } from '../../src/cli/plan.js';
import { REPO_ROOT } from '../helpers/golden.js';

const LAB = 'examples/reference-lab/platform.yaml';
const DEMO = 'test/fixtures/manifests/clustermesh-demo';
const PLAN = 'test/fixtures/manifests/plan';
const NOTEBOOK_DEMO = [`k8s-cilium-01=${DEMO}/cluster1.yaml`, `k8s-cilium-02=${DEMO}/cluster2.yaml`, `${DEMO}/global-service-example.yaml`];

function plan(file: string, filename: string[], extra: { ready?: string[]; whatIf?: string[]; platformManifests?: boolean } = {}) {
  const io = memoryIO({}, REPO_ROOT);
  const p = runPlan(io, file, { filename, ready: extra.ready ?? [], whatIf: extra.whatIf ?? [], output: 'json', platformManifests: extra.platformManifests ?? false }, false);
  return { plan: p, stderr: io.err.join('') };
}

function shares(p: ReturnType<typeof plan>['plan'], service: string, client: string): Record<string, number> {
  const g = p.globalServices.find((x) => `${x.namespace}/${x.name}` === service && x.client === client);
  assert.ok(g, `no prediction for ${service} from ${client}`);
  return g.share;
}

describe('plan: the reference lab as the notebook saw it', () => {
  const { plan: p } = plan(LAB, NOTEBOOK_DEMO);

  test('LoadBalancer IPs: ingress .101 and clustermesh-apiserver .102 in cluster 1; .105 and .106 in cluster 2', () => {
    assert.deepEqual(p.loadBalancers, [
      { cluster: 'k8s-cilium-01', namespace: 'kube-system', name: 'cilium-ingress', ip: '172.26.0.101' },
      { cluster: 'k8s-cilium-01', namespace: 'kube-system', name: 'clustermesh-apiserver', ip: '172.26.0.102' },
      { cluster: 'k8s-cilium-02', namespace: 'kube-system', name: 'cilium-ingress', ip: '172.26.0.105' },
      { cluster: 'k8s-cilium-02', namespace: 'kube-system', name: 'clustermesh-apiserver', ip: '172.26.0.106' },
    ]);
  });

  test('kubectl get ippools: pool-ilba with 1 IP available once the ingress took one, 0 after the mesh', () => {
    assert.deepEqual(p.pools.map((s) => [s.cluster, s.stage, s.pool.name, s.pool.disabled, s.pool.conflicting, s.pool.available]), [
      ['k8s-cilium-01', 'cilium installed', 'pool-ilba', false, false, 1],
      ['k8s-cilium-01', 'clustermesh enabled', 'pool-ilba', false, false, 0],
      ['k8s-cilium-02', 'cilium installed', 'pool-ilba', false, false, 1],
      ['k8s-cilium-02', 'clustermesh enabled', 'pool-ilba', false, false, 0],
    ]);
  });

  test('cilium clustermesh status: the text the notebook recorded, line for line', () => {
    const notebook = readFileSync(join(REPO_ROOT, '..', 'shared', 'reference-lab', 'seed-notes.md'), 'utf8');
    for (const cluster of ['k8s-cilium-01', 'k8s-cilium-02']) {
      const marker = `cilium clustermesh status --context ${cluster}\n✅`;
      const start = notebook.indexOf(marker);
      assert.ok(start > 0, `the notebook has no status for ${cluster}`);
      const block = notebook.slice(start + marker.length - 1, notebook.indexOf('```', start)).trimEnd().split('\n');
      const predicted = p.clustermesh.clusters.find((c) => c.cluster === cluster)!.expectedStatus;
      assert.deepEqual(predicted, block);
    }
  });

  test('per-node pod CIDRs in node order, identity ranges by cluster ID, API address', () => {
    const c1 = p.clusters[0]!;
    assert.deepEqual(c1.ipam.nodes.map((n) => [n.node, n.podCIDR]), [['k8s-cilium-01-cp', '10.1.0.0/24'], ['k8s-cilium-01-wk01', '10.1.1.0/24']]);
    assert.equal(c1.ipam.slices, 256);
    assert.equal(c1.ipam.nodes[0]!.podIPs, 252);
    assert.deepEqual(c1.identities, { first: 65536, last: 131071, size: 65536 });
    assert.equal(p.clusters[1]!.identities.first, 131072);
    assert.equal(c1.apiServer, 'https://172.26.0.141:6443');
  });

  test('rebel-base: from each cluster half the requests answer Cluster-1 and half Cluster-2', () => {
    assert.deepEqual(shares(p, 'default/rebel-base', 'k8s-cilium-01'), { 'k8s-cilium-01': 0.5, 'k8s-cilium-02': 0.5 });
    assert.deepEqual(shares(p, 'default/rebel-base', 'k8s-cilium-02'), { 'k8s-cilium-02': 0.5, 'k8s-cilium-01': 0.5 });
  });

  test('network requirements between the clusters', () => {
    assert.deepEqual(p.network.requirements.map((r) => `${r.port}/${r.protocol}`), ['2379/TCP', '2379/TCP', '4240/TCP', '8472/UDP']);
    assert.equal(p.network.routingMode, 'tunnel (vxlan)');
  });
});

describe("plan: meshwright's own manifests", () => {
  test('without -f, the rendered global-service demo plans as the notebook observed', () => {
    const { plan: p } = plan(LAB, [], { platformManifests: true });
    assert.deepEqual(shares(p, 'default/rebel-base', 'k8s-cilium-01'), { 'k8s-cilium-01': 0.5, 'k8s-cilium-02': 0.5 });
    assert.equal(p.clustermesh.clusters[0]!.globalServices, 2);
  });

  test('the notebook\'s own demo files replace the rendered ones instead of doubling the backends', () => {
    const { plan: p } = plan(LAB, NOTEBOOK_DEMO, { platformManifests: true });
    const g = p.globalServices.find((x) => x.name === 'rebel-base' && x.client === 'k8s-cilium-01')!;
    assert.deepEqual(g.backends, { 'k8s-cilium-01': 2, 'k8s-cilium-02': 2 });
  });

  test('dedicated ingress mode: the Ingress gets its own pinned VIP', () => {
    const { plan: p } = plan('test/fixtures/platforms-valid/three-clusters.yaml', [], { platformManifests: true });
    assert.deepEqual(p.loadBalancers.filter((l) => l.cluster === 'eu-west').map((l) => [l.namespace, l.name, l.ip]), [
      ['kube-system', 'cilium-ingress', '192.168.10.200'],
      ['test-ingress', 'cilium-ingress-app-ilba-ingress', '192.168.10.201'],
      ['kube-system', 'clustermesh-apiserver', '192.168.10.202'],
    ]);
  });
});

describe('plan: global-service controls', () => {
  test('affinity local: every request stays in the client\'s cluster', () => {
    const { plan: p } = plan(LAB, [`${PLAN}/checkout-local-affinity.yaml`]);
    assert.deepEqual(shares(p, 'shop/checkout', 'k8s-cilium-01'), { 'k8s-cilium-01': 1 });
    assert.deepEqual(shares(p, 'shop/checkout', 'k8s-cilium-02'), { 'k8s-cilium-02': 1 });
  });

  test('affinity local with no ready local backend falls over to the other cluster', () => {
    const { plan: p } = plan(LAB, [`${PLAN}/checkout-local-affinity.yaml`], { ready: ['k8s-cilium-01=0'] });
    assert.deepEqual(shares(p, 'shop/checkout', 'k8s-cilium-01'), { 'k8s-cilium-02': 1 });
    assert.match(p.globalServices.find((g) => g.client === 'k8s-cilium-01')!.note!, /falls over/);
  });

  test('affinity remote: requests go to the other cluster while it has ready backends', () => {
    const { plan: p } = plan(LAB, [`${PLAN}/checkout-remote-affinity.yaml`]);
    assert.deepEqual(shares(p, 'shop/checkout', 'k8s-cilium-01'), { 'k8s-cilium-02': 1 });
    const down = plan(LAB, [`${PLAN}/checkout-remote-affinity.yaml`], { whatIf: ['cluster k8s-cilium-02 down'] }).plan;
    assert.deepEqual(shares(down, 'shop/checkout', 'k8s-cilium-01'), { 'k8s-cilium-01': 1 });
  });

  test('shared=false in cluster 1: it keeps its backends to itself but still reaches cluster 2', () => {
    const { plan: p } = plan(LAB, [`k8s-cilium-01=${DEMO}/cluster1.yaml`, `k8s-cilium-02=${DEMO}/cluster2.yaml`, `k8s-cilium-01=${PLAN}/rebel-base-not-shared.yaml`, `k8s-cilium-02=${DEMO}/global-service-example.yaml`]);
    assert.deepEqual(shares(p, 'default/rebel-base', 'k8s-cilium-01'), { 'k8s-cilium-01': 0.5, 'k8s-cilium-02': 0.5 });
    assert.deepEqual(shares(p, 'default/rebel-base', 'k8s-cilium-02'), { 'k8s-cilium-02': 1 });
  });

  test("what-if a cluster is down: global shares move, it is no client, and no other cluster's local service changes", () => {
    const files = [...NOTEBOOK_DEMO, `${PLAN}/ledger-local-only.yaml`];
    const before = plan(LAB, files).plan;
    const after = plan(LAB, files, { whatIf: ['cluster k8s-cilium-02 down'] }).plan;
    assert.deepEqual(shares(after, 'default/rebel-base', 'k8s-cilium-01'), { 'k8s-cilium-01': 1 });
    assert.deepEqual(after.globalServices.filter((g) => g.client === 'k8s-cilium-02'), [], 'a cluster that is down sends no requests');
    const ledger = (p: typeof before, c: string) => p.globalServices.find((g) => g.name === 'ledger' && g.client === c);
    assert.deepEqual(ledger(after, 'k8s-cilium-01'), ledger(before, 'k8s-cilium-01'), 'cluster 1\'s local service is untouched');
    assert.deepEqual(ledger(before, 'k8s-cilium-01')!.share, { 'k8s-cilium-01': 1 });
  });

  test('mesh off: global annotations change nothing, every request stays local', () => {
    const { plan: p } = plan('test/fixtures/platforms-valid/mesh-off-two-clusters.yaml', [`${DEMO}/cluster1.yaml`, `${DEMO}/global-service-example.yaml`]);
    assert.deepEqual(shares(p, 'default/rebel-base', 'site-a'), { 'site-a': 1 });
    assert.equal(p.globalServices.find((g) => g.name === 'rebel-base')!.global, false);
    assert.deepEqual(p.clustermesh.clusters, []);
  });

  test('three clusters with equal replicas: a third of the requests each', () => {
    const { plan: p } = plan('test/fixtures/platforms-valid/three-clusters.yaml', [`${DEMO}/cluster1.yaml`, `${DEMO}/global-service-example.yaml`]);
    const s = shares(p, 'default/rebel-base', 'eu-west');
    assert.deepEqual(Object.keys(s).sort(), ['eu-central', 'eu-west', 'us-east']);
    for (const v of Object.values(s)) assert.ok(Math.abs(v - 1 / 3) < 1e-9);
  });
});

describe('plan: LB IPAM and bad input', () => {
  test('pool exhaustion: the Service that finds no IP stays pending, as LB IPAM would', () => {
    const { plan: p } = plan('test/fixtures/platforms-valid/reference-lab-three-vips.yaml', [`k8s-cilium-01=${PLAN}/load-balancers.yaml`]);
    const c1 = p.loadBalancers.filter((l) => l.cluster === 'k8s-cilium-01');
    assert.deepEqual(c1.map((l) => [l.name, l.ip]), [['cilium-ingress', '172.26.0.101'], ['clustermesh-apiserver', '172.26.0.102'], ['storefront', '172.26.0.103'], ['payments-api', null]]);
    assert.deepEqual(p.pending.map((x) => [x.name, x.reason]), [['payments-api', 'out_of_ips']]);
    assert.equal(p.pools.find((s) => s.cluster === 'k8s-cilium-01' && s.stage === 'manifests applied')!.pool.available, 0);
  });

  test('a sharing key puts web-http and web-https on .103; metrics clashes on port 80 and finds no VIP left; the NLB one is not LB IPAM\'s', () => {
    const { plan: p } = plan('test/fixtures/platforms-valid/reference-lab-three-vips.yaml', [`k8s-cilium-01=${PLAN}/lb-sharing.yaml`]);
    const c1 = p.loadBalancers.filter((l) => l.cluster === 'k8s-cilium-01' && l.namespace === 'edge');
    assert.deepEqual(c1.map((l) => [l.name, l.ip, l.sharedWith ?? []]), [['web-http', '172.26.0.103', ['edge/web-https']], ['web-https', '172.26.0.103', ['edge/web-http']], ['metrics', null, []]]);
    assert.deepEqual(p.pending.map((x) => [x.name, x.reason]), [['metrics', 'out_of_ips']]);
    assert.equal(p.pools.find((s) => s.cluster === 'k8s-cilium-01' && s.stage === 'manifests applied')!.pool.available, 0);
  });

  test('across namespaces: edge/gw and shop/api allow each other and share .103; shop/metrics does not and finds none left', () => {
    const { plan: p } = plan('test/fixtures/platforms-valid/reference-lab-three-vips.yaml', [`k8s-cilium-01=${PLAN}/lb-sharing-cross.yaml`]);
    const mine = p.loadBalancers.filter((l) => l.cluster === 'k8s-cilium-01' && l.namespace !== 'kube-system');
    assert.deepEqual(mine.map((l) => [`${l.namespace}/${l.name}`, l.ip]), [['edge/gw', '172.26.0.103'], ['shop/api', '172.26.0.103'], ['shop/metrics', null]]);
  });

  test('dedicated ingress mode: a VIP for each Ingress of class cilium, none for the shared one or another class', () => {
    const { plan: p } = plan('test/fixtures/platforms-valid/three-clusters.yaml', [`eu-west=${PLAN}/ingresses.yaml`], { platformManifests: true });
    assert.deepEqual(p.loadBalancers.filter((l) => l.cluster === 'eu-west' && l.namespace === 'shop').map((l) => [l.name, l.ip]), [['cilium-ingress-shop', '192.168.10.203'], ['cilium-ingress-legacy', '192.168.10.204']]);
    const shared = plan('test/fixtures/platforms-valid/reference-lab-three-vips.yaml', [`k8s-cilium-01=${PLAN}/ingresses.yaml`]).plan;
    assert.deepEqual(shared.loadBalancers.filter((l) => l.namespace === 'shop'), [], 'in shared mode every Ingress uses cilium-ingress');
  });

  test('an affinity Cilium does not know gets a positioned warning with the allowed values', () => {
    const { plan: p, stderr } = plan(LAB, [`${PLAN}/affinity-typo.yaml`]);
    assert.equal(p.warnings.length, 1);
    const w = p.warnings[0]!;
    assert.equal(w.code, 'ANNOTATION_VALUE');
    assert.equal(w.file, `${PLAN}/affinity-typo.yaml`);
    assert.deepEqual(w.start, { line: 8, column: 33 });
    assert.match(w.hint!, /local, remote, none/);
    assert.match(stderr, /affinity-typo\.yaml:8:33: warning\[ANNOTATION_VALUE\]: .*silently treats it as "none"/);
  });

  test('headless global services and the endpoint-slice sync annotation are explained, not silently wrong', () => {
    const { plan: p } = plan(LAB, [...NOTEBOOK_DEMO.slice(0, 2), `${PLAN}/endpoint-slice-sync.yaml`, `${DEMO}/global-service-example.yaml`]);
    const headless = p.globalServices.find((g) => g.name === 'rebel-base-headless' && g.client === 'k8s-cilium-01')!;
    assert.deepEqual(headless.share, { 'k8s-cilium-01': 1 });
    assert.match(headless.note!, /not load-balanced by Cilium/);
    const synced = plan(LAB, [...NOTEBOOK_DEMO.slice(0, 2), `${PLAN}/endpoint-slice-sync.yaml`]).plan;
    assert.match(synced.globalServices.find((g) => g.name === 'rebel-base')!.note!, /global-sync-endpoint-slices has no effect/);
  });

  test('an unquoted true in an annotation is a positioned warning: the API server would refuse it', () => {
    const { plan: p } = plan(LAB, [`${PLAN}/unquoted-global.yaml`]);
    assert.deepEqual(p.warnings.map((w) => [w.code, w.start?.line, w.start?.column]), [['ANNOTATION_VALUE', 7, 31]]);
    assert.match(p.warnings[0]!.message, /is not a string; the API server refuses this object/);
  });

  test('MCS-API objects are reported as not modelled', () => {
    const { plan: p } = plan(LAB, [`${PLAN}/mcs-export.yaml`]);
    assert.deepEqual(p.notModelled.map((n) => [n.kind, n.name]), [['ServiceExport', 'checkout']]);
  });
});
