import type { HostNetworkPod, NodePeer, PeerRef } from '../model/policy-engine/index.js';
import type { MatrixNode } from './matrix.js';

/**
 * The nodes a matrix shows: each node that runs host-network pods (they have its identity), and
 * with `all` every known node. A host-network pod whose node is not known gets a row of its own.
 */
export function matrixNodes(nodes: readonly NodePeer[], hostNetwork: readonly HostNetworkPod[], all: boolean): MatrixNode[] {
  const out = new Map<string, MatrixNode>();
  const refOf = (n: NodePeer): PeerRef & { kind: 'node' } => ({ kind: 'node', cluster: n.cluster, name: n.name, ...(n.addresses[0] ? { address: n.addresses[0] } : {}), ...(n.controlPlane ? { controlPlane: true } : {}) });
  if (all) for (const n of nodes) out.set(`${n.cluster}/${n.name}`, { ref: refOf(n), hostNetwork: [] });
  for (const p of [...hostNetwork].sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`))) {
    const pod = `${p.namespace}/${p.name}`;
    if (!p.node) {
      out.set(`${p.cluster}/?/${pod}`, { ref: { kind: 'node', cluster: p.cluster, relation: 'remote' }, hostNetwork: [pod] });
      continue;
    }
    const key = `${p.cluster}/${p.node}`;
    const known = nodes.find((n) => n.cluster === p.cluster && n.name === p.node);
    const row = out.get(key) ?? { ref: known ? refOf(known) : { kind: 'node', cluster: p.cluster, name: p.node }, hostNetwork: [] };
    row.hostNetwork.push(pod);
    out.set(key, row);
  }
  return [...out.values()];
}
