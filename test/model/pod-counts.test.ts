/**
 * How many pods a workload stands for in one cluster, and what is said when no node takes them.
 * Expected by hand from the Kubernetes documentation: a Deployment makes spec.replicas pods
 * (concepts/workloads/controllers/deployment), a DaemonSet one per node it tolerates and selects
 * (controllers/daemonset "How Daemon Pods are scheduled"), pods no node admits stay Pending
 * (scheduling-eviction/taint-and-toleration, assign-pod-node), and an EndpointSlice counts a pod
 * as a ready endpoint only once it is Ready (services-networking/endpoint-slices "Conditions").
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseManifestText } from '../../src/manifests/index.js';
import { BackendIndex, clusterView, Findings, groupCount, kubesprayNodes, podGroups, workloadPods, type ClusterNode } from '../../src/model/index.js';
import { REPO_ROOT } from '../helpers/golden.js';

/** A live cluster: a tainted control plane, a plain worker, a cordoned worker and a GPU node kept for GPU jobs. */
const NODES = readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'live', 'nodes-cordoned-gpu.yaml'), 'utf8');
const HINT = 'check its nodeSelector, node affinity and tolerations against the nodes: cp-1 (node-role.kubernetes.io/control-plane:NoSchedule), wk-1, wk-2 (node.kubernetes.io/unschedulable:NoSchedule) (cordoned), gpu-1 (dedicated=gpu:NoSchedule)';

function run(text: string, withNodes = true) {
  const r = workloadPods({ objects: parseManifestText('workloads.yaml', (withNodes ? `${NODES}---\n` : '') + text).objects, cluster: 'factory' });
  return { pods: r.pods, findings: r.diagnostics.map((d) => ({ code: d.code, severity: d.severity, message: d.message, hint: d.hint, line: d.start?.line })) };
}

const trainer = (replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: trainer, namespace: ml}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: trainer}}
  template:
    metadata: {labels: {app: trainer}}
    spec:
      nodeSelector: {nvidia.com/gpu.present: "true"}
      containers: [{name: trainer, image: registry.example.com/ml/trainer:0.9}]
