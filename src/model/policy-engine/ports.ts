import type { Protocol, PolicyEndpoint } from './types.js';

/**
 * Ports of a rule and sets of ports. A rule port is a number range or a name; a name is
 * resolved on the destination pod's container ports (K8s and Cilium both do so), so the same
 * rule can mean different numbers for different destinations.
 */
export type PortProtocol = Protocol | 'ANY';
export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

export type PortEntry = { protocol: PortProtocol; first: number; last: number } | { protocol: PortProtocol; name: string };

export const MAX_PORT = 65535;

export function entryMatches(e: PortEntry, port: number, protocol: Protocol, destination: PolicyEndpoint | undefined): boolean {
  if (e.protocol !== 'ANY' && e.protocol !== protocol) return false;
  if ('first' in e) return port >= e.first && port <= e.last;
  if (!destination) return false;
  return destination.ports.some((p) => p.name === e.name && p.port === port && p.protocol === protocol);
}

/** Sorted, disjoint, inclusive ranges. */
export type Ranges = [number, number][];
export type ProtocolRanges = Record<Protocol, Ranges>;

export const emptyRanges = (): ProtocolRanges => ({ TCP: [], UDP: [], SCTP: [] });
export const allRanges = (): ProtocolRanges => ({ TCP: [[1, MAX_PORT]], UDP: [[1, MAX_PORT]], SCTP: [[1, MAX_PORT]] });

export function entryRanges(e: PortEntry, destination: PolicyEndpoint | undefined): ProtocolRanges {
  const out = emptyRanges();
  const protocols = e.protocol === 'ANY' ? PROTOCOLS : [e.protocol];
  if ('first' in e) {
    for (const p of protocols) out[p].push([Math.max(1, e.first), e.last]);
    return out;
  }
  for (const cp of destination?.ports ?? []) if (cp.name === e.name && protocols.includes(cp.protocol)) out[cp.protocol] = union(out[cp.protocol], [[cp.port, cp.port]]);
  return out;
}

export function union(a: Ranges, b: Ranges): Ranges {
  const all = [...a, ...b].sort((x, y) => x[0] - y[0]);
  const out: Ranges = [];
  for (const [s, e] of all) {
    const last = out[out.length - 1];
    if (last && s <= last[1] + 1) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

export function subtract(a: Ranges, b: Ranges): Ranges {
  let out = a.map(([s, e]) => [s, e] as [number, number]);
  for (const [bs, be] of b) {
    const next: Ranges = [];
    for (const [s, e] of out) {
      if (be < s || bs > e) next.push([s, e]);
      else {
        if (s < bs) next.push([s, bs - 1]);
        if (e > be) next.push([be + 1, e]);
      }
    }
    out = next;
  }
  return out;
}

export function intersect(a: Ranges, b: Ranges): Ranges {
  const out: Ranges = [];
  for (const [as, ae] of a) for (const [bs, be] of b) if (Math.max(as, bs) <= Math.min(ae, be)) out.push([Math.max(as, bs), Math.min(ae, be)]);
  return union(out, []);
}

export function mapProtocols(a: ProtocolRanges, b: ProtocolRanges, f: (x: Ranges, y: Ranges) => Ranges): ProtocolRanges {
  return { TCP: f(a.TCP, b.TCP), UDP: f(a.UDP, b.UDP), SCTP: f(a.SCTP, b.SCTP) };
}

export function isAll(r: ProtocolRanges): boolean {
  return PROTOCOLS.every((p) => r[p].length === 1 && r[p][0]![0] <= 1 && r[p][0]![1] === MAX_PORT);
}

export function isNone(r: ProtocolRanges): boolean {
  return PROTOCOLS.every((p) => r[p].length === 0);
}
