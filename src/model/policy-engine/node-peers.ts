import type { Diagnostic } from '../../diag/index.js';
import type { LoadedObject } from '../../manifests/index.js';
import type { Placement } from '../placement.js';
import type { NodePeer } from './types.js';

/**
 * The nodes traffic can come from or go to, with their addresses: a platform's nodes (given by
 * the caller) and the Node objects of a snapshot (status.addresses). A control-plane node also
 * carries the kube-apiserver identity: Cilium labels the API server's addresses
 * reserved:kube-apiserver on top of host/remote-node (cilium/cilium#29432 lists the cases).
 */
export function nodePeers(placement: Placement<LoadedObject>, given: ReadonlyMap<string, readonly NodePeer[]> | undefined): NodePeer[] {
  const out: NodePeer[] = [];
  for (const cluster of placement.clusters) {
    const seen = new Set<string>();
    for (const o of placement.byCluster.get(cluster) ?? []) {
      if (o.object.kind !== 'Node' || seen.has(o.object.metadata.name)) continue;
      seen.add(o.object.metadata.name);
      out.push({ cluster, name: o.object.metadata.name, addresses: addressesOf(o.object.status), controlPlane: isControlPlane(o.object.metadata.labels) });
    }
    for (const n of given?.get(cluster) ?? []) if (!seen.has(n.name)) out.push({ ...n, cluster });
  }
  return out;
}

function addressesOf(status: unknown): string[] {
  const list = status && typeof status === 'object' && Array.isArray((status as { addresses?: unknown }).addresses) ? (status as { addresses: unknown[] }).addresses : [];
  const out: string[] = [];
  for (const a of list) {
    if (!a || typeof a !== 'object') continue;
    const { type, address } = a as { type?: unknown; address?: unknown };
    if ((type === 'InternalIP' || type === 'ExternalIP') && typeof address === 'string') out.push(address);
  }
  return out;
}

function isControlPlane(labels: unknown): boolean {
  if (!labels || typeof labels !== 'object') return false;
  return 'node-role.kubernetes.io/control-plane' in labels || 'node-role.kubernetes.io/master' in labels;
}

/**
 * Pods with hostNetwork: true have no endpoint of their own: Cilium gives their traffic the node's
 * identity (host on that node, remote-node elsewhere), so no pod policy selects them.
 */
export function hostNetworkWarning(cluster: string, pods: readonly { namespace: string; name: string; node?: string }[], multiCluster: boolean): Diagnostic {
  const names = pods.map((p) => `${p.namespace}/${p.name}${p.node ? ` (node ${p.node})` : ''}`);
  const shown = names.length > 6 ? `${names.slice(0, 6).join(', ')} and ${names.length - 6} more` : names.join(', ');
  const one = names.length === 1;
  return {
    severity: 'warning',
    code: 'POLICY_HOST_NETWORK',
    message: `${multiCluster ? `cluster ${cluster}: ` : ''}${shown} use${one ? 's' : ''} the host network: Cilium gives ${one ? 'its' : 'their'} traffic the node's identity (host on that node, remote-node elsewhere), so pod policies do not select ${one ? 'it' : 'them'}; shown as node:NAME`,
    hint: `to police ${one ? 'it' : 'them'}, use a host policy (nodeSelector), or drop hostNetwork so ${one ? 'it gets' : 'they get'} an endpoint of ${one ? 'its' : 'their'} own`,
  };
}
