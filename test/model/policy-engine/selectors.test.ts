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

test('identity-relevant labels: Cilium drops pod-template-hash, *.kubernetes.io and friends, keeps app.kubernetes.io', () => {
  for (const k of ['app', 'org', 'app.kubernetes.io/name', 'io.cilium.k8s.policy.serviceaccount']) assert.ok(isIdentityLabel(k), k);
  for (const k of ['pod-template-hash', 'controller-revision-hash', 'statefulset.kubernetes.io/pod-name', 'kubernetes.io/hostname', 'topology.kubernetes.io/zone', 'batch.kubernetes.io/controller-uid', 'controller-uid', 'io.kubernetes.foo']) assert.ok(!isIdentityLabel(k), k);
});
