import type { ClusterSpec } from './schema.js';

/** The CiliumLoadBalancerIPPool of a cluster: as the spec names it, else after the cluster. */
export function loadBalancerPoolName(cluster: Pick<ClusterSpec, 'name' | 'loadBalancerPool'>): string {
  return cluster.loadBalancerPool ?? `pool-${cluster.name}`;
}
