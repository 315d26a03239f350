import type { Entity } from './types.js';

/**
 * Cilium entities (pkg/policy/api/entity.go) and how a peer looks from the cluster whose policy
 * judges it: a node of another cluster is a remote-node there, and so is another cluster's
 * kube-apiserver (it runs on that cluster's nodes).
 */
export const ENTITY_NAMES = ['all', 'world', 'world-ipv4', 'world-ipv6', 'cluster', 'host', 'remote-node', 'kube-apiserver', 'ingress', 'health', 'init', 'unmanaged', 'none'] as const;

/**
 * `cluster` = the local cluster's endpoints plus these reserved identities (pkg/policy/api/entity.go
 * InitEntities: host, remote-node, init, ingress, health, unmanaged, kube-apiserver); not the pods
 * of other mesh clusters.
 */
export const CLUSTER_ENTITY_MEMBERS: ReadonlySet<string> = new Set(['host', 'remote-node', 'init', 'ingress', 'health', 'unmanaged', 'kube-apiserver']);

export function entitySeenFrom(entity: Entity, entityCluster: string, policyCluster: string): Entity {
  if (entityCluster === policyCluster) return entity;
  return entity === 'host' || entity === 'kube-apiserver' ? 'remote-node' : entity;
}