`;

describe('pods no node takes', () => {
  test('a Deployment: its pods stay Pending and not ready; the warning names it, the cluster and every node with its taints', () => {
    const r = run(trainer(2));
    assert.deepEqual(r.pods.map((p) => [p.phase, p.ready, p.node]), [['Pending', false, undefined], ['Pending', false, undefined]]);
    // The List takes 19 lines and `---` one: the pod template's spec (spec.template.spec) starts on the Deployment's line 10.
    assert.deepEqual(r.findings, [{ code: 'UNSCHEDULABLE', severity: 'warning', message: 'no node of cluster factory can run Deployment ml/trainer: its pods stay Pending and are not ready', hint: HINT, line: 30 }]);
  });

  test('a Deployment scaled to 0 makes nothing and says nothing', () => {
    assert.deepEqual(run(trainer(0)), { pods: [], findings: [] });
  });

  test('a DaemonSet no node takes makes no pods there', () => {
    const ds = 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: gpu-exporter, namespace: monitoring}\nspec:\n  selector: {matchLabels: {app: gpu-exporter}}\n  template:\n    metadata: {labels: {app: gpu-exporter}}\n    spec:\n      nodeSelector: {nvidia.com/gpu.present: "true"}\n      containers: [{name: exporter, image: nvcr.io/nvidia/k8s/dcgm-exporter:3.3.5}]\n';
    const r = run(ds);
    assert.deepEqual(r.pods, []);
    assert.deepEqual(r.findings.map((f) => [f.message, f.hint]), [['no node of cluster factory can run DaemonSet monitoring/gpu-exporter: it makes no pods there', HINT]]);
  });

  test('a bare Pod: named as a Pod, at its spec', () => {
    const r = run('apiVersion: v1\nkind: Pod\nmetadata: {name: cuda-check, namespace: ml}\nspec:\n  nodeSelector: {nvidia.com/gpu.present: "true"}\n  containers: [{name: c, image: nvcr.io/nvidia/cuda:12.4.1-base-ubuntu22.04}]\n');
    assert.deepEqual(r.findings.map((f) => [f.message, f.line]), [['no node of cluster factory can run Pod ml/cuda-check: its pods stay Pending and are not ready', 25]]);
    // -o json names the field: a Pod's own spec, a workload's pod template.
    const paths = (text: string) => workloadPods({ objects: parseManifestText('w.yaml', `${NODES}---\n${text}`).objects, cluster: 'factory' }).diagnostics.map((d) => d.path?.join('.'));
    assert.deepEqual(paths('apiVersion: v1\nkind: Pod\nmetadata: {name: cuda-check, namespace: ml}\nspec:\n  nodeSelector: {nvidia.com/gpu.present: "true"}\n  containers: [{name: c, image: nvcr.io/nvidia/cuda:12.4.1-base-ubuntu22.04}]\n'), ['spec']);
    assert.deepEqual(paths(trainer(1)), ['spec.template.spec']);
  });

  test('a DaemonSet that runs on some nodes says nothing', () => {
    const ds = 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: node-exporter, namespace: monitoring}\nspec:\n  selector: {matchLabels: {app: node-exporter}}\n  template:\n    metadata: {labels: {app: node-exporter}}\n    spec:\n      containers: [{name: exporter, image: quay.io/prometheus/node-exporter:v1.8.2}]\n';
    const r = run(ds);
    // wk-1 and wk-2 (cordoned: a DaemonSet's pods tolerate node.kubernetes.io/unschedulable).
    assert.deepEqual([r.pods.map((p) => p.node), r.findings], [['wk-1', 'wk-2'], []]);
  });

  test('a node with two taints: both in the hint, comma-separated', () => {
    const nodes = NODES.replace('{taints: [{key: dedicated, value: gpu, effect: NoSchedule}]}', '{taints: [{key: dedicated, value: gpu, effect: NoSchedule}, {key: nvidia.com/gpu, effect: NoExecute}]}');
    const r = workloadPods({ objects: parseManifestText('w.yaml', `${nodes}---\n${trainer(1)}`).objects, cluster: 'factory' });
    assert.match(r.diagnostics[0]!.hint!, /gpu-1 \(dedicated=gpu:NoSchedule, nvidia\.com\/gpu:NoExecute\)$/);
  });

  test('no node at all (a snapshot without Node objects, and no platform nodes given): "none"', () => {
    const findings = new Findings();
    const objects = parseManifestText('w.yaml', trainer(1)).objects;
    const [g] = podGroups(objects, findings);
    assert.deepEqual(groupCount(g!, clusterView('factory', [], findings)), { pods: 1, ready: 0, serving: 0 });
    assert.deepEqual(findings.list.map((d) => d.hint), ['check its nodeSelector, node affinity and tolerations against the nodes: none']);
  });

  test('counting without a place to report: the same count, nothing thrown', () => {
    const objects = parseManifestText('w.yaml', trainer(3)).objects;
    const [g] = podGroups(objects, new Findings());
    assert.deepEqual(groupCount(g!, clusterView('factory', kubesprayNodes({ nodes: [{ name: 'solo', address: '10.0.0.1', role: 'control-plane' }] }))), { pods: 3, ready: 0, serving: 0 });
  });
});

describe('a DaemonSet behind a Service: one ready backend per node it runs on', () => {
  const nodeLocalDns = (tolerations: string) => `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: node-local-dns, namespace: kube-system}
spec:
  selector: {matchLabels: {k8s-app: node-local-dns}}
  template:
    metadata: {labels: {k8s-app: node-local-dns}}
    spec:
${tolerations}      containers: [{name: node-cache, image: registry.k8s.io/dns/k8s-dns-node-cache:1.22.28}]
`;
  const three: ClusterNode[] = kubesprayNodes({ nodes: [{ name: 'cp1', address: '10.0.0.1', role: 'control-plane' }, { name: 'wk1', address: '10.0.0.2', role: 'worker' }, { name: 'wk2', address: '10.0.0.3', role: 'worker' }] });
  const backends = (text: string, nodes: ClusterNode[] | undefined) => {
    const findings = new Findings();
    const index = new BackendIndex(podGroups(parseManifestText('w.yaml', text).objects, findings));
    return index.backends('kube-system', { 'k8s-app': 'node-local-dns' }, clusterView('c1', nodes, findings));
  };

  test('on the two workers of a three-node cluster: 2; tolerating every taint: 3', () => {
    assert.deepEqual([backends(nodeLocalDns(''), three).ready, backends(nodeLocalDns(''), three).pods], [2, 2]);
    assert.equal(backends(nodeLocalDns('      tolerations: [{operator: Exists}]\n'), three).ready, 3);
  });

  test('nodes not known: counted as one', () => {
    assert.equal(backends(nodeLocalDns(''), undefined).ready, 1);
  });
});

describe('live controllers: their status', () => {
  test('a Deployment mid-rollout whose status says more ready than it has: ready is capped at its pods', () => {
    const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: nginx:1.27}]}}\nstatus: {replicas: 2, readyReplicas: 3, availableReplicas: 2}\n';
    const findings = new Findings();
    const [g] = podGroups(parseManifestText('w.yaml', text).objects, findings);
    assert.deepEqual(groupCount(g!, clusterView('c1', undefined, findings)), { pods: 2, ready: 2, serving: 2 });
  });
});
