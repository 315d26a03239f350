import type { Diagnostic } from '../../diag/index.js';
import type { LoadedObject } from '../../manifests/index.js';
import type { ClusterNode } from '../nodes.js';
import type { Placement } from '../placement.js';
import { workloadPods } from '../pods.js';
import type { ModelPod } from '../workload-types.js';
import { NAMESPACE_NAME_LABEL } from './labels.js';
import { hostNetworkWarning } from './node-peers.js';
import type { HostNetworkPod, PolicyEndpoint } from './types.js';

/**
 * Pods as policy sees them, per cluster: the workload model's pods (model/pods.ts, the same
 * pods plan counts), less those without an endpoint of their own — finished pods, and pods on
 * the host network, which have the host's identity.
 */
export function endpointsFromPlacement(placement: Placement<LoadedObject>, nodes?: ReadonlyMap<string, readonly ClusterNode[]>): { endpoints: PolicyEndpoint[]; hostNetwork: HostNetworkPod[]; diagnostics: Diagnostic[] } {
  const endpoints: PolicyEndpoint[] = [];
  const hostNetwork: HostNetworkPod[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const cluster of placement.clusters) {
    const clusterNodes = nodes?.get(cluster);
    const r = workloadPods({ objects: placement.byCluster.get(cluster) ?? [], cluster, ...(clusterNodes ? { nodes: clusterNodes } : {}) });
    // The same manifest read for every cluster says the same things: each once.
    for (const d of r.diagnostics) if (!diagnostics.some((x) => sameSpot(x, d))) diagnostics.push(d);
    const onHost: HostNetworkPod[] = [];
    for (const p of r.pods) {
      if (p.phase === 'Succeeded' || p.phase === 'Failed') continue;
      const top = p.owners[p.owners.length - 1] ?? { kind: 'Pod', name: p.name };
      if (p.hostNetwork) {
        onHost.push({ cluster, namespace: p.namespace, name: p.name, owner: top, ...(p.node ? { node: p.node } : {}) });
        continue;
      }
      endpoints.push({ cluster, namespace: p.namespace, name: p.name, owner: top, workload: workloadOf(p, top), labels: p.labels, serviceAccount: p.serviceAccount, ports: p.ports, ...(p.node ? { node: p.node } : {}) });
    }
    if (onHost.length > 0) diagnostics.push(hostNetworkWarning(cluster, onHost, placement.clusters.length > 1));
    hostNetwork.push(...onHost);
  }
  return { endpoints, hostNetwork, diagnostics };
}

/**
 * The workload as np-guard netpol-analyzer names it (pkg/netpol/eval/internal/k8s/pod.go): a given
 * pod by its controller ownerReference as written (a ReplicaSet keeps its hash; a Node-owned static
 * pod is its own workload), a pod made from a workload's template by that workload.
 */
function workloadOf(p: ModelPod, top: { kind: string; name: string }): { kind: string; name: string } {
  if (p.origin !== 'live') return top;
  const direct = p.owners[0];
  return direct && direct.kind !== 'Node' ? { kind: direct.kind, name: direct.name } : { kind: 'Pod', name: p.name };
}

const sameSpot = (a: Diagnostic, b: Diagnostic) => a.file === b.file && a.range?.[0] === b.range?.[0] && a.code === b.code && a.message === b.message;

/**
 * Namespace labels per cluster, from Namespace objects (plus kubernetes.io/metadata.name). A
 * namespace with no object gets that name label alone from the identity table.
 */
export function namespacesFromPlacement(placement: Placement<LoadedObject>): Map<string, Map<string, Record<string, string>>> {
  const out = new Map<string, Map<string, Record<string, string>>>();
  for (const cluster of placement.clusters) {
    const objects = placement.byCluster.get(cluster) ?? [];
    const byName = new Map<string, Record<string, string>>();
    for (const o of objects) if (o.object.kind === 'Namespace') byName.set(o.object.metadata.name, { ...stringLabels(o.object.metadata.labels), [NAMESPACE_NAME_LABEL]: o.object.metadata.name });
    out.set(cluster, byName);
  }
  return out;
}

function stringLabels(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) if (x !== undefined && typeof x !== 'object') out[k] = String(x); // typeof null is 'object' too
  return out;
}
