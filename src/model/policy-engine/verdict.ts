import { isSelf } from './self.js';
import type { BoundRule } from './bind.js';
import { describeRequest, httpMatches } from './l7-http.js';
import { isLocalHost, type PeerView } from './peer.js';
import { entryMatches } from './ports.js';
import type { Direction, RulePort } from './rule.js';
import type { EngineContext } from './context.js';
import { matchingRules, sideTable, type SideTable } from './side.js';
import type { HttpRequest, PolicyEndpoint, PolicyRequest, Protocol, SideVerdict, Verdict } from './types.js';

/**
 * One request judged as Cilium does (policy-semantics.md §2.6): per side, a matching deny rule
 * wins; else a side not in default deny allows; else an allow rule must match. An allowed side
 * whose matching rules all carry HTTP rules sends the request through the proxy, which answers
 * 403 when no HTTP rule matches — unless an L3/L4-only rule also covers the peer and port (§2.5).
 */
export function explainRequest(ctx: EngineContext, req: PolicyRequest): Verdict {
  if (isSelf(req.from, req.to)) {
    const self = (direction: Direction): SideVerdict => ({ direction, enforced: false, decision: 'allowed', selectedBy: [], reason: 'a pod can always reach itself (Kubernetes: a pod cannot block access to itself)' });
    return { verdict: 'allowed', egress: self('egress'), ingress: self('ingress') };
  }
  const from = ctx.view(req.from);
  const to = ctx.view(req.to);
  const destination = to.kind === 'endpoint' ? to.endpoint : undefined;
  const egress = from.kind === 'endpoint' ? judge(ctx, 'egress', from, to, req, destination) : outside('egress', from);
  const ingress = to.kind === 'endpoint' ? judge(ctx, 'ingress', to, from, req, destination) : outside('ingress', to);
  if (egress.decision === 'denied' || ingress.decision === 'denied') return { verdict: 'denied', stage: 'l3-l4', egress, ingress };
  if (egress.l7?.allowed === false || ingress.l7?.allowed === false) return { verdict: 'denied', stage: 'l7', httpStatus: 403, egress, ingress };
  return { verdict: 'allowed', egress, ingress };
}

function outside(direction: Direction, peer: PeerView): SideVerdict {
  const what = peer.kind === 'external' ? 'outside the clusters' : `the ${peer.kind === 'entity' ? peer.entity : 'peer'} is not a pod (host policies are not modelled)`;
  return { direction, enforced: false, decision: 'allowed', selectedBy: [], reason: `${what}: no ${direction} policy applies` };
}

interface Match {
  rule: BoundRule;
  port: RulePort;
}

function judge(ctx: EngineContext, direction: Direction, subject: PeerView & { kind: 'endpoint' }, peer: PeerView, req: PolicyRequest, destination: PolicyEndpoint | undefined): SideVerdict {
  const table = sideTable(subject.ident, direction, ctx.index, ctx.registry);
  const side = decide(ctx, direction, table, subject, peer, req, destination);
  if (table.dependsOn.length > 0) side.dependsOn = table.dependsOn;
  return side;
}

function decide(ctx: EngineContext, direction: Direction, table: SideTable, subject: PeerView & { kind: 'endpoint' }, peer: PeerView, req: PolicyRequest, destination: PolicyEndpoint | undefined): SideVerdict {
  const { enforced, selectedBy } = table;
  for (const rule of matchingRules(table.deny, peer, ctx.registry)) {
    if (anyPortMatches(rule, req.port, req.protocol, destination)) return { direction, enforced, selectedBy, decision: 'denied', rule: rule.ref, reason: `denied by ${rule.label}` };
  }
  if (direction === 'ingress' && isLocalHost(peer, subject.endpoint.cluster)) return { direction, enforced, selectedBy, decision: 'allowed', reason: "from the pod's own node: always allowed (Cilium allow-localhost)" };
  // The first rule allowing the peer and port at L3/L4 only decides; else every rule whose port carries HTTP rules.
  let withHttp: Match[] | undefined;
  for (const rule of matchingRules(table.allow, peer, ctx.registry)) {
    const ports = rule.rule.ports;
    if (ports === 'all') return allowedBy(direction, table, rule, subject.endpoint);
    for (const p of ports) {
      if (!portMatches(p, req.port, req.protocol, destination)) continue;
      if (!p.http || req.protocol !== 'TCP') return allowedBy(direction, table, rule, subject.endpoint);
      (withHttp ??= []).push({ rule, port: p });
    }
  }
  if (!withHttp) {
    if (enforced) return { direction, enforced, selectedBy, decision: 'denied', reason: `default deny: selected by ${selectedBy.join(', ')} but no rule allows` };
    return { direction, enforced, selectedBy, decision: 'allowed', reason: notEnforced(table.relaxedBy, subject.endpoint, direction) };
  }
  const side = allowedBy(direction, table, withHttp[0]!.rule, subject.endpoint);
  side.l7 = l7Decision(withHttp, req.http, req.port, req.protocol);
  return side;
}

function allowedBy(direction: Direction, table: SideTable, rule: BoundRule, pod: PolicyEndpoint): SideVerdict {
  if (!table.enforced) return { direction, enforced: false, selectedBy: table.selectedBy, decision: 'allowed', reason: notEnforced(table.relaxedBy, pod, direction) };
  return { direction, enforced: true, selectedBy: table.selectedBy, decision: 'allowed', rule: rule.ref, reason: `allowed by ${rule.label}` };
}

function notEnforced(relaxedBy: string[], endpoint: PolicyEndpoint, direction: Direction): string {
  const pod = `${endpoint.namespace}/${endpoint.name}`;
  if (relaxedBy.length) return `not enforced: ${relaxedBy.join(', ')} selects ${pod} for ${direction} with enableDefaultDeny.${direction} false`;
  return `not enforced: no policy selects ${pod} for ${direction}`;
}

function l7Decision(matches: Match[], http: HttpRequest | undefined, port: number, protocol: Protocol): SideVerdict['l7'] {
  const first = matches[0]!.rule;
  if (!http) return { allowed: true, rule: first.ref, reason: `HTTP rules of ${first.label} apply on ${port}/${protocol}; no HTTP request given, so only the L4 connection is judged` };
  for (const m of matches) {
    for (const h of m.port.http!) if (httpMatches(h, http)) return { allowed: true, rule: m.rule.ref, reason: `${describeRequest(http)} matches ${m.rule.label} http[${h.index}] (${h.text})` };
  }
  const labels = [...new Set(matches.map((m) => m.rule.label))].join(', ');
  return { allowed: false, rule: first.ref, reason: `no HTTP rule of ${labels} matches ${describeRequest(http)}: the proxy answers 403 Access denied` };
}

function anyPortMatches(rule: BoundRule, port: number, protocol: Protocol, destination: PolicyEndpoint | undefined): boolean {
  const ports = rule.rule.ports;
  if (ports === 'all') return true;
  for (const p of ports) if (portMatches(p, port, protocol, destination)) return true;
  return false;
}

function portMatches(p: RulePort, port: number, protocol: Protocol, destination: PolicyEndpoint | undefined): boolean {
  for (const e of p.entries) if (entryMatches(e, port, protocol, destination)) return true;
  return false;
}
