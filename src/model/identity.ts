/**
 * Security identities a cluster allocates (pkg/identity/numericidentity.go, Cilium 1.16): the
 * cluster ID occupies the bits above the local identity, 8 bits with 255 connected clusters
 * (65,536 identities each), 9 bits with 511 (32,768 each).
 */
export interface IdentityRange {
  first: number;
  last: number;
  size: number;
}

export function identityRange(clusterId: number, maxConnectedClusters: 255 | 511): IdentityRange {
  const shift = maxConnectedClusters === 511 ? 15 : 16;
  const first = clusterId === 0 ? 256 : clusterId << shift;
  const last = ((clusterId + 1) << shift) - 1;
  return { first, last, size: last - first + 1 };
}
