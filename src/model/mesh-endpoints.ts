import { pinnedIPOf, pinnedLoadBalancerIPs } from './pinned-ips.js';
import type { CiliumSpec, ClusterSpec, Platform } from '../spec/index.js';

/** The clustermesh-apiserver's etcd port, behind a LoadBalancer VIP. */
export const CLUSTERMESH_PORT = 2379;

/**
 * With kube-proxy replacement every cluster needs its own NodePort for the clustermesh-apiserver,
 * or traffic to a remote cluster's port is answered by the local one (cilium/cilium#24692).
 */
export function clustermeshNodePort(cilium: Pick<CiliumSpec, 'kubeProxyReplacement'>, cluster: Pick<ClusterSpec, 'id'>): number {
  return cilium.kubeProxyReplacement ? 32000 + cluster.id : 32379;
}

export interface MeshEndpoint {
  cluster: string;
  /** Where the other clusters reach this cluster's clustermesh-apiserver (empty while its VIP is pending). */
  addresses: string[];
  port: number;
}

/** A cluster's clustermesh-apiserver as its peers dial it: the pinned VIP, or every node on its NodePort. */
export function meshEndpoint(platform: Platform, cluster: ClusterSpec): MeshEndpoint {
  const { cilium, mesh } = platform.spec;
  if (mesh.apiserverService === 'NodePort') return { cluster: cluster.name, addresses: cluster.nodes.map((n) => n.address), port: clustermeshNodePort(cilium, cluster) };
  const ip = pinnedIPOf(pinnedLoadBalancerIPs(cilium, mesh, cluster), 'clustermesh-apiserver');
  return { cluster: cluster.name, addresses: ip ? [ip] : [], port: CLUSTERMESH_PORT };
}
