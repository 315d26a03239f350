import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultLocalClusterFor } from '../../../src/model/policy-engine/index.js';

// Documentation/operations/upgrade.rst: "Cilium 1.18 introduced a new option called policy-default-local-cluster
// which will be set by default in Cilium 1.19".
test('policy-default-local-cluster is on by default from Cilium 1.19, off before; a version it cannot read keeps the old default', () => {
  const at = (v: string) => [v, defaultLocalClusterFor(v)];
  assert.deepEqual(['1.16.5', '1.18.3', '1.9.0', '0.19.0'].map(at), [['1.16.5', false], ['1.18.3', false], ['1.9.0', false], ['0.19.0', false]]);
  assert.deepEqual(['1.19.0', '1.19.0-pre.2', '1.20.1', '2.0.0', '10.0.0'].map(at), [['1.19.0', true], ['1.19.0-pre.2', true], ['1.20.1', true], ['2.0.0', true], ['10.0.0', true]]);
  assert.deepEqual(['', 'latest', 'x.19.0'].map(at), [['', false], ['latest', false], ['x.19.0', false]]);
});
