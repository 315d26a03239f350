import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSelector, matchRequirements } from '../../../src/model/policy-engine/selectors.js';
import { isIdentityLabel } from '../../../src/model/policy-engine/labels.js';
import type { Reporter } from '../../../src/model/policy-engine/report.js';

const errors: string[] = [];
const r: Reporter = { error: (code, message) => errors.push(`${code}: ${message}`), warning: () => {}, position: () => ({ file: '', line: 0, column: 0 }) };
const labels = (l: Record<string, string>) => (k: string) => l[k];

test('matchLabels AND matchExpressions; NotIn and DoesNotExist match a missing key', () => {
  const reqs = parseSelector({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }, { key: 'legacy', operator: 'DoesNotExist' }] }, [], r)!;
  assert.ok(matchRequirements(reqs, labels({ app: 'web' })));
  assert.ok(matchRequirements(reqs, labels({ app: 'web', tier: 'api' })));
  assert.ok(!matchRequirements(reqs, labels({ app: 'web', tier: 'db' })));
  assert.ok(!matchRequirements(reqs, labels({ app: 'web', legacy: 'x' })));
  assert.ok(!matchRequirements(reqs, labels({ app: 'api' })));
  const inExists = parseSelector({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }, { key: 'app', operator: 'Exists' }] }, [], r)!;
  assert.ok(matchRequirements(inExists, labels({ tier: 'b', app: '' })));
  assert.ok(!matchRequirements(inExists, labels({ tier: 'c', app: 'x' })));
});

test('k8s: and any: prefixes are stripped; reserved: keys stay', () => {
  const reqs = parseSelector({ matchLabels: { 'k8s:app': 'web', 'any:tier': 'api', 'reserved:host': '' } }, [], r)!;
  assert.deepEqual(reqs.map((q) => q.key), ['app', 'tier', 'reserved:host']);
});

test('an empty selector matches everything; invalid operators and values are errors', () => {
  assert.ok(matchRequirements(parseSelector({}, [], r)!, labels({})));
  errors.length = 0;
  assert.equal(parseSelector({ matchExpressions: [{ key: 'a', operator: 'Equals', values: ['x'] }] }, [], r), undefined);
  assert.equal(parseSelector({ matchExpressions: [{ key: 'a', operator: 'In' }] }, [], r), undefined);
  assert.equal(parseSelector({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }, [], r), undefined);
  assert.deepEqual(errors.map((e) => e.split(':')[0]), ['POLICY_SELECTOR_INVALID', 'POLICY_SELECTOR_INVALID', 'POLICY_SELECTOR_INVALID']);
  assert.match(errors[0]!, /invalid selector operator "Equals"/);
});

test('identity-relevant labels: Cilium drops pod-template-hash, kubernetes.io/*, statefulset.kubernetes.io/pod-name and friends, keeps app.kubernetes.io', () => {
  for (const k of ['app', 'org', 'app.kubernetes.io/name', 'io.cilium.k8s.policy.serviceaccount']) assert.ok(isIdentityLabel(k), k);
  for (const k of ['pod-template-hash', 'controller-revision-hash', 'statefulset.kubernetes.io/pod-name', 'kubernetes.io/hostname', 'batch.kubernetes.io/controller-uid', 'controller-uid', 'io.kubernetes.foo']) assert.ok(!isIdentityLabel(k), k);
});

test('identity-relevant labels: each of Cilium\'s exclude patterns drops its labels, each anchored at the start of the key', () => {
  // Labels Kubernetes controllers and common tools put on pods; each is dropped by its own pattern
  // of the identity-relevant-labels defaults.
  const dropped = [
    'apps.kubernetes.io/pod-index', // StatefulSet pods, 1.28+
    'batch.kubernetes.io/job-completion-index', // Indexed Jobs
    'failure-domain.beta.kubernetes.io/zone', // .*beta\.kubernetes\.io, the one pattern that matches anywhere
    'k8s.io/cluster-autoscaler',
    'annotation.prometheus.io/scrape',
    'etcd_node',
    'pod-template-generation',
  ];
  for (const k of dropped) assert.ok(!isIdentityLabel(k), k);
  // "Label patterns are regular expressions that are implicitly anchored at the start of the label"
  // (identity-relevant-labels.rst): kubernetes\.io and k8s\.io drop keys that start with them only.
  for (const k of ['topology.kubernetes.io/zone', 'gateway.networking.k8s.io/gateway-name', 'batch.kubernetes.io/job-name', 'my-pod-template-hash']) assert.ok(isIdentityLabel(k), k);
  // A key no pattern matches is kept (app.kubernetes.io/*, the namespace labels and the cluster label
  // start where no exclude pattern does), and so is one the include pattern matches over a longer part
  // than the exclude pattern does (io.kubernetes.pod.namespace over io\.kubernetes).
  for (const k of ['tier', 'app.kubernetes.io/part-of', 'io.kubernetes.pod.namespace', 'io.cilium.k8s.namespace.labels.team', 'io.cilium.k8s.policy.cluster']) assert.ok(isIdentityLabel(k), k);
  // Against the shortest exclude match (filterLabels keeps the shortest): io\.kubernetes's 13
  // characters, not .*beta\.kubernetes\.io's 46.
  assert.ok(isIdentityLabel('io.kubernetes.pod.namespace.beta.kubernetes.io'));
});
