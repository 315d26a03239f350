/**
 * Plans made from a live cluster's objects show the backends and shares that cluster really
 * has. Expected numbers worked out by hand: Cilium picks a global service's backends with equal
 * weight over every ready backend it knows (clustermesh/services.rst), so a client's share of a
 * cluster is that cluster's ready backends over all ready backends it reaches.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { memoryIO } from '../../src/cli/io.js';
import { runPlan } from '../../src/cli/plan.js';
import { REPO_ROOT } from '../helpers/golden.js';

const LAB = 'examples/reference-lab/platform.yaml';
const LIVE = 'test/fixtures/live';
const DEMO = 'test/fixtures/manifests/clustermesh-demo';
const SETS = 'test/fixtures/manifests/global-sets';

function plan(file: string, filename: string[], extra: { ready?: string[]; whatIf?: string[]; platformManifests?: boolean; stdin?: string } = {}) {
  const io = memoryIO({}, REPO_ROOT, () => new Date(), extra.stdin ?? '');
  const p = runPlan(io, file, { filename, ready: extra.ready ?? [], whatIf: extra.whatIf ?? [], output: 'json', platformManifests: extra.platformManifests ?? false }, false);
  return { plan: p, stderr: io.err.join('') };
}

const row = (p: ReturnType<typeof plan>['plan'], service: string, client: string) => {
  const g = p.globalServices.find((x) => `${x.namespace}/${x.name}` === service && x.client === client);
  assert.ok(g, `no prediction for ${service} from ${client}`);
  return g;
};

describe('plan on live snapshots', () => {
  const snapshot = [`k8s-cilium-01=${LIVE}/cluster1-rebel-base.yaml`, `k8s-cilium-02=${LIVE}/cluster2-pods.yaml`, `k8s-cilium-02=${DEMO}/global-service-example.yaml`];

  test('cluster 1 lists its Deployment, ReplicaSet and 2 pods: 2 backends, not 4', () => {
    assert.equal(row(plan(LAB, snapshot).plan, 'default/rebel-base', 'k8s-cilium-01').backends['k8s-cilium-01'], 2);
  });

  test('cluster 2 has 5 pods of which 1 is ready: 2 + 1 backends, shares 2/3 and 1/3 from both sides', () => {
    const p = plan(LAB, snapshot).plan;
    for (const client of ['k8s-cilium-01', 'k8s-cilium-02']) {
      const g = row(p, 'default/rebel-base', client);
      assert.deepEqual(g.backends, client === 'k8s-cilium-01' ? { 'k8s-cilium-01': 2, 'k8s-cilium-02': 1 } : { 'k8s-cilium-02': 1, 'k8s-cilium-01': 2 });
      assert.ok(Math.abs(g.share['k8s-cilium-01']! - 2 / 3) < 1e-9 && Math.abs(g.share['k8s-cilium-02']! - 1 / 3) < 1e-9, JSON.stringify(g.share));
    }
  });

  test('Deployments given with their status only (kubectl get deploy -o json): readyReplicas are the backends', () => {
    const p = plan(LAB, [`k8s-cilium-02=${LIVE}/cluster2-deployments.json`, `k8s-cilium-01=${LIVE}/cluster1-rebel-base.yaml`]).plan;
    assert.deepEqual(row(p, 'default/rebel-base', 'k8s-cilium-01').backends, { 'k8s-cilium-01': 2, 'k8s-cilium-02': 1 });
    assert.deepEqual(row(p, 'default/x-wing', 'k8s-cilium-02').share, {}, 'x-wing has no ready replica');
  });

  test('-f - reads the snapshot from standard input', () => {
    const stdin = readFileSync(`${REPO_ROOT}/${LIVE}/cluster1-rebel-base.yaml`, 'utf8');
    const p = plan(LAB, ['k8s-cilium-01=-', `k8s-cilium-02=${DEMO}/cluster2.yaml`, `k8s-cilium-02=${DEMO}/global-service-example.yaml`], { stdin }).plan;
    assert.deepEqual(row(p, 'default/rebel-base', 'k8s-cilium-01').backends, { 'k8s-cilium-01': 2, 'k8s-cilium-02': 2 });
  });
});

describe('DaemonSets and taints in the plan', () => {
  test('a DaemonSet behind a global Service: one backend per worker, the tainted control plane left out', () => {
    const ds = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: edge-proxy, namespace: default}
spec:
  selector: {matchLabels: {app: edge-proxy}}
  template:
    metadata: {labels: {app: edge-proxy}}
    spec: {containers: [{name: envoy, image: envoyproxy/envoy:v1.31.2}]}
---
apiVersion: v1
kind: Service
metadata: {name: edge-proxy, namespace: default, annotations: {service.cilium.io/global: "true"}}
spec: {selector: {app: edge-proxy}, ports: [{port: 80}]}
`;
    // eu-west: 3 tainted control planes, 2 workers; eu-central: 1 + 1; us-east: 1 + 2.
    const p = plan('test/fixtures/platforms-valid/three-clusters.yaml', ['-'], { stdin: ds }).plan;
    assert.deepEqual(row(p, 'default/edge-proxy', 'eu-west').backends, { 'eu-west': 2, 'eu-central': 1, 'us-east': 2 });
    const tolerated = plan('test/fixtures/platforms-valid/three-clusters.yaml', ['-'], { stdin: ds.replace('    spec: {containers', '    spec: {tolerations: [{operator: Exists}], containers') }).plan;
    assert.deepEqual(row(tolerated, 'default/edge-proxy', 'eu-west').backends, { 'eu-west': 5, 'eu-central': 2, 'us-east': 3 });
  });
});

describe('cilium clustermesh status: Global services counts what remote clusters export', () => {
  const files = [`eu-west=${SETS}/eu-west.yaml`, `eu-central=${SETS}/eu-central.yaml`, `us-east=${SETS}/us-east.yaml`];

  test('clusters with different sets of global services: 4, 5 and 4, not their own 4, 3 and 3', () => {
    // eu-west sees eu-central's cart, pricing (its search is not shared) and us-east's cart, audit, legacy: 4.
    // eu-central sees eu-west's cart, search, catalog-headless (ledger is not shared) and us-east's three: 5.
    // us-east sees cart, search, catalog-headless, pricing: 4.
    const p = plan('test/fixtures/platforms-valid/three-clusters.yaml', files).plan;
    const lines = p.clustermesh.clusters.map((c) => [c.cluster, c.globalServices, c.expectedStatus.find((l) => l.startsWith('🔀'))]);
    assert.deepEqual(lines, [
      ['eu-west', 4, '🔀 Global services: [ min:4 / avg:4.0 / max:4 ]'],
      ['eu-central', 5, '🔀 Global services: [ min:5 / avg:5.0 / max:5 ]'],
      ['us-east', 4, '🔀 Global services: [ min:4 / avg:4.0 / max:4 ]'],
    ]);
  });

  test('shared: "false" keeps a cluster\'s own backends home, while it still reaches the others', () => {
    const p = plan('test/fixtures/platforms-valid/three-clusters.yaml', files).plan;
    assert.deepEqual(Object.keys(row(p, 'shop/search', 'eu-central').backends), ['eu-central', 'eu-west']);
    assert.deepEqual(Object.keys(row(p, 'shop/search', 'eu-west').backends), ['eu-west'], 'eu-central does not export its search');
  });
});

describe("--what-if 'cluster X down'", () => {
  test('X is no client, and the other clusters\' status says X is not connected (KVStoreMesh)', () => {
    const p = plan(LAB, [], { platformManifests: true, whatIf: ['cluster k8s-cilium-02 down'] }).plan;
    assert.deepEqual([...new Set(p.globalServices.map((g) => g.client))], ['k8s-cilium-01']);
    const [c1, c2] = p.clustermesh.clusters;
    assert.equal(c2!.down, true);
    assert.deepEqual(c2!.expectedStatus, []);
    assert.ok(c1!.expectedStatus.includes('⚠️  1/1 KVStoreMesh replicas are not connected to all clusters [min:0 / avg:0.0 / max:0]'));
    assert.ok(c1!.expectedStatus.includes('  - k8s-cilium-02: 2/2 configured, 2/2 connected - KVStoreMesh: 1/1 configured, 0/1 connected'));
    assert.ok(c1!.expectedStatus.includes('❌ 1 Errors:'));
    assert.ok(!c1!.expectedStatus.some((l) => l.includes('✅ All 1 KVStoreMesh')));
    assert.equal(row(p, 'default/rebel-base', 'k8s-cilium-01').note, "with k8s-cilium-02 down its backends there are counted as gone; agents keep a disconnected cluster's services until its clustermesh configuration is removed (cilium pkg/clustermesh/remote_cluster.go Remove), so until then some requests may still be sent there");
  });

  test('without KVStoreMesh every agent loses the cluster: n/n nodes not connected, one error per node', () => {
    const p = plan('test/fixtures/platforms-valid/nodeport-511.yaml', [], { whatIf: ['cluster dc-301 down'] }).plan;
    const status = p.clustermesh.clusters.find((c) => c.cluster === 'dc-300')!.expectedStatus;
    assert.ok(status.includes('⚠️  1/1 nodes are not connected to all clusters [min:0 / avg:0.0 / max:0]'), status.join('\n'));
    assert.ok(status.includes('  - dc-301: 1/1 configured, 0/1 connected'));
    assert.deepEqual(status.filter((l) => l.startsWith('  ❌')), ['  ❌ cilium-<pod> is not connected to cluster dc-301: <etcd status>']);
  });
});

describe('refused as written, planned as meant, and marked', () => {
  test('an unquoted service.cilium.io/global: true: planned global, the row depends on quoting it', () => {
    const { plan: p, stderr } = plan(LAB, [`${DEMO}/cluster1.yaml`, 'test/fixtures/manifests/plan/unquoted-global.yaml']);
    const g = row(p, 'default/rebel-base', 'k8s-cilium-01');
    assert.equal(g.global, true);
    assert.deepEqual(g.share, { 'k8s-cilium-01': 0.5, 'k8s-cilium-02': 0.5 });
    assert.deepEqual(g.dependsOn, ['test/fixtures/manifests/plan/unquoted-global.yaml:7:31: quote it: "true"']);
    assert.match(stderr, /unquoted-global\.yaml:7:31: warning\[ANNOTATION_VALUE\]: service\.cilium\.io\/global: true is not a string; the API server refuses this object .*Read as "true"/);
  });

  test('kind: Deploymnet with replicas: "3": 3 backends, both fixes on the row', () => {
    const stdin = `apiVersion: apps/v1
kind: Deploymnet
metadata: {name: echo, namespace: default}
spec:
  replicas: "3"
  template:
    metadata: {labels: {app: echo}}
    spec: {containers: [{name: echo, image: hashicorp/http-echo:1.0, ports: [{containerPort: "5678"}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: echo, namespace: default}
spec: {selector: {app: echo}, ports: [{port: 80, targetPort: 5678}]}
`;
    const { plan: p, stderr } = plan(LAB, ['k8s-cilium-01=-'], { stdin });
    const g = row(p, 'default/echo', 'k8s-cilium-01');
    assert.deepEqual(g.backends, { 'k8s-cilium-01': 3 });
    assert.deepEqual(g.dependsOn, ['<stdin>:2:7: did you mean Deployment? write kind: Deployment', '<stdin>:5:13: write 3 without quotes', '<stdin>:8:94: write 5678 without quotes']);
    assert.match(stderr, /<stdin>:2:7: warning\[UNKNOWN_KIND\]: kind Deploymnet does not exist/);
  });
});

describe('--ready', () => {
  test('above the ready backends: counted as they are, with a warning', () => {
    const { plan: p, stderr } = plan(LAB, [], { platformManifests: true, ready: ['k8s-cilium-01/default/rebel-base=5'] });
    assert.equal(row(p, 'default/rebel-base', 'k8s-cilium-01').backends['k8s-cilium-01'], 2);
    assert.match(stderr, /warning\[READY_ABOVE_BACKENDS\]: --ready k8s-cilium-01\/default\/rebel-base=5: default\/rebel-base has 2 ready backends in k8s-cilium-01; 2 are counted\n  hint: --ready can only take backends away \(a what-if of failures\); scale the workload to add some/);
    const one = plan(LAB, [`k8s-cilium-01=${LIVE}/cluster2-pods.yaml`, `${DEMO}/global-service-example.yaml`], { ready: ['k8s-cilium-01/default/rebel-base=3'] }).stderr;
    assert.match(one, /default\/rebel-base has 1 ready backend in k8s-cilium-01; 1 is counted/);
  });

  test('a per-service --ready wins over a cluster-wide one, in either order', () => {
    for (const ready of [['k8s-cilium-01=0', 'k8s-cilium-01/default/rebel-base=1'], ['k8s-cilium-01/default/rebel-base=1', 'k8s-cilium-01=0']]) {
      assert.equal(row(plan(LAB, [], { platformManifests: true, ready }).plan, 'default/rebel-base', 'k8s-cilium-01').backends['k8s-cilium-01'], 1, ready.join(' '));
    }
  });
});

describe('which fixes a row rests on', () => {
  const nonGlobal = 'apiVersion: v1\nkind: Service\nmetadata: {name: rebel-base, namespace: default}\nspec: {selector: {name: rebel-base}, ports: [{port: 80}]}\n';

  test("cluster 2's copy unquoted: cluster 1's row rests on it too, since it reaches cluster 2's backends", () => {
    const p = plan(LAB, [`${DEMO}/cluster1.yaml`, `k8s-cilium-01=${DEMO}/global-service-example.yaml`, 'k8s-cilium-02=test/fixtures/manifests/plan/unquoted-global.yaml']).plan;
    const fix = ['test/fixtures/manifests/plan/unquoted-global.yaml:7:31: quote it: "true"'];
    assert.deepEqual(row(p, 'default/rebel-base', 'k8s-cilium-01').dependsOn, fix);
    assert.deepEqual(row(p, 'default/rebel-base', 'k8s-cilium-02').dependsOn, fix);
  });

  test('a cluster whose own copy is not global reaches no other cluster: none of their fixes', () => {
    const p = plan(LAB, [`${DEMO}/cluster1.yaml`, 'k8s-cilium-01=-', 'k8s-cilium-02=test/fixtures/manifests/plan/unquoted-global.yaml'], { stdin: nonGlobal }).plan;
    assert.equal(row(p, 'default/rebel-base', 'k8s-cilium-01').dependsOn, undefined);
    assert.deepEqual(row(p, 'default/rebel-base', 'k8s-cilium-01').share, { 'k8s-cilium-01': 1 });
  });

  test('a note of its own and the what-if note, joined', () => {
    const p = plan(LAB, ['test/fixtures/manifests/plan/checkout-local-affinity.yaml'], { ready: ['k8s-cilium-01=0'], whatIf: ['cluster k8s-cilium-02 down'] }).plan;
    assert.match(row(p, 'shop/checkout', 'k8s-cilium-01').note!, /^no ready backend anywhere it can reach: requests fail; with k8s-cilium-02 down its backends there are counted as gone; /);
  });
});

describe("a snapshot's Node objects in the plan", () => {
  test('three Ready workers listed by kubectl get nodes: a DaemonSet is three backends there', () => {
    const nodes = ['k8s-cilium-01-cp', 'k8s-cilium-01-wk01', 'k8s-cilium-01-wk02', 'k8s-cilium-01-wk03'].map((n, i) => `- apiVersion: v1\n  kind: Node\n  metadata: {name: ${n}, labels: {kubernetes.io/hostname: ${n}${i === 0 ? ', node-role.kubernetes.io/control-plane: ""' : ''}}}\n  spec: {${i === 0 ? 'taints: [{key: node-role.kubernetes.io/control-plane, effect: NoSchedule}]' : ''}}\n  status: {conditions: [{type: Ready, status: "True"}]}`).join('\n');
    const ds = 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: edge, namespace: default}\nspec:\n  template: {metadata: {labels: {app: edge}}, spec: {containers: [{name: c, image: envoy}]}}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: edge, namespace: default}\nspec: {selector: {app: edge}, ports: [{port: 80}]}\n';
    const p = plan(LAB, ['k8s-cilium-01=-'], { stdin: `apiVersion: v1\nkind: List\nitems:\n${nodes}\n---\n${ds}` }).plan;
    assert.deepEqual(row(p, 'default/edge', 'k8s-cilium-01').backends, { 'k8s-cilium-01': 3 });
  });
});
