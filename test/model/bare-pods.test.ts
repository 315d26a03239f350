/**
 * Pod objects given as they are (a manifest's bare Pod, or a live one), read field by field.
 * Expected by hand from the core/v1 Pod reference: serviceAccountName defaults to "default" and
 * the deprecated serviceAccount is its alias; hostNetwork defaults to false; a Pod is scheduled as
 * any pod is, so a cordoned node (taint node.kubernetes.io/unschedulable:NoSchedule) does not take
 * it unless it tolerates that taint (only DaemonSet pods get the toleration added); an object the
 * API server refuses creates nothing; live controller counts are never negative.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseManifestText } from '../../src/manifests/index.js';
import { BackendIndex, clusterView, Findings, podGroups, workloadPods } from '../../src/model/index.js';

const run = (text: string) => {
  const r = workloadPods({ objects: parseManifestText('pod.yaml', text).objects, cluster: 'c1' });
  return { pods: r.pods, findings: r.diagnostics.map((d) => `${d.code} ${d.start?.line}:${d.start?.column}`) };
};

/** Line 4 holds the labels, line 6 the first container's ports. */
const pod = ({ labels = '{app: toolbox}', spec = '', ports = '[]' } = {}) => `apiVersion: v1
kind: Pod
metadata:
  labels: ${labels}
  name: toolbox
  namespace: ops
spec:
${spec}  containers:
  - {name: shell, image: busybox:1.36, ports: ${ports}}
`;

test('service account: "default" unless named; the deprecated serviceAccount is read too; no host network unless set', () => {
  assert.deepEqual(run(pod()).pods.map((p) => [p.serviceAccount, p.hostNetwork]), [['default', false]]);
  assert.equal(run(pod({ spec: '  serviceAccount: legacy-sa\n' })).pods[0]!.serviceAccount, 'legacy-sa');
  assert.equal(run(pod({ spec: '  serviceAccountName: backup\n  serviceAccount: legacy-sa\n' })).pods[0]!.serviceAccount, 'backup');
  assert.equal(run(pod({ spec: '  hostNetwork: true\n' })).pods[0]!.hostNetwork, true);
});

test('a label of the wrong type: fixed at its place, and the pod depends on that fix', () => {
  const r = run(pod({ labels: '{app: toolbox, tier: 2}' }));
  assert.deepEqual(r.findings, ['LABEL_VALUE 4:32']);
  assert.deepEqual(r.pods[0]!.dependsOn.map((d) => d.code), ['LABEL_VALUE']);
});

test('a quoted container port: fixed at its place in the Pod\'s own spec', () => {
  const r = run(pod({ ports: '[{containerPort: "8080"}]' }).replace('  - {name: shell, image: busybox:1.36, ports: [{containerPort: "8080"}]}', '  - name: shell\n    image: busybox:1.36\n    ports: [{containerPort: "8080"}]'));
  assert.deepEqual(r.findings, ['FIELD_TYPE 11:29']);
});

test('a Pod the API server refuses (a label whose value is a map) creates nothing', () => {
  const r = run(pod({ labels: '{app: toolbox, tier: {name: ops}}' }));
  assert.deepEqual([r.pods.length, r.findings], [0, ['OBJECT_REFUSED 4:32']]);
});

test('a bare Pod does not run on a cordoned node (only DaemonSet pods tolerate that)', () => {
  const cordoned = 'apiVersion: v1\nkind: Node\nmetadata: {name: wk-1, labels: {kubernetes.io/hostname: wk-1}}\nspec: {unschedulable: true, taints: [{key: node.kubernetes.io/unschedulable, effect: NoSchedule}]}\n---\n';
  assert.deepEqual(run(cordoned + pod()).pods.map((p) => [p.node ?? null, p.ready]), [[null, false]]);
  // Read without a cluster name (a single-cluster snapshot): the finding calls it "default".
  const unnamed = workloadPods({ objects: parseManifestText('pod.yaml', cordoned + pod()).objects });
  assert.deepEqual(unnamed.diagnostics.map((d) => d.message), ['no node of cluster default can run Pod ops/toolbox: its pods stay Pending and are not ready']);
});

test('a live StatefulSet whose status says a negative number counts 0 of them', () => {
  const sts = 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db, namespace: ops}\nspec:\n  replicas: 2\n  template: {metadata: {labels: {app: db}}, spec: {containers: [{name: c, image: postgres}]}}\nstatus: {replicas: 2, readyReplicas: -1}\n';
  const objects = parseManifestText('sts.yaml', sts).objects;
  const backends = new BackendIndex(podGroups(objects, new Findings())).backends('ops', { app: 'db' }, clusterView('c1', undefined));
  assert.deepEqual([backends.pods, backends.ready], [2, 0]);
});

test('a live Deployment whose status says 2 ready, on nodes none of which fits its template now: 2 ready pods, as its Service counts them', () => {
  // The nodeSelector was changed after the pods were scheduled (the rollout has not started): the status is what runs.
  const node = 'apiVersion: v1\nkind: Node\nmetadata: {name: wk-1, labels: {kubernetes.io/hostname: wk-1}}\nspec: {}\n---\n';
  const web = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: ops}\nspec:\n  replicas: 2\n  template:\n    metadata: {labels: {app: web}}\n    spec: {nodeSelector: {disk: ssd}, containers: [{name: c, image: nginx}]}\nstatus: {replicas: 2, readyReplicas: 2}\n';
  const objects = parseManifestText('live.yaml', node + web).objects;
  assert.deepEqual(workloadPods({ objects, cluster: 'c1' }).pods.map((p) => p.ready), [true, true]);
  const backends = new BackendIndex(podGroups(objects, new Findings())).backends('ops', { app: 'web' }, clusterView('c1', undefined));
  assert.equal(backends.ready, 2);
});

test('a predicted pod is neither live nor being deleted', () => {
  assert.deepEqual(run(pod()).pods.map((p) => [p.origin, p.terminating]), [['predicted', false]]);
});
