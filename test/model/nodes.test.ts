/**
 * Nodes: as Kubespray v2.26.0 leaves them (kubeadm's control-plane label, taint and
 * exclude-from-external-load-balancers label; the kubelet's hostname, os and arch labels, amd64
 * assumed), or as a snapshot's Node objects say. Daemon pods tolerate what the DaemonSet
 * controller adds (pkg/controller/daemon/util AddOrUpdateDaemonPodTolerations): not-ready and
 * unreachable (NoExecute), disk-, memory- and pid-pressure and unschedulable (NoSchedule), and
 * network-unavailable for host-network pods only; a Deployment's pods tolerate none of them.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseManifestText } from '../../src/manifests/index.js';
import { CONTROL_PLANE_TAINT, kubesprayNodes, nodesFromObjects, workloadPods } from '../../src/model/index.js';

describe('kubesprayNodes', () => {
  test('a control plane beside a worker: labelled and tainted by kubeadm; the worker plain', () => {
    assert.deepEqual(kubesprayNodes({ nodes: [{ name: 'cp1', address: '10.0.0.1', role: 'control-plane' }, { name: 'wk1', address: '10.0.0.2', role: 'worker' }] }), [
      {
        name: 'cp1',
        labels: { 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': 'cp1', 'kubernetes.io/os': 'linux', 'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'node-role.kubernetes.io/control-plane': '', 'node.kubernetes.io/exclude-from-external-load-balancers': '' },
        taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
      },
      { name: 'wk1', labels: { 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': 'wk1', 'kubernetes.io/os': 'linux', 'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux' }, taints: [] },
    ]);
    assert.deepEqual(CONTROL_PLANE_TAINT, { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' });
  });
});

describe('nodesFromObjects', () => {
  test('labels as text, taints with a known effect, cordons; other kinds ignored', () => {
    const text = 'apiVersion: v1\nkind: Node\nmetadata: {name: n1, labels: {rack: 7, ssd: "true"}}\nspec:\n  unschedulable: true\n  taints: [{key: a, value: x, effect: NoExecute}, {key: b, effect: Sometimes}, {effect: NoSchedule}, {key: c, effect: PreferNoSchedule}]\n---\napiVersion: v1\nkind: Node\nmetadata: {name: n2}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: n3}\n';
    assert.deepEqual(nodesFromObjects(parseManifestText('n.yaml', text).objects), [
      { name: 'n1', labels: { rack: '7', ssd: 'true' }, taints: [{ key: 'a', value: 'x', effect: 'NoExecute' }, { key: 'c', effect: 'PreferNoSchedule' }], unschedulable: true },
      { name: 'n2', labels: {}, taints: [] },
    ]);
  });
});

describe('what daemon pods tolerate', () => {
  const taints: [string, string][] = [
    ['node.kubernetes.io/not-ready', 'NoExecute'],
    ['node.kubernetes.io/unreachable', 'NoExecute'],
    ['node.kubernetes.io/disk-pressure', 'NoSchedule'],
    ['node.kubernetes.io/memory-pressure', 'NoSchedule'],
    ['node.kubernetes.io/pid-pressure', 'NoSchedule'],
    ['node.kubernetes.io/unschedulable', 'NoSchedule'],
    ['node.kubernetes.io/network-unavailable', 'NoSchedule'],
  ];
  const nodes = taints.map(([key, effect], i) => `- {apiVersion: v1, kind: Node, metadata: {name: n${i}}, spec: {taints: [{key: ${key}, effect: ${effect}}]}}`).join('\n');
  const onNodes = (kind: string, hostNetwork: boolean) => {
    const text = `apiVersion: v1\nkind: List\nitems:\n${nodes}\n---\napiVersion: apps/v1\nkind: ${kind}\nmetadata: {name: w}\nspec:\n  replicas: 1\n  template: {metadata: {labels: {app: w}}, spec: {hostNetwork: ${hostNetwork}, containers: [{name: c, image: busybox}]}}\n`;
    return workloadPods({ objects: parseManifestText('d.yaml', text).objects }).pods.map((p) => p.node ?? null);
  };

  test('a DaemonSet runs on every node but the network-unavailable one', () => {
    assert.deepEqual(onNodes('DaemonSet', false), ['n0', 'n1', 'n2', 'n3', 'n4', 'n5']);
  });

  test('a host-network DaemonSet runs there too', () => {
    assert.deepEqual(onNodes('DaemonSet', true), ['n0', 'n1', 'n2', 'n3', 'n4', 'n5', 'n6']);
  });

  test('a Deployment tolerates none of them: its pod stays Pending', () => {
    assert.deepEqual(onNodes('Deployment', false), [null]);
  });
});
