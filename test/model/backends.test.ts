/**
 * Which pods a Service's selector picks, counted as its endpoints. Expected by hand from the
 * Kubernetes documentation: a selector matches a pod only when every one of its labels is on the
 * pod (concepts/overview/working-with-objects/labels "Equality-based requirement", all ANDed);
 * a StatefulSet gives each pod the labels statefulset.kubernetes.io/pod-name (`<name>-<ordinal>`)
 * and apps.kubernetes.io/pod-index (workloads/controllers/statefulset "Pod Name Label",
 * "Pod index label"), so a Service selecting one of them reaches that one pod, if the ordinal
 * exists; an endpoint is ready only once its pod is (services-networking/endpoint-slices "Conditions").
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseManifestText } from '../../src/manifests/index.js';
import { BackendIndex, clusterView, Findings, podGroups } from '../../src/model/index.js';

function index(text: string) {
  const findings = new Findings();
  return { findings, index: new BackendIndex(podGroups(parseManifestText('shop.yaml', text).objects, findings)) };
}

/** Backends in a cluster whose nodes are not known (each pod counted as scheduled). */
function backends(text: string, selector: Record<string, string> | undefined, publishNotReady = false) {
  const { index: i, findings } = index(text);
  const b = i.backends('shop', selector, clusterView('eu-1', undefined, findings), publishNotReady);
  return { pods: b.pods, ready: b.ready, dependsOn: b.dependsOn.map((d) => d.code) };
}

const deployment = (name: string, labels: string, replicas = 2) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: shop}
spec:
  replicas: ${replicas}
  selector: {matchLabels: ${labels}}
  template:
    metadata: {labels: ${labels}}
    spec:
      containers: [{name: ${name}, image: registry.example.com/shop/${name}:1.4}]
---
`;

/** A live StatefulSet read from a cluster without its pods: its status says 3 pods, 1 ready. */
const postgres = (status = '') => `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: postgres, namespace: shop}
spec:
  serviceName: postgres
  replicas: 3
  selector: {matchLabels: {app: postgres}}
  template:
    metadata: {labels: {app: postgres}}
    spec:
      containers: [{name: postgres, image: postgres:16.4}]
