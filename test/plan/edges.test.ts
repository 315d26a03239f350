/**
 * Edges of the plan that the reference lab does not reach: a mesh without any Cilium
 * LoadBalancer, several clusters down at once, a --ready equal to the backends, a per-service
 * --ready naming another Service, and objects the plan does not model. Expected values worked out
 * by hand from the fixtures (LB IPAM hands out a pool's addresses in order; a headless Service is
 * answered by DNS with the local endpoints only, clustermesh/services.rst).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { memoryIO } from '../../src/cli/io.js';
import { runPlan } from '../../src/cli/plan.js';
import { parseManifestText } from '../../src/manifests/index.js';
import { buildPlan, unknownReadyServices } from '../../src/plan/index.js';
import { readyOverride } from '../../src/plan/inputs.js';
import { validatePlatformFile } from '../../src/spec/index.js';
import { REPO_ROOT } from '../helpers/golden.js';

const LAB = 'examples/reference-lab/platform.yaml';
const DEMO = 'test/fixtures/manifests/clustermesh-demo';
const PLAN = 'test/fixtures/manifests/plan';
const NO_INGRESS = 'test/fixtures/platforms-valid/no-ingress-nodeport-mesh.yaml';
const THREE = 'test/fixtures/platforms-valid/three-clusters.yaml';

function plan(file: string, filename: string[], extra: { ready?: string[]; whatIf?: string[] } = {}) {
  const io = memoryIO({}, REPO_ROOT);
  const p = runPlan(io, file, { filename, ready: extra.ready ?? [], whatIf: extra.whatIf ?? [], output: 'json', platformManifests: false }, false);
  return { plan: p, stderr: io.err.join('') };
}

const row = (p: ReturnType<typeof plan>['plan'], service: string, client: string) => {
  const g = p.globalServices.find((x) => `${x.namespace}/${x.name}` === service && x.client === client);
  assert.ok(g, `no prediction for ${service} from ${client}`);
  return g;
};

describe('plan: LB IPAM stages', () => {
  test('no ingress and a NodePort clustermesh-apiserver: one stage per cluster, the pool untouched', () => {
    const { plan: p } = plan(NO_INGRESS, []);
    assert.deepEqual(p.loadBalancers, []);
    assert.deepEqual(p.pools.map((s) => [s.cluster, s.stage, s.pool.available]), [
      ['office-a', 'cilium installed', 1],
      ['office-b', 'cilium installed', 1],
    ]);
  });

  test('a NodePort clustermesh-apiserver adds no "clustermesh enabled" stage (nodeport-511)', () => {
    const { plan: p } = plan('test/fixtures/platforms-valid/nodeport-511.yaml', []);
    assert.deepEqual(p.pools.map((s) => [s.cluster, s.stage]), [['dc-300', 'cilium installed'], ['dc-301', 'cilium installed']]);
  });
});

describe('plan: global services, edges', () => {
  test('two of three clusters down: the note names both, in spec order', () => {
    const { plan: p } = plan(THREE, [`${DEMO}/cluster1.yaml`, `${DEMO}/global-service-example.yaml`], { whatIf: ['cluster eu-central down', 'cluster us-east down'] });
    const r = row(p, 'default/rebel-base', 'eu-west');
    assert.deepEqual(r.share, { 'eu-west': 1 });
    assert.match(r.note!, /^with eu-central, us-east down its backends there are counted as gone; agents keep/);
  });

  test('a headless global service reaches its local endpoints only: no remote backends, no note about a cluster down', () => {
    const { plan: p } = plan(LAB, [...[`k8s-cilium-01=${DEMO}/cluster1.yaml`, `k8s-cilium-02=${DEMO}/cluster2.yaml`], `${DEMO}/global-service-example.yaml`], { whatIf: ['cluster k8s-cilium-02 down'] });
    const h = row(p, 'default/rebel-base-headless', 'k8s-cilium-01');
    assert.deepEqual(h.backends, { 'k8s-cilium-01': 2 });
    assert.doesNotMatch(h.note ?? '', /down/);
  });

  test('--ready equal to the ready backends is no warning', () => {
    const { stderr } = plan(LAB, [`k8s-cilium-01=${DEMO}/cluster1.yaml`, `k8s-cilium-02=${DEMO}/cluster2.yaml`, `${DEMO}/global-service-example.yaml`], { ready: ['k8s-cilium-01/default/rebel-base=2'] });
    assert.doesNotMatch(stderr, /READY_ABOVE_BACKENDS/);
  });

  test('a per-service --ready for rebel-base-headless leaves rebel-base alone', () => {
    const { plan: p } = plan(LAB, [`k8s-cilium-01=${DEMO}/cluster1.yaml`, `k8s-cilium-02=${DEMO}/cluster2.yaml`, `${DEMO}/global-service-example.yaml`], { ready: ['k8s-cilium-01/default/rebel-base-headless=0'] });
    assert.equal(row(p, 'default/rebel-base', 'k8s-cilium-01').backends['k8s-cilium-01'], 2);
    assert.equal(row(p, 'default/rebel-base-headless', 'k8s-cilium-01').backends['k8s-cilium-01'], 0);
  });

  test('a per-service override matches namespace and name, both', () => {
    const o = { cluster: 'c1', service: { namespace: 'shop', name: 'web' }, ready: 0 };
    assert.equal(readyOverride([o], 'c1', 'default', 'web'), undefined);
    assert.equal(readyOverride([o], 'c1', 'shop', 'api'), undefined);
    assert.equal(readyOverride([o], 'c1', 'shop', 'web'), o);
  });
});

describe('plan: --ready names checked against Services only', () => {
  const lab = validatePlatformFile(`${REPO_ROOT}/examples/reference-lab/platform.yaml`).platform!;
  test('a Deployment of that name is no Service', () => {
    const objects = parseManifestText('d.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: checkout, namespace: shop}\nspec:\n  selector: {matchLabels: {app: checkout}}\n  template:\n    metadata: {labels: {app: checkout}}\n    spec: {containers: [{name: checkout, image: nginx:1.27}]}\n').objects;
    assert.deepEqual(unknownReadyServices(lab, objects, [{ cluster: 'k8s-cilium-01', service: { namespace: 'shop', name: 'checkout' }, ready: 0 }]).map((u) => u.hint), ['cluster k8s-cilium-01 has no Service in the manifests given']);
  });

  test('exactly ten Services are listed without an ellipsis', () => {
    const ten = parseManifestText('s.yaml', Array.from({ length: 10 }, (_, i) => `apiVersion: v1\nkind: Service\nmetadata: {name: svc-${i}}\nspec: {selector: {app: svc-${i}}}\n`).join('---\n')).objects;
    const [u] = unknownReadyServices(lab, ten, [{ cluster: 'k8s-cilium-01', service: { namespace: 'shop', name: 'checkout' }, ready: 0 }]);
    assert.equal(u!.hint, `Services of k8s-cilium-01: ${Array.from({ length: 10 }, (_, i) => `default/svc-${i}`).join(', ')}`);
  });
});

describe('plan: what it does not model', () => {
  test('MCS-API, Gateway API and egress gateway objects, each once, with its line and why', () => {
    const file = `${PLAN}/not-modelled.yaml`;
    // Given for both clusters, the file is read twice: each object is still reported once.
    const { plan: p } = plan(LAB, [`k8s-cilium-01=${file}`, `k8s-cilium-02=${file}`]);
    assert.deepEqual(p.notModelled, [
      { file, line: 4, kind: 'ServiceImport', name: 'checkout', reason: 'MCS-API services are not modelled (Cilium ships MCS-API from 1.17; the 1.16 chart only has the switch)' },
      { file, line: 15, kind: 'Gateway', name: 'shop-gateway', reason: 'Gateway API load balancers are not modelled' },
      { file, line: 27, kind: 'CiliumEgressGatewayPolicy', name: 'shop-egress', reason: 'egress gateway policies are not modelled' },
    ]);
  });

  test('a plan built without a what-if says so', () => {
    const platform = validatePlatformFile(`${REPO_ROOT}/${LAB}`).platform!;
    assert.deepEqual(buildPlan({ platform, objects: [] }).whatIf, []);
  });
});

describe('plan: more edges', () => {
  test('dedicated mode: an Ingress without a namespace gets its Service in default', () => {
    const io = memoryIO({}, REPO_ROOT);
    const p = runPlan(io, THREE, { filename: [`eu-west=${PLAN}/ingress-default-namespace.yaml`], ready: [], whatIf: [], output: 'json', platformManifests: true }, false);
    assert.deepEqual(p.loadBalancers.filter((l) => l.namespace === 'default').map((l) => [l.cluster, l.name, l.ip]), [['eu-west', 'cilium-ingress-docs', '192.168.10.203']]);
  });

  test('a cluster-wide --ready beside an unknown per-service one: the unknown one is still reported', () => {
    const lab = validatePlatformFile(`${REPO_ROOT}/${LAB}`).platform!;
    const objects = parseManifestText('s.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: rebel-base}\nspec: {selector: {name: rebel-base}}\n').objects;
    const u = unknownReadyServices(lab, objects, [{ cluster: 'k8s-cilium-02', ready: 0 }, { cluster: 'k8s-cilium-01', service: { namespace: 'shop', name: 'ledger' }, ready: 0 }]);
    assert.deepEqual(u.map((x) => x.hint), ['Services of k8s-cilium-01: default/rebel-base']);
  });
});
