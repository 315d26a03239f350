import { pinnedIPOf, pinnedLoadBalancerIPs } from '../model/index.js';
import type { ClusterSpec, Platform } from '../spec/index.js';

/**
 * The VIP LB IPAM gives the cluster's clustermesh-apiserver, when it is a LoadBalancer: the
 * cluster's loadBalancerIPs expanded into addresses in order, handed to the platform's own
 * LoadBalancer Services in creation order (model/pinned-ips.ts). The server certificate names
 * it, so it must be the very rule render uses to pin the Service: both call the same function.
 * Reference lab: 172.26.0.102 for k8s-cilium-01, 172.26.0.106 for k8s-cilium-02.
 */
export function clustermeshApiserverIP(platform: Platform, cluster: ClusterSpec): string | undefined {
  // No mesh, or a NodePort Service: spec's impliedLoadBalancers lists no clustermesh-apiserver, so no VIP.
  return pinnedIPOf(pinnedLoadBalancerIPs(platform.spec.cilium, platform.spec.mesh, cluster), 'clustermesh-apiserver');
}
