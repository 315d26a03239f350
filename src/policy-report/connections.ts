import type { ConnectionSet, Protocol } from '../model/policy-engine/index.js';

const PROTOCOLS: Protocol[] = ['SCTP', 'TCP', 'UDP'];

export function isEmpty(c: ConnectionSet): boolean {
  return !c.all && PROTOCOLS.every((p) => c.ports[p].length === 0);
}

/** netpol-analyzer's text: "All Connections", or sorted protocol/port lists such as "TCP 10053-10054,UDP 10053". */
export function formatConnections(c: ConnectionSet): string {
  if (c.all) return 'All Connections';
  return PROTOCOLS.filter((p) => c.ports[p].length > 0)
    .map((p) => `${p} ${merge(c.ports[p]).map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',')}`)
    .join(',');
}

/** Sorted, adjacent and overlapping ranges joined. */
function merge(ranges: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  // By start alone: of two ranges starting together, Math.max keeps the longer either way.
  for (const [a, b] of [...ranges].sort((x, y) => x[0] - y[0])) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}
