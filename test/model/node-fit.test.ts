/**
 * What the lab's scheduler and DaemonSet controller read from the model (src/model/node-fit.ts),
 * expected by hand from Kubernetes 1.30:
 * - the tolerations the DaemonSet controller adds to every daemon pod
 *   (pkg/controller/daemon/util/daemonset_util.go AddOrUpdateDaemonPodTolerations): not-ready and
 *   unreachable NoExecute, disk-, memory- and pid-pressure and unschedulable NoSchedule, all with
 *   operator Exists, and network-unavailable NoSchedule for host-network pods only;
 * - a Pending pod's FailedScheduling message (pkg/scheduler/framework/types.go FitError.Error):
 *   "0/N nodes are available: <count> <reason>, … . preemption: 0/N nodes are available: N
 *   Preemption is not helpful for scheduling.", the "<count> <reason>" entries sorted as text;
 *   each node gives the reason of the first filter it fails, in the default profile's order
 *   (pkg/scheduler/apis/config/v1/default_plugins.go: NodeUnschedulable "node(s) were
 *   unschedulable", NodeName "node(s) didn't match the requested node name", TaintToleration
 *   "node(s) had untolerated taint {key: value}" over NoSchedule and NoExecute taints only,
 *   NodeAffinity "node(s) didn't match Pod's node affinity/selector"); a cluster without nodes
 *   gives "no nodes available to schedule pods" (pkg/scheduler/schedule_one.go ErrNoNodesAvailable).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseManifestText } from '../../src/manifests/index.js';
import { daemonPodTolerations, nodesFromObjects, unschedulableMessage } from '../../src/model/index.js';

/** A Kubespray control plane, a cordoned worker, a spot GPU worker and a plain HDD worker, as `kubectl get nodes -o yaml` shows them. */
const NODES = nodesFromObjects(
  parseManifestText(
    'nodes.yaml',
    `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Node
  metadata: {name: cp-1, labels: {kubernetes.io/hostname: cp-1, node-role.kubernetes.io/control-plane: ""}}
  spec: {taints: [{key: node-role.kubernetes.io/control-plane, effect: NoSchedule}]}
- apiVersion: v1
  kind: Node
  metadata: {name: wk-1, labels: {kubernetes.io/hostname: wk-1, disk: ssd}}
  spec: {unschedulable: true, taints: [{key: node.kubernetes.io/unschedulable, effect: NoSchedule}]}
- apiVersion: v1
  kind: Node
  metadata: {name: wk-2, labels: {kubernetes.io/hostname: wk-2, disk: ssd}}
  spec: {taints: [{key: spot, effect: PreferNoSchedule}, {key: gpu, value: a100, effect: NoSchedule}]}
- apiVersion: v1
  kind: Node
  metadata: {name: wk-3, labels: {kubernetes.io/hostname: wk-3, disk: hdd}}
  spec: {}
`,
  ).objects,
);

const tail = (n: number) => `. preemption: 0/${n} nodes are available: ${n} Preemption is not helpful for scheduling.`;

describe('daemonPodTolerations', () => {
  const always = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];

  test('a daemon pod: the six node-condition tolerations', () => {
    assert.deepEqual(daemonPodTolerations(false), always);
  });

  test('a host-network daemon pod: network-unavailable too', () => {
    assert.deepEqual(daemonPodTolerations(true), [...always, { key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' }]);
  });
});

describe('unschedulableMessage', () => {
  test('a pod some node takes has no message', () => {
    assert.equal(unschedulableMessage({ containers: [{ name: 'c', image: 'nginx' }] }, NODES), undefined);
    assert.equal(unschedulableMessage({ nodeSelector: { disk: 'hdd' } }, NODES), undefined);
  });

  test('nodeSelector disk=nvme: each node says why, taints before the selector, a PreferNoSchedule taint passed over', () => {
    assert.equal(
      unschedulableMessage({ nodeSelector: { disk: 'nvme' } }, NODES),
      `0/4 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {gpu: a100}, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 1 node(s) were unschedulable${tail(4)}`,
    );
  });

  test('a pod tolerating every taint, the cordon included, fails on the selector alone', () => {
    assert.equal(
      unschedulableMessage({ nodeSelector: { disk: 'nvme' }, tolerations: [{ operator: 'Exists' }] }, NODES),
      `0/4 nodes are available: 4 node(s) didn't match Pod's node affinity/selector${tail(4)}`,
    );
  });

  test('tolerating the cordon only: the cordoned node now fails on its selector', () => {
    assert.equal(
      unschedulableMessage({ nodeSelector: { disk: 'nvme' }, tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] }, NODES),
      `0/4 nodes are available: 1 node(s) had untolerated taint {gpu: a100}, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector${tail(4)}`,
    );
  });

  test('node affinity no node satisfies: the same reason as a nodeSelector', () => {
    const affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'In', values: ['nvme'] }] }] } } };
    assert.equal(unschedulableMessage({ affinity, tolerations: [{ operator: 'Exists' }] }, NODES), `0/4 nodes are available: 4 node(s) didn't match Pod's node affinity/selector${tail(4)}`);
  });

  test('a node name no node has: the cordoned node is unschedulable first, the others do not match the name', () => {
    assert.equal(unschedulableMessage({ nodeName: 'wk-9' }, NODES), `0/4 nodes are available: 1 node(s) were unschedulable, 3 node(s) didn't match the requested node name${tail(4)}`);
  });

  test('a taint with a value the toleration does not name', () => {
    const gpu = NODES.filter((n) => n.name === 'wk-2');
    assert.equal(unschedulableMessage({ tolerations: [{ key: 'gpu', operator: 'Equal', value: 'h100', effect: 'NoSchedule' }] }, gpu), `0/1 nodes are available: 1 node(s) had untolerated taint {gpu: a100}${tail(1)}`);
  });

  test('a cluster without nodes', () => {
    assert.equal(unschedulableMessage({ containers: [{ name: 'c', image: 'nginx' }] }, []), 'no nodes available to schedule pods');
  });
});
