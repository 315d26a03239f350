/**
 * The edges of where pods may run, by the Kubernetes documentation and API written out by hand:
 * - k8s.io/api/core/v1 toleration.go ToleratesTaint: an effect, when given, must equal the taint's;
 *   operator Equal (the default when left out) compares the value, a taint without value having
 *   the empty one; Exists ignores it; a toleration without key (null is no key) with Exists
 *   matches every taint (concepts/scheduling-eviction/taint-and-toleration);
 * - k8s.io/component-helpers/scheduling/corev1/nodeaffinity: Gt and Lt parse the label and the
 *   requirement with strconv.ParseInt(…, 10, 64), so "", "0x20" or "1e3" match nothing;
 * - a cordoned node (spec.unschedulable, `kubectl cordon`) takes no new pod (NodeUnschedulable
 *   plugin), taint or not, but DaemonSet pods, which tolerate node.kubernetes.io/unschedulable;
 * - spec.nodeName "" is no node name: the pod is scheduled.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseManifestText } from '../../src/manifests/index.js';
import { workloadPods } from '../../src/model/index.js';
import { podNodes } from '../helpers/workload-pods.js';

/** A control plane, a GPU node, a node under maintenance and a node cordoned a moment ago (no taint yet). */
const NODES = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Node
  metadata: {name: cp-1, labels: {node-role.kubernetes.io/control-plane: "", cores: "0x20"}}
  spec: {}
- apiVersion: v1
  kind: Node
  metadata: {name: gpu-1, labels: {cores: "16", nvidia.com/gpu.count: "1e1"}}
  spec: {taints: [{key: nvidia.com/gpu, value: present, effect: NoSchedule}]}
- apiVersion: v1
  kind: Node
  metadata: {name: wk-1, labels: {cores: "8"}}
  spec: {taints: [{key: maintenance, effect: NoExecute}]}
- apiVersion: v1
  kind: Node
  metadata: {name: wk-2, labels: {cores: "8"}}
  spec: {unschedulable: true}
---
`;

/** The nodes the pods of a workload of this kind (2 replicas) with this pod-spec fragment land on. */
const nodesOf = (kind: 'Deployment' | 'DaemonSet', spec: string) => podNodes(NODES, kind, spec);

const daemon = (spec: string) => nodesOf('DaemonSet', spec);

describe('tolerations', () => {
  test('without any: the control plane, which kubeadm left untainted here, only (the cordoned node takes daemons)', () => {
    assert.deepEqual(daemon(''), ['cp-1', 'wk-2']);
  });

  test('the right key and value but another effect tolerates nothing', () => {
    assert.deepEqual(daemon('tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoExecute}]'), ['cp-1', 'wk-2']);
  });

  test('operator left out is Equal: the value a taint carries, matched', () => {
    assert.deepEqual(daemon('tolerations: [{key: nvidia.com/gpu, value: present, effect: NoSchedule}]'), ['cp-1', 'gpu-1', 'wk-2']);
  });

  test('Equal without a value tolerates a taint without one', () => {
    assert.deepEqual(daemon('tolerations: [{key: maintenance, operator: Equal, effect: NoExecute}]'), ['cp-1', 'wk-1', 'wk-2']);
  });

  test('Equal with a value does not tolerate a taint without one', () => {
    assert.deepEqual(daemon('tolerations: [{key: maintenance, operator: Equal, value: "true", effect: NoExecute}]'), ['cp-1', 'wk-2']);
  });

  test('key: null with Exists is no key: every taint tolerated', () => {
    assert.deepEqual(daemon('tolerations: [{key: null, operator: Exists}]'), ['cp-1', 'gpu-1', 'wk-1', 'wk-2']);
  });
});

describe('Gt and Lt read integers as strconv.ParseInt does', () => {
  const affinity = (key: string, operator: string, value: string) =>
    `tolerations: [{operator: Exists}]\naffinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: ${key}, operator: ${operator}, values: ["${value}"]}]}]}}}`;

  test('an empty label is no integer: Lt 1 does not match the control plane role', () => {
    assert.deepEqual(daemon(affinity('node-role.kubernetes.io/control-plane', 'Lt', '1')), []);
  });

  test('hexadecimal and exponent notation are no integers', () => {
    assert.deepEqual(daemon(affinity('cores', 'Gt', '10')), ['gpu-1']);
    assert.deepEqual(daemon(affinity('nvidia.com/gpu.count', 'Gt', '0')), []);
  });

  test('a signed requirement is an integer', () => {
    assert.deepEqual(daemon(affinity('cores', 'Gt', '+8')), ['gpu-1']);
    assert.deepEqual(daemon(affinity('cores', 'Gt', '-1')), ['gpu-1', 'wk-1', 'wk-2']);
  });
});

describe('cordoned nodes', () => {
  test('a Deployment\'s pods avoid a cordoned node even before its taint is added', () => {
    assert.deepEqual(nodesOf('Deployment', 'tolerations: [{key: nvidia.com/gpu, operator: Exists}]'), ['cp-1', 'gpu-1']);
    assert.deepEqual(nodesOf('Deployment', 'nodeSelector: {cores: "8"}\ntolerations: [{key: maintenance, operator: Exists}]'), ['wk-1', 'wk-1']);
  });

  test('tolerating node.kubernetes.io/unschedulable lets a Deployment\'s pod on', () => {
    assert.deepEqual(nodesOf('Deployment', 'nodeSelector: {cores: "8"}\ntolerations: [{key: node.kubernetes.io/unschedulable, operator: Exists, effect: NoSchedule}]'), ['wk-2', 'wk-2']);
  });
});

describe('spec.nodeName', () => {
  test('"" names no node: the pod is scheduled', () => {
    const text = `${NODES}apiVersion: v1\nkind: Pod\nmetadata: {name: debug, namespace: ops}\nspec: {nodeName: "", containers: [{name: shell, image: busybox:1.36}]}\n`;
    assert.deepEqual(workloadPods({ objects: parseManifestText('debug.yaml', text).objects }).pods.map((p) => [p.node, p.ready]), [['cp-1', true]]);
  });
});
