import { blocksSize, formatAddress, parseAddress, parseIpBlock, type Family } from '../net/index.js';

/** A Service of type LoadBalancer as LB IPAM sees it, in creation order. */
export interface LbRequest {
  namespace: string;
  name: string;
  /** `lbipam.cilium.io/ips` (comma-separated) and spec.loadBalancerIP, de-duplicated. */
  requestedIPs: string[];
}

/** Reasons of the Service condition cilium.io/IPAMRequestSatisfied (operator lbipam.go). */
export type LbReason = 'satisfied' | 'out_of_ips' | 'no_pool' | 'already_allocated';

export interface LbAllocation {
  namespace: string;
  name: string;
  /** null while <pending>. */
  ip: string | null;
  reason: LbReason;
  message: string;
}

/** What `kubectl get ippools` shows: NAME DISABLED CONFLICTING IPS AVAILABLE. */
export interface PoolStatus {
  name: string;
  disabled: boolean;
  conflicting: boolean;
  total: number;
  used: number;
  available: number;
}

/** One block of the pool: its whole span, and what of it is still free. */
interface FreeRange {
  family: Family;
  span: { first: bigint; last: bigint };
  free: { first: bigint; last: bigint }[];
}

/**
 * Allocates as Cilium 1.16's LB IPAM does for one pool: requested addresses when they are in
 * the pool and free; otherwise, range by range in `spec.blocks` order, the lowest address of
 * the smallest free block (ipalloc AllocAny). A Service that gets nothing stays pending.
 */
export function allocateLoadBalancerIPs(pool: string, blocks: readonly string[], requests: readonly LbRequest[]): { allocations: LbAllocation[]; pool: PoolStatus } {
  const ranges: FreeRange[] = blocks.flatMap((text) => {
    const r = parseIpBlock(text);
    return r ? [{ family: r.family, span: { first: r.first, last: r.last }, free: [{ first: r.first, last: r.last }] }] : [];
  });
  const total = blocksSize(blocks);
  let used = 0n;
  const allocations = requests.map((req): LbAllocation => {
    const got = req.requestedIPs.length > 0 ? takeRequested(ranges, req.requestedIPs) : takeAny(ranges);
    if (got.ip !== null) used++;
    return { namespace: req.namespace, name: req.name, ...got };
  });
  return { allocations, pool: { name: pool, disabled: false, conflicting: false, total: Number(total), used: Number(used), available: Number(total - used) } };
}

function takeRequested(ranges: FreeRange[], ips: string[]): Omit<LbAllocation, 'namespace' | 'name'> {
  // A Service asks for all its addresses; with one family (the platform's case) that is the first.
  const text = ips[0]!;
  const addr = parseAddress(text);
  const range = addr && ranges.find((r) => r.family === addr.family && r.span.first <= addr.first && addr.first <= r.span.last);
  if (!addr || !range) return { ip: null, reason: 'no_pool', message: `No pool exists with a CIDR containing '${text}'` };
  if (!take(range, addr.first)) return { ip: null, reason: 'already_allocated', message: `The IP '${text}' is already allocated to another service` };
  return { ip: text, reason: 'satisfied', message: '' };
}

function takeAny(ranges: FreeRange[]): Omit<LbAllocation, 'namespace' | 'name'> {
  for (const r of ranges) {
    const smallest = [...r.free].sort((a, b) => cmp(a.last - a.first, b.last - b.first) || cmp(a.first, b.first))[0];
    if (!smallest) continue;
    take(r, smallest.first);
    return { ip: formatAddress(r.family, smallest.first), reason: 'satisfied', message: '' };
  }
  return { ip: null, reason: 'out_of_ips', message: 'All enabled CiliumLoadBalancerIPPools that match this service ran out of allocatable IPs' };
}

/** Marks one address used; false when it was not free. */
function take(r: FreeRange, a: bigint): boolean {
  const i = r.free.findIndex((b) => b.first <= a && a <= b.last);
  if (i === -1) return false;
  const b = r.free[i]!;
  r.free.splice(i, 1, ...(b.first < a ? [{ first: b.first, last: a - 1n }] : []), ...(a < b.last ? [{ first: a + 1n, last: b.last }] : []));
  return true;
}

function cmp(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
