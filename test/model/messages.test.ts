/**
 * The words a user reads for each finding of the workload model, in full: what is wrong, what
 * meshwright did about it, and the exact fix. A change of wording shows up here on purpose.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseManifestText } from '../../src/manifests/index.js';
import { kubesprayNodes, placeObjects, workloadPods } from '../../src/model/index.js';

const lab = kubesprayNodes({ nodes: [{ name: 'cp', address: '10.0.0.1', role: 'control-plane' }, { name: 'wk', address: '10.0.0.2', role: 'worker' }] });

function said(text: string, clusters = ['c1']): [string, string, string | undefined][] {
  const p = placeObjects(clusters, parseManifestText('m.yaml', text).objects);
  const pods = workloadPods({ objects: p.byCluster.get(clusters[0]!)!, nodes: lab, cluster: clusters[0]! });
  return [...p.diagnostics, ...pods.diagnostics].map((d) => [d.code, d.message, d.hint]);
}

const dep = (spec: string, kind = 'Deployment', apiVersion = 'apps/v1') => `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: web, namespace: shop}\nspec:\n${spec}  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: c, image: nginx}]}\n`;

test('FIELD_TYPE: a count written as a string', () => {
  assert.deepEqual(said(dep('  replicas: "3"\n')), [['FIELD_TYPE', 'spec.replicas: "3" is a string; the API server refuses it (an integer field). Read as 3, which it evidently means', 'write 3 without quotes']]);
});

test('OBJECT_REFUSED: a count that is none', () => {
  assert.deepEqual(said(dep('  replicas: many\n')), [['OBJECT_REFUSED', 'spec.replicas: "many" is not a count: the API server refuses this Deployment, so meshwright leaves it out', 'write a whole number, e.g. 3']]);
});

test('Job counts: parallelism and completions are read the same way', () => {
  assert.deepEqual(said(dep('  parallelism: "2"\n  completions: x\n', 'Job', 'batch/v1')).map((f) => f[1]), [
    'spec.parallelism: "2" is a string; the API server refuses it (an integer field). Read as 2, which it evidently means',
    'spec.completions: "x" is not a count: the API server refuses this Job, so meshwright leaves it out',
  ]);
});

test('container ports and protocols', () => {
  const text = (port: string) => dep('').replace('image: nginx}', `image: nginx, ports: [${port}]}`);
  assert.deepEqual(said(text('{containerPort: "80"}')), [['FIELD_TYPE', 'containerPort: "80" is a string; the API server refuses it (an integer field). Read as 80, which it evidently means', 'write 80 without quotes']]);
  assert.deepEqual(said(text('{containerPort: http}')), [['OBJECT_REFUSED', 'containerPort: "http" is not a port number (1-65535): the API server refuses this Deployment, so meshwright leaves it out', 'a container port is a number; a named port goes in ports[].name']]);
  assert.deepEqual(said(text('{containerPort: 80, protocol: tcp}')), [['FIELD_VALUE', 'protocol: "tcp" is refused by the API server (supported values: "SCTP", "TCP", "UDP"). Read as TCP, which it evidently means', 'write protocol: TCP']]);
  assert.deepEqual(said(text('{containerPort: 80, protocol: http}')), [['OBJECT_REFUSED', 'protocol: "http" is not TCP, UDP or SCTP: the API server refuses this Deployment, so meshwright leaves it out', 'write protocol: TCP, UDP or SCTP']]);
});

test('labels of the wrong type', () => {
  assert.deepEqual(said(dep('').replace('labels: {app: web}', 'labels: {app: web, v: 2}')), [['LABEL_VALUE', 'v: 2 is not a string; the API server refuses this object (label values are strings). Read as "2", which it evidently means', 'quote it: "2"']]);
  assert.deepEqual(said(dep('').replace('labels: {app: web}', 'labels: {app: web, v: [1]}')), [['OBJECT_REFUSED', 'v: a label value must be a string: the API server refuses this Deployment, so meshwright leaves it out', 'write v: "<text>"']]);
});

test('kinds', () => {
  assert.deepEqual(said(dep('', 'Deploymnet')), [['UNKNOWN_KIND', 'kind Deploymnet does not exist: kubectl apply refuses it; read as Deployment, which it evidently means', 'did you mean Deployment? write kind: Deployment']]);
  assert.deepEqual(said(dep('', 'Deployment', 'v1')), [['API_VERSION_MISMATCH', 'Deployment is not served in v1: kubectl apply refuses it (no matches for kind "Deployment" in version "v1"); read as apps/v1, which it evidently means', 'write apiVersion: apps/v1']]);
  assert.deepEqual(said('apiVersion: apps/v1\nkind: Frobnicator\nmetadata: {name: x}\n'), [['UNKNOWN_KIND', 'kind Frobnicator does not exist in apps/v1: kubectl apply refuses it, and meshwright leaves it out', 'check the kind against kubectl api-resources']]);
  assert.deepEqual(said('apiVersion: apps/v1\nkind: Servce\nmetadata: {name: x}\n'), [['UNKNOWN_KIND', 'kind Servce does not exist in apps/v1: kubectl apply refuses it, and meshwright leaves it out', 'did you mean Service (apiVersion: v1)?']]);
});

test('duplicates, namespaced and cluster-scoped', () => {
  assert.deepEqual(said(`${dep('')}---\n${dep('')}`), [['DUPLICATE_OBJECT', 'Deployment shop/web is also defined in m.yaml:1; this later one is used, as kubectl apply would leave it', 'give each object once, or pass only the files you mean']]);
  assert.deepEqual(said('apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n').map((f) => f[1]), ['Namespace shop is also defined in m.yaml:1; this later one is used, as kubectl apply would leave it']);
});

test('UNSCHEDULABLE: replicas no node takes', () => {
  assert.deepEqual(said(dep('  replicas: 2\n').replace('spec: {containers', 'spec: {nodeSelector: {disk: nvme}, containers')), [['UNSCHEDULABLE', 'no node of cluster c1 can run Deployment shop/web: its pods stay Pending and are not ready', 'check its nodeSelector, node affinity and tolerations against the nodes: cp (node-role.kubernetes.io/control-plane:NoSchedule), wk']]);
  assert.deepEqual(said('apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec: {nodeSelector: {disk: nvme}, containers: [{name: c, image: nginx}]}\n').map((f) => f[1]), ['no node of cluster c1 can run Pod shop/p: its pods stay Pending and are not ready']);
});
