import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matrixNodes } from '../../src/policy-report/index.js';

const nodes = [
  { cluster: 'c1', name: 'cp', addresses: ['172.26.0.141'], controlPlane: true },
  { cluster: 'c1', name: 'wk01', addresses: ['172.26.0.142'], controlPlane: false },
];

test('nodes running host-network pods are rows, each listing its pods; every node only with --nodes', () => {
  const pods = [
    { cluster: 'c1', namespace: 'monitoring', name: 'node-exporter-x', node: 'wk01', owner: { kind: 'DaemonSet', name: 'node-exporter' } },
    { cluster: 'c1', namespace: 'ingress', name: 'edge', node: 'wk01', owner: { kind: 'Pod', name: 'edge' } },
  ];
  const rows = matrixNodes(nodes, pods, false);
  assert.deepEqual(rows, [{ ref: { kind: 'node', cluster: 'c1', name: 'wk01', address: '172.26.0.142' }, hostNetwork: ['ingress/edge', 'monitoring/node-exporter-x'] }]);
  const all = matrixNodes(nodes, pods, true);
  assert.deepEqual(all.map((r) => [r.ref.name, r.ref.controlPlane ?? false, r.hostNetwork.length]), [['cp', true, 0], ['wk01', false, 2]]);
});

test('a host-network pod on a node nobody listed keeps its node name; one with no node gets a row of its own', () => {
  const rows = matrixNodes([], [
    { cluster: 'c1', namespace: 'a', name: 'p', node: 'elsewhere', owner: { kind: 'Pod', name: 'p' } },
    { cluster: 'c1', namespace: 'a', name: 'q', owner: { kind: 'Pod', name: 'q' } },
  ], false);
  assert.deepEqual(rows, [
    { ref: { kind: 'node', cluster: 'c1', name: 'elsewhere' }, hostNetwork: ['a/p'] },
    { ref: { kind: 'node', cluster: 'c1', relation: 'remote' }, hostNetwork: ['a/q'] },
  ]);
});

test('two host-network pods with no node are two rows; a node name used in two clusters is each cluster\'s own node', () => {
  const rows = matrixNodes([
    { cluster: 'c1', name: 'wk01', addresses: ['172.26.0.142'], controlPlane: false },
    { cluster: 'c2', name: 'wk01', addresses: ['172.26.0.146'], controlPlane: false },
  ], [
    { cluster: 'c2', namespace: 'a', name: 'on-wk01', node: 'wk01', owner: { kind: 'Pod', name: 'on-wk01' } },
    { cluster: 'c1', namespace: 'a', name: 'p', owner: { kind: 'Pod', name: 'p' } },
    { cluster: 'c1', namespace: 'a', name: 'q', owner: { kind: 'Pod', name: 'q' } },
  ], false);
  assert.deepEqual(rows.map((r) => [r.ref.cluster, r.ref.name ?? '?', r.ref.address ?? '', r.hostNetwork.join(',')]), [
    ['c2', 'wk01', '172.26.0.146', 'a/on-wk01'],
    ['c1', '?', '', 'a/p'],
    ['c1', '?', '', 'a/q'],
  ]);
});
