import { identityRange } from '../../model/index.js';

/**
 * Numbers the lab hands out as Cilium would: a security identity per identity (label set) inside
 * its cluster's range (pkg/identity/numericidentity.go: cluster ID in the bits above the local
 * identity; model/identity.ts), and an endpoint ID per pod on its node. Cilium leases a free ID
 * (pkg/idpool); the lab takes them in order of first sight, and keeps them for the lab's life, so
 * one pod shows one identity in every flow.
 */
export class IdentityBook {
  private readonly identities = new Map<string, number>();
  private readonly nextIdentity = new Map<string, number>();
  private readonly endpoints = new Map<string, number>();
  private readonly nextEndpoint = new Map<string, number>();

  /** The numeric identity of `key` (an identity of `cluster`, whose cilium-config gives its ID and maxConnectedClusters). */
  identity(cluster: string, key: string, clusterId: number, maxConnectedClusters: 255 | 511): number {
    const known = this.identities.get(key);
    if (known !== undefined) return known;
    const range = identityRange(clusterId, maxConnectedClusters);
    const n = this.nextIdentity.get(cluster) ?? 0;
    const id = range.first + (n % range.size);
    this.nextIdentity.set(cluster, n + 1);
    this.identities.set(key, id);
    return id;
  }

  /**
   * An endpoint ID on `node` ("cluster/node"), within 1..4095 as the agent's pool leases them
   * (cilium pkg/endpointmanager epIDAllocator: minID 1, maxID 4095, a random free one); the lab
   * counts from 100 (its own choice, to stay clear of the host and health endpoints' IDs).
   */
  endpoint(node: string, pod: string): number {
    const key = `${node}|${pod}`;
    const known = this.endpoints.get(key);
    if (known !== undefined) return known;
    const n = this.nextEndpoint.get(node) ?? 0;
    const id = 100 + (n % 3996);
    this.nextEndpoint.set(node, n + 1);
    this.endpoints.set(key, id);
    return id;
  }
}

/** One book per running lab, keyed (like the lab's policy engine) by its first cluster. */
const books = new WeakMap<object, IdentityBook>();

export function identityBookOf(owner: object): IdentityBook {
  let book = books.get(owner);
  if (!book) books.set(owner, (book = new IdentityBook()));
  return book;
}
