import { contains, parseAddress, type IpRange } from '../../net/index.js';
import type { BoundPeer, BoundRule } from './bind.js';
import { CLUSTER_ENTITY_MEMBERS, entitySeenFrom } from './entities.js';
import type { Ident, IdentityTable } from './identities.js';
import { matchView, type SelectorRegistry } from './selector-cache.js';
import type { Entity, PeerRef, PolicyEndpoint } from './types.js';

/**
 * The other end of a connection as rules see it: an endpoint (by its identity), an address
 * outside the clusters (the world identity, plus CIDR rules), or a reserved identity (entity).
 */
export type PeerView =
  | { kind: 'endpoint'; ident: Ident; endpoint: PolicyEndpoint }
  | { kind: 'external'; ip: IpRange | undefined }
  /** A reserved identity; a node's (`node` set) is resolved against the pod at the other end by `relativeTo`. */
  | { kind: 'entity'; entity: Entity; cluster: string; node?: Extract<PeerRef, { kind: 'node' }>; apiserver?: boolean };

export function viewOf(p: PeerRef, table: IdentityTable): PeerView {
  if (p.kind === 'endpoint') return { kind: 'endpoint', ident: table.of(p.endpoint), endpoint: p.endpoint };
  if (p.kind === 'external') return { kind: 'external', ip: parseAddress(p.ip) };
  if (p.kind === 'node') return { kind: 'entity', entity: p.relation === 'local' ? 'host' : 'remote-node', cluster: p.cluster ?? '', node: p, ...(p.controlPlane ? { apiserver: true } : {}) };
  return p;
}

/**
 * A node as the pod at the other end sees it (pkg/identity: reserved identities 1 host, 6
 * remote-node, 7 kube-apiserver): `host` when the pod runs on it, `remote-node` otherwise — a node
 * of another cluster included. A relative node (`host`/`remote-node` on the command line) is the
 * pod's own node or some other node of its cluster.
 */
export function relativeTo(peer: PeerView, pod: PolicyEndpoint): PeerView {
  if (peer.kind !== 'entity' || !peer.node) return peer;
  const n = peer.node;
  const cluster = n.cluster ?? pod.cluster;
  const local = n.relation ? n.relation === 'local' : cluster === pod.cluster && n.name !== undefined && n.name === pod.node;
  return { ...peer, entity: local && cluster === pod.cluster ? 'host' : 'remote-node', cluster: local ? pod.cluster : cluster };
}

const RESERVED = new Map<string, ReadonlyMap<string, string>>();
/** A reserved identity's labels: only `reserved:<name>`, so only selectors naming it match. */
function reservedView(name: string): ReadonlyMap<string, string> {
  let v = RESERVED.get(name);
  if (!v) RESERVED.set(name, (v = new Map([[`reserved:${name}`, '']])));
  return v;
}

export function peerMatches(p: BoundPeer, peer: PeerView, policyCluster: string, registry: SelectorRegistry): boolean {
  switch (p.kind) {
    case 'selector':
      if (peer.kind === 'endpoint') return registry.matches(p.sel, peer.ident);
      if (peer.kind === 'external') return matchView(p.sel.reqs, reservedView('world'));
      return matchView(p.sel.reqs, reservedView(entitySeenFrom(peer.entity, peer.cluster, policyCluster))) || (peer.apiserver === true && matchView(p.sel.reqs, reservedView('kube-apiserver')));
    case 'entity':
      return entityMatches(p.entity, peer, policyCluster);
    case 'cidr':
      return peer.kind === 'external' && peer.ip !== undefined && contains(p.range, peer.ip) && !p.except.some((e) => contains(e, peer.ip!));
    case 'nothing':
      return false;
  }
}

function entityMatches(entity: string, peer: PeerView, policyCluster: string): boolean {
  if (entity === 'all') return true;
  if (peer.kind === 'external') return entity === 'world' || (entity === 'world-ipv4' && peer.ip?.family === 4) || (entity === 'world-ipv6' && peer.ip?.family === 6);
  if (peer.kind === 'endpoint') return entity === 'cluster' && peer.ident.identity.cluster === policyCluster;
  const seen = entitySeenFrom(peer.entity, peer.cluster, policyCluster);
  return entity === seen || (entity === 'kube-apiserver' && peer.apiserver === true) || (entity === 'cluster' && CLUSTER_ENTITY_MEMBERS.has(seen));
}

export function rulePeerMatches(rule: BoundRule, peer: PeerView, registry: SelectorRegistry): boolean {
  if (rule.peers === 'any') return true;
  for (const p of rule.peers) if (peerMatches(p, peer, rule.policy.cluster, registry)) return true;
  return false;
}

/** Cilium's allow-localhost (on in Kubernetes mode): the node a pod runs on may always reach it. */
export function isLocalHost(peer: PeerView, subjectCluster: string): boolean {
  return peer.kind === 'entity' && entitySeenFrom(peer.entity, peer.cluster, subjectCluster) === 'host';
}
