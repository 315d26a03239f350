import { formatAddress } from '../../net/index.js';
import type { Direction, ParsedPolicy } from './rule.js';

/**
 * 0.0.0.0/0 cut at every IPv4 CIDR, ipBlock and except boundary any policy names (only its ingress
 * or only its egress rules when `direction` is given): within one block every address is treated
 * alike by every rule, so one address answers for the block. netpol-analyzer's connlist uses the
 * ingress rules' blocks as sources and the egress rules' as destinations
 * (pkg/netpol/eval/resources.go getDisjointIPBlocks).
 */
export function externalBlocks(policies: readonly ParsedPolicy[], direction?: Direction): [string, string][] {
  const top = (1n << 32n) - 1n;
  const cuts = new Set<bigint>([0n]);
  for (const p of policies) {
    for (const r of p.rules) {
      if (r.peers === 'any' || (direction && r.direction !== direction)) continue;
      for (const peer of r.peers) {
        if (peer.kind !== 'cidr' || peer.range.family !== 4) continue;
        for (const range of [peer.range, ...peer.except]) {
          cuts.add(range.first);
          if (range.last < top) cuts.add(range.last + 1n);
        }
      }
    }
  }
  const starts = [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return starts.map((s, i) => [formatAddress(4, s), formatAddress(4, i + 1 < starts.length ? starts[i + 1]! - 1n : top)]);
}
