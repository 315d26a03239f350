/**
 * Owner chains (metadata.ownerReferences, the one with controller: true): a pod of a
 * ReplicaSet of a Deployment; a ReplicaSet the snapshot lacks stands for its Deployment only when
 * its name is <deployment>-<pod-template-hash> of the pod; controllers whose children are given
 * are not expanded again.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseManifestText } from '../../src/manifests/index.js';
import { workloadPods } from '../../src/model/index.js';

const livePod = (name: string, owners: string, labels = '{app: web, pod-template-hash: 6d4f8b9c7}') =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: shop\n  labels: ${labels}\n  ownerReferences: ${owners}\nspec: {containers: [{name: c, image: nginx}]}\nstatus: {phase: Running, conditions: [{type: Ready, status: "True"}]}\n`;
const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  replicas: 4\n  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: nginx}]}}\n';
const rsRef = '[{apiVersion: apps/v1, kind: ReplicaSet, name: web-6d4f8b9c7, controller: true, uid: 5b1e}]';
const run = (text: string) => workloadPods({ objects: parseManifestText('o.yaml', text).objects }).pods;

test('a Deployment given with its pods but not its ReplicaSet: its 2 pods, not 2 + 4', () => {
  const pods = run(`${deployment}---\n${livePod('web-6d4f8b9c7-abcde', rsRef)}---\n${livePod('web-6d4f8b9c7-fghjk', rsRef)}`);
  assert.deepEqual(pods.map((p) => [p.name, p.owners.map((o) => `${o.kind}/${o.name}`).join(' < ')]), [
    ['web-6d4f8b9c7-abcde', 'ReplicaSet/web-6d4f8b9c7 < Deployment/web'],
    ['web-6d4f8b9c7-fghjk', 'ReplicaSet/web-6d4f8b9c7 < Deployment/web'],
  ]);
});

test('without a pod-template-hash label, or one that is not the name\'s suffix, the ReplicaSet names no Deployment', () => {
  assert.deepEqual(run(livePod('x', rsRef, '{app: web}'))[0]!.owners, [{ kind: 'ReplicaSet', name: 'web-6d4f8b9c7' }]);
  assert.deepEqual(run(livePod('x', rsRef, '{app: web, pod-template-hash: "99999"}'))[0]!.owners, [{ kind: 'ReplicaSet', name: 'web-6d4f8b9c7' }]);
  assert.equal(run(`${deployment}---\n${livePod('x', rsRef, '{app: web}')}`).length, 5, 'the Deployment is not known to own it: expanded as well');
});

test('two owner references, neither the controller: no controller; one marked: that one', () => {
  const two = '[{kind: ReplicaSet, name: a}, {kind: ReplicaSet, name: b}]';
  assert.deepEqual(run(livePod('x', two))[0]!.owners, []);
  assert.deepEqual(run(livePod('x', '[{kind: ConfigMap, name: c}, {kind: StatefulSet, name: db, controller: true}]'))[0]!.owners, [{ kind: 'StatefulSet', name: 'db' }]);
  assert.deepEqual(run(livePod('x', '[{kind: Node, name: cp-1}]'))[0]!.owners, [], 'a single reference to a non-controller kind is not taken without controller: true');
  assert.deepEqual(run(livePod('x', '[{kind: Node, name: cp-1, controller: true}]'))[0]!.owners, [{ kind: 'Node', name: 'cp-1' }], 'a static pod is owned by its Node');
});

test('a CronJob\'s Job given with its pod: one pod, owned Job < CronJob', () => {
  const text = 'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: nightly, namespace: shop}\nspec: {schedule: "0 2 * * *", jobTemplate: {spec: {template: {spec: {containers: [{name: c, image: busybox}]}}}}}\n---\n'
    + 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: nightly-28934, namespace: shop, ownerReferences: [{kind: CronJob, name: nightly, controller: true}]}\nspec: {template: {metadata: {labels: {job: nightly}}, spec: {containers: [{name: c, image: busybox}]}}}\n---\n'
    + livePod('nightly-28934-x2k4p', '[{kind: Job, name: nightly-28934, controller: true}]', '{job: nightly}');
  assert.deepEqual(run(text).map((p) => [p.name, p.owners.map((o) => o.kind)]), [['nightly-28934-x2k4p', ['Job', 'CronJob']]]);
});

test('a ReplicationController makes its replicas, <name>-<5>', () => {
  const pods = run('apiVersion: v1\nkind: ReplicationController\nmetadata: {name: legacy}\nspec:\n  replicas: 2\n  template: {metadata: {labels: {app: legacy}}, spec: {containers: [{name: c, image: nginx}]}}\n');
  assert.deepEqual(pods.map((p) => [/^legacy-[bcdfghjklmnpqrstvwxz2456789]{5}$/.test(p.name), p.owners]), [[true, [{ kind: 'ReplicationController', name: 'legacy' }]], [true, [{ kind: 'ReplicationController', name: 'legacy' }]]]);
});

test('objects from the lab\'s store (no file) get findings without a position', () => {
  const r = workloadPods({ objects: [{ object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'w', namespace: 'lab' }, spec: { replicas: '2', template: { metadata: { labels: { app: 'w' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } } }] });
  assert.equal(r.pods.length, 2);
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.file, d.start]), [['FIELD_TYPE', undefined, undefined]]);
});

test('a DaemonSet given live without pods, status without currentNumberScheduled: desiredNumberScheduled', () => {
  const pods = run('apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n  template: {metadata: {labels: {app: agent}}, spec: {containers: [{name: c, image: x}]}}\nstatus: {desiredNumberScheduled: 4, numberReady: 4}\n');
  assert.deepEqual([pods.length, pods.filter((p) => p.ready).length], [4, 4]);
});

test('an unquoted all-digit pod-template-hash is read as its text, as the pod\'s labels are', () => {
  const ref = '[{apiVersion: apps/v1, kind: ReplicaSet, name: web-58746, controller: true}]';
  assert.deepEqual(run(livePod('web-58746-x2k4p', ref, '{app: web, pod-template-hash: 58746}'))[0]!.owners, [{ kind: 'ReplicaSet', name: 'web-58746' }, { kind: 'Deployment', name: 'web' }]);
});

test('only a ReplicaSet stands for a Deployment: a missing ReplicationController whose name ends in the hash does not', () => {
  const ref = '[{apiVersion: v1, kind: ReplicationController, name: web-6d4f8b9c7, controller: true}]';
  assert.deepEqual(run(livePod('x', ref))[0]!.owners, [{ kind: 'ReplicationController', name: 'web-6d4f8b9c7' }]);
});

test('owner references without a kind or a name, or not a map, are skipped: the one valid reference is the controller', () => {
  for (const junk of ['{kind: ReplicaSet}', '{name: web-6d4f8b9c7}', '~', '"web"']) {
    assert.deepEqual(run(livePod('db-0', `[${junk}, {apiVersion: apps/v1, kind: StatefulSet, name: db}]`, '{app: db}'))[0]!.owners, [{ kind: 'StatefulSet', name: 'db' }], junk);
  }
});

test('a uid that is not a string is ignored: the reference still finds its StatefulSet, whose pod is then not made again', () => {
  const sts = 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db, namespace: shop, uid: 7c9e6679-7425-40de-944b-e07fc1f90ae7}\nspec:\n  replicas: 3\n  template: {metadata: {labels: {app: db}}, spec: {containers: [{name: c, image: postgres}]}}\n';
  const pods = run(`${sts}---\n${livePod('db-0', '[{apiVersion: apps/v1, kind: StatefulSet, name: db, controller: true, uid: 5}]', '{app: db}')}`);
  assert.deepEqual(pods.map((p) => p.name), ['db-0']);
});

test('the chain stops at an owner that is not a pod controller (an Argo Rollout): that object is the workload', () => {
  const rollout = 'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: web, namespace: shop, ownerReferences: [{apiVersion: argoproj.io/v1alpha1, kind: ApplicationSet, name: storefront, controller: true}]}\nspec: {replicas: 2}\n';
  assert.deepEqual(run(`${rollout}---\n${livePod('web-x', '[{apiVersion: argoproj.io/v1alpha1, kind: Rollout, name: web, controller: true}]', '{app: web}')}`)[0]!.owners, [{ kind: 'Rollout', name: 'web' }]);
});

test('owner references in a loop (which the garbage collector would break) end after 8 links', () => {
  const rs = (name: string, owner: string) => `apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: ${name}, namespace: shop, ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: ${owner}, controller: true}]}\nspec:\n  replicas: 1\n  template: {metadata: {labels: {app: loop}}, spec: {containers: [{name: c, image: nginx}]}}\n---\n`;
  const pod = livePod('p', '[{apiVersion: apps/v1, kind: ReplicaSet, name: a, controller: true}]', '{app: loop}');
  const owners = run(`${rs('a', 'b')}${rs('b', 'a')}${pod}`).find((p) => p.name === 'p')!.owners;
  assert.deepEqual(owners.map((o) => o.name), ['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b']);
});

test('the same finding at two spots is said twice: two files, or two objects of one file', () => {
  const web = (name: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: shop}\nspec:\n  replicas: "2"\n  template: {metadata: {labels: {app: ${name}}}, spec: {containers: [{name: c, image: nginx}]}}\n`;
  const where = (objects: Parameters<typeof workloadPods>[0]['objects']) => workloadPods({ objects }).diagnostics.map((d) => `${d.file}:${d.start?.line}`);
  assert.deepEqual(where([...parseManifestText('a.yaml', web('web')).objects, ...parseManifestText('b.yaml', web('api')).objects]), ['a.yaml:5', 'b.yaml:5']);
  assert.deepEqual(where(parseManifestText('a.yaml', `${web('web')}---\n${web('web2')}`).objects), ['a.yaml:5', 'a.yaml:12']);
});
