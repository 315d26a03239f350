/**
 * Where pods may run, by the Kubernetes documentation written out by hand:
 * - assign-pod-node: nodeSelector matches every label; node affinity terms are ORed, a term's
 *   expressions ANDed; In, NotIn (also true when the label is absent), Exists, DoesNotExist, Gt
 *   and Lt (integers); matchFields on metadata.name; an empty term matches nothing;
 * - taint-and-toleration: NoSchedule and NoExecute keep pods off, PreferNoSchedule does not; a
 *   toleration with an empty effect matches every effect; Exists ignores the value, Equal
 *   compares it (a taint without value has the empty one);
 * - a pod with spec.nodeName is not scheduled: it runs where it names.
 * Nodes are given as a snapshot's Node objects, one per line of the table below.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseManifestText } from '../../src/manifests/index.js';
import { workloadPods } from '../../src/model/index.js';
import { podNodes } from '../helpers/workload-pods.js';

const NODES = `apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: Node, metadata: {name: a, labels: {zone: east, cores: "8", disk: ssd}}, spec: {}}
- {apiVersion: v1, kind: Node, metadata: {name: b, labels: {zone: west, cores: "16"}}, spec: {taints: [{key: spot, effect: PreferNoSchedule}]}}
- {apiVersion: v1, kind: Node, metadata: {name: c, labels: {zone: east, cores: "32"}}, spec: {taints: [{key: gpu, value: a100, effect: NoSchedule}]}}
- {apiVersion: v1, kind: Node, metadata: {name: d, labels: {zone: west}}, spec: {taints: [{key: maintenance, effect: NoExecute}]}}
---
`;

/** The nodes a DaemonSet with this pod-spec fragment runs on. */
const daemonNodes = (spec: string) => podNodes(NODES, 'DaemonSet', spec);

const cases: [string, string, string[]][] = [
  ['no constraint: untainted a, and b (PreferNoSchedule only)', '', ['a', 'b']],
  ['nodeSelector zone: east', 'nodeSelector: {zone: east}', ['a']],
  ['nodeSelector on two labels', 'nodeSelector: {zone: east, disk: ssd}', ['a']],
  ['tolerate gpu=a100 (Equal)', 'tolerations: [{key: gpu, operator: Equal, value: a100, effect: NoSchedule}]', ['a', 'b', 'c']],
  ['tolerate gpu=h100: wrong value', 'tolerations: [{key: gpu, value: h100, effect: NoSchedule}]', ['a', 'b']],
  ['tolerate gpu with an empty effect: every effect', 'tolerations: [{key: gpu, operator: Exists}]', ['a', 'b', 'c']],
  ['tolerate maintenance:NoExecute', 'tolerations: [{key: maintenance, operator: Exists, effect: NoExecute}]', ['a', 'b', 'd']],
  ['tolerate everything', 'tolerations: [{operator: Exists}]', ['a', 'b', 'c', 'd']],
  ['affinity In', 'affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: zone, operator: In, values: [west]}]}]}}}', ['b']],
  ['affinity NotIn (true where the label is absent too)', 'tolerations: [{operator: Exists}]\naffinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: disk, operator: NotIn, values: [ssd]}]}]}}}', ['b', 'c', 'd']],
  ['affinity Exists', 'tolerations: [{operator: Exists}]\naffinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: cores, operator: Exists}]}]}}}', ['a', 'b', 'c']],
  ['affinity DoesNotExist', 'tolerations: [{operator: Exists}]\naffinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: cores, operator: DoesNotExist}]}]}}}', ['d']],
  ['affinity Gt 8', 'tolerations: [{operator: Exists}]\naffinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: cores, operator: Gt, values: ["8"]}]}]}}}', ['b', 'c']],
  ['affinity Lt 16', 'tolerations: [{operator: Exists}]\naffinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: cores, operator: Lt, values: ["16"]}]}]}}}', ['a']],
  ['terms are ORed', 'tolerations: [{operator: Exists}]\naffinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: zone, operator: In, values: [west]}]}, {matchExpressions: [{key: disk, operator: In, values: [ssd]}]}]}}}', ['a', 'b', 'd']],
  ['expressions of a term are ANDed', 'tolerations: [{operator: Exists}]\naffinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: zone, operator: In, values: [east]}, {key: cores, operator: Gt, values: ["10"]}]}]}}}', ['c']],
  ['an operator Kubernetes does not have matches nothing', 'tolerations: [{operator: Exists}]\naffinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: zone, operator: Like, values: [east]}]}, {matchExpressions: [{key: zone, operator: In, values: [west]}]}]}}}', ['b', 'd']],
  ['Gt against a label that is no integer, or absent, matches nothing', 'tolerations: [{operator: Exists}]\naffinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: zone, operator: Gt, values: ["1"]}]}, {matchExpressions: [{key: cores, operator: Lt, values: ["x"]}]}]}}}', []],
  ['matchFields on another field matches nothing', 'tolerations: [{operator: Exists}]\naffinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchFields: [{key: metadata.namespace, operator: In, values: [a]}]}, {matchExpressions: [{key: zone, operator: In, values: [west]}]}]}}}', ['b', 'd']],
  // core/v1 NodeSelectorTerm: "A null or empty node selector term matches no objects"; the other term still counts.
  ['a null term matches nothing, beside one that matches', 'tolerations: [{operator: Exists}]\naffinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [null, {matchExpressions: [{key: zone, operator: In, values: [west]}]}]}}}', ['b', 'd']],
  ['matchFields on metadata.name', 'tolerations: [{operator: Exists}]\naffinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchFields: [{key: metadata.name, operator: In, values: [c, d]}]}]}}}', ['c', 'd']],
];