${status}---
`;

describe('a selector of several labels: every label must match', () => {
  // web-front is the only group with both labels; the app=web list (2 groups) is the shorter one.
  const shop = deployment('web-front', '{app: web, tier: front}', 3) + deployment('web-batch', '{app: web, tier: back}', 4) + deployment('api', '{app: api, tier: front}') + deployment('cart', '{app: cart, tier: front}');

  test('{app: web, tier: front} reaches the 3 web-front pods, not web-batch which shares app=web', () => {
    assert.deepEqual(backends(shop, { app: 'web', tier: 'front' }), { pods: 3, ready: 3, dependsOn: [] });
  });

  test('a label no pod carries: no backends; no selector: none of its own', () => {
    assert.deepEqual(backends(shop, { app: 'web', tier: 'edge' }), { pods: 0, ready: 0, dependsOn: [] });
    assert.deepEqual(backends(shop, undefined), { pods: 0, ready: 0, dependsOn: [] });
  });

  test('another namespace: no backends', () => {
    const { index: i } = index(shop);
    assert.equal(i.backends('default', { app: 'web' }, clusterView('eu-1', undefined)).pods, 0);
  });
});

describe('a Service for one StatefulSet pod', () => {
  test('statefulset.kubernetes.io/pod-name postgres-1: that one pod, ready', () => {
    assert.deepEqual(backends(postgres(), { app: 'postgres', 'statefulset.kubernetes.io/pod-name': 'postgres-1' }), { pods: 1, ready: 1, dependsOn: [] });
  });

  test('apps.kubernetes.io/pod-index "2": the third pod', () => {
    assert.deepEqual(backends(postgres(), { app: 'postgres', 'apps.kubernetes.io/pod-index': '2' }), { pods: 1, ready: 1, dependsOn: [] });
  });

  test('an ordinal the StatefulSet does not have (replicas 3: postgres-0 … postgres-2): no backend', () => {
    assert.deepEqual(backends(postgres(), { app: 'postgres', 'statefulset.kubernetes.io/pod-name': 'postgres-3' }), { pods: 0, ready: 0, dependsOn: [] });
    assert.deepEqual(backends(postgres(), { app: 'postgres', 'apps.kubernetes.io/pod-index': '3' }), { pods: 0, ready: 0, dependsOn: [] });
    assert.deepEqual(backends(postgres(), { app: 'postgres', 'statefulset.kubernetes.io/pod-name': 'redis-0' }), { pods: 0, ready: 0, dependsOn: [] });
  });

  test('a value no StatefulSet pod carries (postgres-x, index -1, index 1.5): no backend', () => {
    for (const [k, v] of [['statefulset.kubernetes.io/pod-name', 'postgres-x'], ['apps.kubernetes.io/pod-index', '-1'], ['apps.kubernetes.io/pod-index', '1.5']] as const) {
      assert.deepEqual(backends(postgres(), { app: 'postgres', [k]: v }), { pods: 0, ready: 0, dependsOn: [] }, `${k}: ${v}`);
    }
  });

  test('pod-name and pod-index naming two different pods: no pod carries both', () => {
    assert.deepEqual(backends(postgres(), { app: 'postgres', 'statefulset.kubernetes.io/pod-name': 'postgres-1', 'apps.kubernetes.io/pod-index': '2' }), { pods: 0, ready: 0, dependsOn: [] });
  });

  test('pod-name alone, as a per-pod Service selects: that one pod of whichever StatefulSet has it', () => {
    const two = postgres() + postgres().replaceAll('postgres', 'kafka');
    assert.deepEqual(backends(two, { 'statefulset.kubernetes.io/pod-name': 'kafka-2' }), { pods: 1, ready: 1, dependsOn: [] });
    assert.deepEqual(backends(two, { 'apps.kubernetes.io/pod-index': '1' }), { pods: 2, ready: 2, dependsOn: [] });
    assert.deepEqual(backends(two + deployment('web', '{app: web}'), { 'statefulset.kubernetes.io/pod-name': 'web-0' }), { pods: 0, ready: 0, dependsOn: [] });
  });

  test('live status 3 pods, 1 ready: postgres-0 is a ready endpoint, postgres-1 and postgres-2 are endpoints but not ready', () => {
    // The StatefulSet controller starts pods in order (OrderedReady): with one ready it is the first.
    const live = postgres('status: {replicas: 3, readyReplicas: 1, currentReplicas: 3}\n');
    assert.deepEqual(backends(live, { app: 'postgres', 'apps.kubernetes.io/pod-index': '0' }), { pods: 1, ready: 1, dependsOn: [] });
    assert.deepEqual(backends(live, { app: 'postgres', 'apps.kubernetes.io/pod-index': '1' }), { pods: 1, ready: 0, dependsOn: [] });
    assert.deepEqual(backends(live, { app: 'postgres', 'apps.kubernetes.io/pod-index': '2' }), { pods: 1, ready: 0, dependsOn: [] });
    assert.deepEqual(backends(live, { app: 'postgres' }), { pods: 3, ready: 1, dependsOn: [] });
  });
});

/** Pods of postgres read from a live cluster, as `kubectl get pods -o yaml` gives them: the controller's labels on each. */
const livePod = (ordinal: number, ready: boolean) => `apiVersion: v1
kind: Pod
metadata:
  name: postgres-${ordinal}
  namespace: shop
  labels: {app: postgres, apps.kubernetes.io/pod-index: "${ordinal}", statefulset.kubernetes.io/pod-name: postgres-${ordinal}, controller-revision-hash: postgres-6d4b8c7f9}
  ownerReferences: [{apiVersion: apps/v1, kind: StatefulSet, name: postgres, uid: 3f0c1e6a-1b2c-4d5e-8f90-a1b2c3d4e5f6, controller: true}]
spec: {containers: [{name: postgres, image: postgres:16.4}]}
status: {phase: Running, conditions: [{type: Ready, status: "${ready ? 'True' : 'False'}"}]}
---
`;

describe('a per-pod Service over pods read live', () => {
  const snapshot = postgres('status: {replicas: 3, readyReplicas: 2, currentReplicas: 3}\n') + livePod(0, true) + livePod(1, true) + livePod(2, false);

  test('each pod is matched by its own labels: postgres-1 ready, postgres-2 not', () => {
    assert.deepEqual(backends(snapshot, { app: 'postgres', 'statefulset.kubernetes.io/pod-name': 'postgres-1' }), { pods: 1, ready: 1, dependsOn: [] });
    assert.deepEqual(backends(snapshot, { 'statefulset.kubernetes.io/pod-name': 'postgres-2' }), { pods: 1, ready: 0, dependsOn: [] });
    assert.deepEqual(backends(snapshot, { 'apps.kubernetes.io/pod-index': '0' }), { pods: 1, ready: 1, dependsOn: [] });
    assert.deepEqual(backends(snapshot, { app: 'postgres' }), { pods: 3, ready: 2, dependsOn: [] });
  });
});

describe('fixes the backends depend on', () => {
  // `version: 2` is an integer: the API server refuses it until quoted (LABEL_VALUE).
  const unquoted = (replicas: number) => deployment('web', '{app: web, version: 2}', replicas);

  test('pods made from a manifest that needs a fix carry it', () => {
    assert.deepEqual(backends(unquoted(2), { app: 'web' }), { pods: 2, ready: 2, dependsOn: ['LABEL_VALUE'] });
  });

  test('a workload scaled to 0 makes no backends, so nothing depends on its fix', () => {
    assert.deepEqual(backends(unquoted(0), { app: 'web' }), { pods: 0, ready: 0, dependsOn: [] });
  });
});
