import type { ConnectionSet, PeerRef, PolicyEndpoint, PolicyEngine } from '../model/policy-engine/index.js';
import { parseAddress } from '../net/index.js';
import { formatConnections, isEmpty } from './connections.js';

interface Workload {
  name: string;
  rep: PeerRef;
}

/**
 * One line per allowed workload-to-workload connection, in the text format of np-guard's
 * netpol-analyzer `list` command: `ns/name[Kind] => ns/name[Kind] : TCP 8080`, addresses outside
 * the cluster as `a-b[External]` cut where the policies' CIDRs cut them, no line from a
 * workload to itself, lines sorted. With several clusters, workloads carry their cluster first.
 */
export function connlist(engine: PolicyEngine, endpoints: PolicyEndpoint[], multiCluster: boolean): string[] {
  const workloads = workloadsOf(endpoints, multiCluster);
  const lines: string[] = [];
  for (const a of workloads) {
    for (const b of workloads) {
      if (a === b) continue;
      const c = engine.allowedConnections(a.rep, b.rep);
      if (!isEmpty(c)) lines.push(`${a.name} => ${b.name} : ${formatConnections(c)}`);
    }
  }
  const blocks = engine.externalBlocks();
  for (const w of workloads) {
    lines.push(...externalLines(blocks, (ip) => engine.allowedConnections({ kind: 'external', ip }, w.rep), (ranges, conn) => `${ranges}[External] => ${w.name} : ${conn}`));
    lines.push(...externalLines(blocks, (ip) => engine.allowedConnections(w.rep, { kind: 'external', ip }), (ranges, conn) => `${w.name} => ${ranges}[External] : ${conn}`));
  }
  return lines.sort();
}

/**
 * An outside peer is a set of address ranges: the blocks with the same connections to a workload
 * form one peer, adjacent blocks joined, separate ones listed with commas (netpol-analyzer's IP blocks).
 */
function externalLines(blocks: [string, string][], connOf: (ip: string) => ConnectionSet, line: (ranges: string, conn: string) => string): string[] {
  const byConn = new Map<string, [string, string][]>();
  for (const [first, last] of blocks) {
    const c = connOf(first);
    if (isEmpty(c)) continue;
    const conn = formatConnections(c);
    const ranges = byConn.get(conn) ?? [];
    const prev = ranges[ranges.length - 1];
    if (prev && adjacent(prev[1], first)) prev[1] = last;
    else ranges.push([first, last]);
    byConn.set(conn, ranges);
  }
  return [...byConn].map(([conn, ranges]) => line(ranges.map(([a, b]) => `${a}-${b}`).join(','), conn));
}

/** Whether address `next` follows `last` directly (blocks come sorted and cover the space). */
function adjacent(last: string, next: string): boolean {
  const a = parseAddress(last);
  const b = parseAddress(next);
  return Boolean(a && b && a.first + 1n === b.first);
}

function workloadsOf(endpoints: PolicyEndpoint[], multiCluster: boolean): Workload[] {
  const seen = new Map<string, Workload>();
  for (const e of endpoints) {
    const name = `${multiCluster ? `${e.cluster}/` : ''}${e.namespace}/${e.owner.name}[${e.owner.kind}]`;
    if (!seen.has(name)) seen.set(name, { name, rep: { kind: 'endpoint', endpoint: e } });
  }
  return [...seen.values()];
}
