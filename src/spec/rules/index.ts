import type { Rule } from '../rule.js';
import { canonicalCidrs, nativeRouting, podCidrContainsNode, podCidrOverlap, podCidrRoom, serviceCidrOverlap } from './addressing.js';
import { clusterIds, clusterNames } from './clusters.js';
import { ciliumVersion, hubble, ingressHosts, kubeconfigRefs, l2Announcements } from './features.js';
import { loadBalancerIpsEnough, loadBalancerIpsPlacement, loadBalancerIpsUnique } from './load-balancer.js';
import { controlPlane, nodeAddresses, nodeNames } from './nodes.js';

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
  nodeNames,
  nodeAddresses,
  controlPlane,
  loadBalancerIpsUnique,
  loadBalancerIpsPlacement,
  loadBalancerIpsEnough,
  hubble,
  ingressHosts,
  kubeconfigRefs,
  ciliumVersion,
  l2Announcements,
};