describe('DaemonSet placement over a snapshot\'s nodes', () => {
  for (const [name, spec, nodes] of cases) test(name, () => assert.deepEqual(daemonNodes(spec), nodes));

  test('a daemon that no node takes makes no pod at all', () => {
    assert.deepEqual(daemonNodes('nodeSelector: {zone: south}'), []);
  });

  test('an empty term matches no node: no pod, said out loud', () => {
    const text = `${NODES}apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: probe}\nspec:\n  template:\n    metadata: {labels: {app: probe}}\n    spec:\n      containers: [{name: c, image: busybox}]\n      affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{}]}}}\n`;
    const r = workloadPods({ objects: parseManifestText('d.yaml', text).objects, cluster: 'lab' });
    assert.deepEqual(r.pods, []);
    assert.deepEqual(r.diagnostics.map((d) => [d.code, d.message]), [['UNSCHEDULABLE', 'no node of cluster lab can run DaemonSet default/probe: it makes no pods there']]);
    assert.match(r.diagnostics[0]!.hint!, /nodes: a, b \(spot:PreferNoSchedule\), c \(gpu=a100:NoSchedule\), d \(maintenance:NoExecute\)/);
  });
});

describe('replicas spread over the nodes that take them', () => {
  test('5 replicas on a and b: 3 and 2, the least busy node first', () => {
    const text = `${NODES}apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 5\n  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: nginx}]}}\n`;
    assert.deepEqual(workloadPods({ objects: parseManifestText('d.yaml', text).objects }).pods.map((p) => p.node), ['a', 'b', 'a', 'b', 'a']);
  });

  test('a live pod already on a counts: the next replica goes to b', () => {
    const text = `${NODES}apiVersion: v1\nkind: Pod\nmetadata: {name: old}\nspec: {nodeName: a, containers: [{name: c, image: nginx}]}\nstatus: {phase: Running, conditions: [{type: Ready, status: "True"}]}\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  replicas: 1\n  template: {metadata: {labels: {app: db}}, spec: {containers: [{name: c, image: postgres}]}}\n`;
    assert.deepEqual(workloadPods({ objects: parseManifestText('s.yaml', text).objects }).pods.map((p) => [p.name, p.node]), [['old', 'a'], ['db-0', 'b']]);
  });

  test('a bare Pod naming a node runs there, taint or not; naming a node that is not there, nowhere', () => {
    const text = `${NODES}apiVersion: v1\nkind: Pod\nmetadata: {name: pinned}\nspec: {nodeName: c, containers: [{name: c, image: nginx}]}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: lost}\nspec: {nodeName: z, containers: [{name: c, image: nginx}]}\n`;
    assert.deepEqual(workloadPods({ objects: parseManifestText('p.yaml', text).objects }).pods.map((p) => [p.name, p.node, p.ready]), [['pinned', 'c', true], ['lost', 'z', false]]);
  });
});
