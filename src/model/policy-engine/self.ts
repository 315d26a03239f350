import type { PeerRef } from './types.js';

/** Kubernetes: "a pod cannot block access to itself" — traffic from a pod to itself always passes. */
export function isSelf(from: PeerRef, to: PeerRef): boolean {
  if (from.kind !== 'endpoint' || to.kind !== 'endpoint') return false;
  const a = from.endpoint;
  const b = to.endpoint;
  return a === b || (a.cluster === b.cluster && a.namespace === b.namespace && a.name === b.name);
}
