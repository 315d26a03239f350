import assert from 'node:assert/strict';
import { parseManifestText } from '../../src/manifests/index.js';
import { workloadPods } from '../../src/model/index.js';

/**
 * The nodes the pods of one workload land on (null: no node fits), given the cluster's Node
 * objects as a `kubectl get nodes -o yaml` List ending in its `---` separator, and a fragment of
 * the pod spec: a DaemonSet, or a Deployment of 2 replicas. The manifests must parse cleanly.
 */
export function podNodes(nodes: string, kind: 'Deployment' | 'DaemonSet', podSpec: string): (string | null)[] {
  const text = `${nodes}apiVersion: apps/v1
kind: ${kind}
metadata: {name: probe, namespace: ops}
spec:
${kind === 'Deployment' ? '  replicas: 2\n' : ''}  selector: {matchLabels: {app: probe}}
  template:
    metadata: {labels: {app: probe}}
    spec:
      containers: [{name: probe, image: registry.k8s.io/pause:3.9}]
${podSpec.replace(/^/gm, '      ')}
`;
  const r = parseManifestText('probe.yaml', text);
  assert.deepEqual(r.diagnostics, []);
  return workloadPods({ objects: r.objects }).pods.map((p) => p.node ?? null);
}
