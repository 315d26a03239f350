/**
 * Scheduling fields written loosely: the API server refuses a pod spec whose toleration or
 * node-selector requirement is not a mapping, or whose requirement values are not strings
 * (core/v1 Toleration, NodeSelectorRequirement.values []string); the model reads what the author
 * evidently meant — a number as its text, a stray scalar as nothing — rather than a toleration
 * with every field empty, which would tolerate every taint without a value (toleration.go
 * ToleratesTaint: an empty key with operator Equal and an empty value matches such a taint).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { podNodes } from '../helpers/workload-pods.js';

const NODES = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Node
  metadata: {name: cp-1, labels: {node-role.kubernetes.io/control-plane: "", cores: "4"}}
  spec: {taints: [{key: node-role.kubernetes.io/control-plane, effect: NoSchedule}]}
- apiVersion: v1
  kind: Node
  metadata: {name: wk-1, labels: {cores: "16"}}
  spec: {}
---
`;

const daemonNodes = (spec: string) => podNodes(NODES, 'DaemonSet', spec);

test('a toleration written as a bare word tolerates nothing: the tainted control plane stays out', () => {
  assert.deepEqual(daemonNodes('tolerations: [NoSchedule]'), ['wk-1']);
});

test('a requirement written as a bare word is no requirement: the term keeps its other expressions', () => {
  assert.deepEqual(daemonNodes('tolerations: [{operator: Exists}]\naffinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [cores, {key: cores, operator: In, values: ["16"]}]}]}}}'), ['wk-1']);
});

test('requirement values written as numbers are read as their text', () => {
  assert.deepEqual(daemonNodes('tolerations: [{operator: Exists}]\naffinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: cores, operator: In, values: [4, 8]}]}]}}}'), ['cp-1']);
});
