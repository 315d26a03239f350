import type { ConnectionSet, PeerRef, PolicyEndpoint, PolicyEngine } from '../model/policy-engine/index.js';
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
  // Sources outside are the blocks the ingress rules cut, destinations those the egress rules cut;
  // each block is a peer of its own, never joined with its neighbours (netpol-analyzer connlist.go).
  const sources = engine.externalBlocks('ingress');
  const destinations = engine.externalBlocks('egress');
  for (const w of workloads) {
    lines.push(...externalLines(sources, (ip) => engine.allowedConnections({ kind: 'external', ip }, w.rep), (range, conn) => `${range}[External] => ${w.name} : ${conn}`));
    lines.push(...externalLines(destinations, (ip) => engine.allowedConnections(w.rep, { kind: 'external', ip }), (range, conn) => `${w.name} => ${range}[External] : ${conn}`));
  }
  return lines.sort();
}

function externalLines(blocks: [string, string][], connOf: (ip: string) => ConnectionSet, line: (range: string, conn: string) => string): string[] {
  const out: string[] = [];
  for (const [first, last] of blocks) {
    const c = connOf(first);
    if (!isEmpty(c)) out.push(line(`${first}-${last}`, formatConnections(c)));
  }
  return out;
}

function workloadsOf(endpoints: PolicyEndpoint[], multiCluster: boolean): Workload[] {
  const seen = new Map<string, Workload>();
  for (const e of endpoints) {
    const w = e.workload ?? e.owner;
    const name = `${multiCluster ? `${e.cluster}/` : ''}${e.namespace}/${w.name}[${w.kind}]`;
    if (!seen.has(name)) seen.set(name, { name, rep: { kind: 'endpoint', endpoint: e } });
  }
  return [...seen.values()];
}
