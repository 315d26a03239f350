import { formatCidr, parseCidr } from '../net/index.js';
import type { ClusterSpec } from '../spec/index.js';

export interface NodePodCidr {
  node: string;
  role: 'control-plane' | 'worker';
  /** The /podCIDRMaskSize slice cluster-pool IPAM hands this node. */
  podCIDR: string;
  /** Addresses pods can get: the slice less its network and broadcast addresses, cilium_host's router IP and the health endpoint. */
  podIPs: number;
}

export interface ClusterIpam {
  podCIDR: string;
  maskSize: number;
  slices: number;
  nodes: NodePodCidr[];
  /** Slices left for nodes that join later. */
  freeSlices: number;
}

/** Addresses of a slice that never go to pods. */
const RESERVED_PER_SLICE = 4;

/**
 * Cilium's cluster-pool IPAM: the operator cuts the pod CIDR into /maskSize slices and gives
 * nodes the next free one as their CiliumNode appears, i.e. in node order.
 */
export function clusterIpam(cluster: Pick<ClusterSpec, 'podCIDR' | 'podCIDRMaskSize' | 'nodes'>): ClusterIpam {
  const pod = parseCidr(cluster.podCIDR)!;
  const mask = cluster.podCIDRMaskSize;
  const sliceSize = 1n << BigInt(32 - mask);
  const slices = 2 ** (mask - pod.prefix);
  const podIPs = Math.max(0, Number(sliceSize) - RESERVED_PER_SLICE);
  const nodes = cluster.nodes.slice(0, slices).map((n, i) => ({
    node: n.name,
    role: n.role,
    podCIDR: formatCidr({ family: 4, first: pod.first + BigInt(i) * sliceSize, prefix: mask }),
    podIPs,
  }));
  return { podCIDR: cluster.podCIDR, maskSize: mask, slices, nodes, freeSlices: slices - nodes.length };
}
