import type { HttpRequest, PeerRef, PolicyEngine, Protocol, Verdict } from '../model/policy-engine/index.js';
import type { Resolved } from './resolve.js';

export interface ExplainCase {
  from: PeerRef;
  to: PeerRef;
  /** The port the destination pod receives (a Service port translated to its target port). */
  port: number;
  verdict: Verdict;
  /** How many (source pod, destination pod) pairs share this exact outcome. */
  pairs: number;
}

export interface Explanation {
  from: Resolved;
  to: Resolved;
  port: number;
  protocol: Protocol;
  http?: HttpRequest;
  /** allowed only when every source pod may reach every destination it resolves to; unknown when a rule not modelled could decide. */
  verdict: 'allowed' | 'denied' | 'unknown';
  cases: ExplainCase[];
  /** Service backends the Service has no such port for, or that the client cluster cannot reach. */
  unreachable: string[];
  /** Names carry their cluster only in a mesh. */
  multiCluster: boolean;
}

/**
 * Every (source, destination) pair the names stand for, explained; pairs with the same owners,
 * clusters and outcome are shown once, so a Deployment of ten pods reads as one line — and when
 * they disagree, each outcome is shown.
 */
export function explain(engine: PolicyEngine, from: Resolved, to: Resolved, port: number, protocol: Protocol, http: HttpRequest | undefined, multiCluster: boolean, reachable: (source: PeerRef, backend: PeerRef) => boolean = () => true): Explanation {
  const groups = new Map<string, ExplainCase>();
  const unreachable = new Set<string>();
  for (const src of from.peers) {
    for (const dst of to.peers) {
      if (!reachable(src, dst)) {
        unreachable.add(`${label(dst, multiCluster)}: not reachable from ${clusterOf(src) ?? 'outside'} through ${to.text}`);
        continue;
      }
      const target = to.targetPort && dst.kind === 'endpoint' ? to.targetPort(dst.endpoint, port, protocol) : port;
      if (target === undefined) {
        unreachable.add(`${label(dst, multiCluster)}: Service ${to.text} has no port ${port}/${protocol}`);
        continue;
      }
      const verdict = engine.explain({ from: src, to: dst, port: target, protocol, ...(http ? { http } : {}) });
      const key = `${owner(src)}|${owner(dst)}|${target}|${outcome(verdict)}`;
      const seen = groups.get(key);
      if (seen) seen.pairs++;
      else groups.set(key, { from: src, to: dst, port: target, verdict, pairs: 1 });
    }
  }
  const cases = [...groups.values()];
  // denied when any pod pair surely is; unknown when some pair is and none is denied; allowed only when every pair is.
  const verdicts = new Set(cases.map((c) => c.verdict.verdict));
  const verdict = cases.length === 0 || verdicts.has('denied') ? 'denied' : verdicts.has('unknown') ? 'unknown' : 'allowed';
  return { from, to, port, protocol, ...(http ? { http } : {}), verdict, cases, unreachable: [...unreachable], multiCluster };
}

/** What a person compares between two pod pairs: the verdict and the rules that decided it, not pod names in reasons. */
function outcome(v: Verdict): string {
  const side = (s: Verdict['egress']) => [s.decision, s.enforced, s.rule ? `${s.rule.file}:${s.rule.line}:${s.rule.column}` : '', s.l7?.allowed ?? ''].join(',');
  return [v.verdict, v.stage ?? '', side(v.egress), side(v.ingress)].join('|');
}

export function label(p: PeerRef, multiCluster: boolean): string {
  if (p.kind === 'external') return `${p.ip} (outside the clusters)`;
  if (p.kind === 'entity') return `${p.entity} (${p.cluster})`;
  if (p.kind === 'node') return nodeLabel(p, multiCluster);
  const e = p.endpoint;
  return `${multiCluster ? `${e.cluster}/` : ''}${e.namespace}/${e.name}`;
}

function owner(p: PeerRef): string {
  return p.kind === 'endpoint' ? `${p.endpoint.cluster}/${p.endpoint.namespace}/${p.endpoint.owner.kind}/${p.endpoint.owner.name}` : label(p, true);
}

function clusterOf(p: PeerRef): string | undefined {
  return p.kind === 'endpoint' ? p.endpoint.cluster : p.kind === 'entity' || p.kind === 'node' ? p.cluster : undefined;
}

/** `node:NAME` (with its address), or the relative forms `host` and `remote-node`. */
export function nodeLabel(p: Extract<PeerRef, { kind: 'node' }>, multiCluster: boolean): string {
  if (!p.name) return p.relation === 'local' ? "host (the pod's own node)" : 'remote-node (a node the pod does not run on)';
  return `${multiCluster && p.cluster ? `${p.cluster}/` : ''}node:${p.name}${p.address ? ` (${p.address})` : ''}`;
}
