import { blocksSize, formatAddress, parseAddress, parseIpBlock, type Family } from '../net/index.js';
import { compatible, type SharingGroups } from './lb-sharing.js';
import { push } from './multimap.js';

/** A Service of type LoadBalancer as LB IPAM sees it, in creation order. */
export interface LbRequest {
  namespace: string;
  name: string;
  /** `lbipam.cilium.io/ips` (comma-separated) and spec.loadBalancerIP, de-duplicated. */
  requestedIPs: string[];
  /** `lbipam.cilium.io/sharing-key`: Services with the same key may share one address. */
  sharingKey?: string;
  /** `lbipam.cilium.io/sharing-cross-namespace`: namespaces (or "*") it may share with. */
  sharingCrossNamespace?: string[];
  /** The Service's port numbers (two sharers may not use the same one). */
  ports?: number[];
  externalTrafficPolicy?: string;
  selector?: Record<string, string>;
}

/** Reasons of the Service condition cilium.io/IPAMRequestSatisfied (operator/pkg/lbipam/lbipam.go). */
export type LbReason = 'satisfied' | 'out_of_ips' | 'no_pool' | 'already_allocated' | 'already_allocated_incompatible_service';

export interface LbAllocation {
  namespace: string;
  name: string;
  /** null while <pending>. */
  ip: string | null;
  reason: LbReason;
  message: string;
  /** Other Services this address is shared with (sharing key), in creation order. */
  sharedWith?: string[];
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

type Got = Omit<LbAllocation, 'namespace' | 'name'>;

/**
 * Allocates as Cilium 1.16's LB IPAM does for one pool: requested addresses when they are in
 * the pool and free; otherwise, range by range in `spec.blocks` order, the lowest address of
 * the smallest free block (ipalloc AllocAny). A Service with a sharing key first joins an
 * address its key already holds, if it is compatible with every Service there
 * (satisfySpecificIPRequests, satisfyGenericIPv4Requests, ServiceView.isCompatible). A Service
 * that gets nothing stays pending.
 */
export function allocateLoadBalancerIPs(pool: string, blocks: readonly string[], requests: readonly LbRequest[]): { allocations: LbAllocation[]; pool: PoolStatus } {
  const ranges: FreeRange[] = blocks.flatMap((text) => {
    const r = parseIpBlock(text);
    return r ? [{ family: r.family, span: { first: r.first, last: r.last }, free: [{ first: r.first, last: r.last }] }] : [];
  });
  const total = blocksSize(blocks);
  const groups: SharingGroups = { holders: new Map(), byKey: new Map() };
  const allocations = requests.map((req): LbAllocation => {
    const got = req.requestedIPs.length > 0 ? takeRequested(ranges, groups, req) : takeAny(ranges, groups, req);
    if (got.ip !== null) hold(groups, got.ip, req);
    return { namespace: req.namespace, name: req.name, ...got };
  });
  for (const a of allocations) {
    const others = a.ip === null ? [] : groups.holders.get(a.ip)!.filter((r) => r.namespace !== a.namespace || r.name !== a.name).map((r) => `${r.namespace}/${r.name}`);
    if (others.length) a.sharedWith = others;
  }
  const used = BigInt(groups.holders.size);
  return { allocations, pool: { name: pool, disabled: false, conflicting: false, total: Number(total), used: Number(used), available: Number(total - used) } };
}

function hold(groups: SharingGroups, ip: string, req: LbRequest): void {
  push(groups.holders, ip, req);
  if (!req.sharingKey) return;
  const ips = groups.byKey.get(req.sharingKey);
  if (ips) ips.add(ip);
  else groups.byKey.set(req.sharingKey, new Set([ip]));
}

function takeRequested(ranges: FreeRange[], groups: SharingGroups, req: LbRequest): Got {
  // A Service asks for all its addresses; with one family (the platform's case) that is the first.
  const text = req.requestedIPs[0]!;
  const addr = parseAddress(text);
  const range = addr && ranges.find((r) => r.family === addr.family && r.span.first <= addr.first && addr.first <= r.span.last);
  if (!addr || !range) return { ip: null, reason: 'no_pool', message: `No pool exists with a CIDR containing '${text}'` };
  const holders = groups.holders.get(text);
  if (holders) {
    if (!req.sharingKey) return { ip: null, reason: 'already_allocated', message: `The IP '${text}' is already allocated to another service` };
    const why = holders.map((h) => compatible(h, req)).find((r) => r !== undefined);
    if (why) return { ip: null, reason: 'already_allocated_incompatible_service', message: `The IP '${text}' is already allocated to an incompatible service. Reason: ${why}` };
    return { ip: text, reason: 'satisfied', message: '' };
  }
  take(range, addr.first);
  return { ip: text, reason: 'satisfied', message: '' };
}

function takeAny(ranges: FreeRange[], groups: SharingGroups, req: LbRequest): Got {
  for (const ip of req.sharingKey ? (groups.byKey.get(req.sharingKey) ?? []) : []) {
    if (groups.holders.get(ip)!.every((h) => compatible(h, req) === undefined)) return { ip, reason: 'satisfied', message: '' };
  }
  for (const r of ranges) {
    const smallest = smallestFree(r);
    if (!smallest) continue;
    take(r, smallest.first);
    return { ip: formatAddress(r.family, smallest.first), reason: 'satisfied', message: '' };
  }
  return { ip: null, reason: 'out_of_ips', message: 'All enabled CiliumLoadBalancerIPPools that match this service ran out of allocatable IPs' };
}

/** Marks one free address used. */
function take(r: FreeRange, a: bigint): void {
  const i = r.free.findIndex((b) => b.first <= a && a <= b.last);
  const b = r.free[i]!;
  r.free.splice(i, 1, ...(b.first < a ? [{ first: b.first, last: a - 1n }] : []), ...(a < b.last ? [{ first: a + 1n, last: b.last }] : []));
}

/**
 * The smallest free block, the lowest of equal ones: ipalloc keeps free blocks in a min-heap by
 * size, and a block split by a requested address is pushed back lower half first.
 */
function smallestFree(r: FreeRange): { first: bigint; last: bigint } | undefined {
  let best = r.free[0];
  for (const b of r.free) if (b.last - b.first < best!.last - best!.first) best = b;
  return best;
}
