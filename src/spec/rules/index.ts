import type { Rule } from '../rule.js';
import { apiServerEndpoint } from './api-server.js';
import { canonicalCidrs, nativeRouting, podCidrContainsNode, podCidrOverlap, podCidrRoom, serviceCidrOverlap, tunnelProtocol } from './addressing.js';
import { clusterIds, clusterNames } from './clusters.js';
import { hubble, ingressHosts, kubeconfigRefs, l2Announcements } from './features.js';
import { loadBalancerIpsEnough, loadBalancerIpsPlacement, loadBalancerIpsUnique } from './load-balancer.js';
import { nodeAddressInServiceCidr, nodeNetworkMembers, vipsInNodeNetwork } from './node-network.js';
import { controlPlane, nodeAddresses, nodeNames } from './nodes.js';
import { ciliumVersion, kubernetesVersion } from './versions.js';

/** Every mesh rule, each a named function (changesets' rules.ts is the model). */
export const RULES: Record<string, Rule> = {
  clusterNames,
  clusterIds,
  canonicalCidrs,
  podCidrOverlap,
  podCidrContainsNode,
  serviceCidrOverlap,
  podCidrRoom,
  nativeRouting,
  tunnelProtocol,
  nodeNames,
  nodeAddresses,
  nodeAddressInServiceCidr,
  nodeNetworkMembers,
  controlPlane,
  apiServerEndpoint,
  loadBalancerIpsUnique,
  loadBalancerIpsPlacement,
  loadBalancerIpsEnough,
  vipsInNodeNetwork,
  hubble,
  ingressHosts,
  kubeconfigRefs,
  kubernetesVersion,
  ciliumVersion,
  l2Announcements,
};
