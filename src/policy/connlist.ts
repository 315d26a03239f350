import type { ConnectionSet, PeerRef, PolicyEndpoint, PolicyEngine } from '../model/policy/index.js';
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
    lines.push(...externalLines(blocks, (ip) => engine.allowedConnections({ kind: 'external', ip }, w.rep), (range, conn) => `${range}[External] => ${w.name} : ${conn}`));
    lines.push(...externalLines(blocks, (ip) => engine.allowedConnections(w.rep, { kind: 'external', ip }), (range, conn) => `${w.name} => ${range}[External] : ${conn}`));
  }
  return lines.sort();
}

/** Adjacent blocks with the same connections read as one range. */
function externalLines(blocks: [string, string][], connOf: (ip: string) => ConnectionSet, line: (range: string, conn: string) => string): string[] {
  const out: string[] = [];
  let run: { first: string; last: string; conn: string } | undefined;
  const flush = () => run && out.push(line(`${run.first}-${run.last}`, run.conn));
  for (const [first, last] of blocks) {
    const c = connOf(first);
    const conn = isEmpty(c) ? '' : formatConnections(c);
    if (run && conn === run.conn) run.last = last;
    else {
      if (run?.conn) flush();
      run = { first, last, conn };
    }
  }
  if (run?.conn) flush();
  return out;
}

function workloadsOf(endpoints: PolicyEndpoint[], multiCluster: boolean): Workload[] {
  const seen = new Map<string, Workload>();
  for (const e of endpoints) {
    const name = `${multiCluster ? `${e.cluster}/` : ''}${e.namespace}/${e.owner.name}[${e.owner.kind}]`;
    if (!seen.has(name)) seen.set(name, { name, rep: { kind: 'endpoint', endpoint: e } });
  }
  return [...seen.values()];
}
