import { isSelf } from './self.js';
import type { BoundRule } from './bind.js';
import { describeRequest, httpMatches } from './l7-http.js';
import { isLocalHost, relativeTo, type PeerView } from './peer.js';
import { entryMatches } from './ports.js';
import type { Direction, PeerClass, RulePort } from './rule.js';
import type { EngineContext } from './context.js';
import { matchingRules, sideTable, type SideTable, type Unresolved } from './side.js';
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
  const egress = from.kind === 'endpoint' ? judge(ctx, 'egress', from, to, req, destination) : outside(ctx, 'egress', from);
  const ingress = to.kind === 'endpoint' ? judge(ctx, 'ingress', to, from, req, destination) : outside(ctx, 'ingress', to);
  // A side that surely drops decides; an unknown side leaves the verdict unknown, never allowed.
  if (egress.decision === 'denied' || ingress.decision === 'denied') return { verdict: 'denied', stage: 'l3-l4', egress, ingress };
  if (egress.decision === 'unknown' || ingress.decision === 'unknown') return { verdict: 'unknown', egress, ingress };
  if (egress.l7?.allowed === false || ingress.l7?.allowed === false) return { verdict: 'denied', stage: 'l7', httpStatus: 403, egress, ingress };
  return { verdict: 'allowed', egress, ingress };
}

function outside(ctx: EngineContext, direction: Direction, peer: Exclude<PeerView, { kind: 'endpoint' }>): SideVerdict {
  if (peer.kind === 'external') return { direction, enforced: false, decision: 'allowed', selectedBy: [], reason: `outside the clusters: no ${direction} policy applies` };
  const host = ctx.hostPolicies[direction];
  if (host.length > 0) {
    const why = `host policies (nodeSelector) are not modelled: ${host.join(', ')} could decide traffic ${direction === 'ingress' ? 'to' : 'from'} a node`;
    return { direction, enforced: false, decision: 'unknown', selectedBy: [], reason: why, unmodelled: why };
  }
  return { direction, enforced: false, decision: 'allowed', selectedBy: [], reason: `the ${peer.entity} is not a pod and no host policy (nodeSelector) is given: no ${direction} policy applies` };
}

interface Match {
  rule: BoundRule;
  port: RulePort;
}

function judge(ctx: EngineContext, direction: Direction, subject: PeerView & { kind: 'endpoint' }, peer: PeerView, req: PolicyRequest, destination: PolicyEndpoint | undefined): SideVerdict {
  const table = sideTable(subject.ident, direction, ctx.index, ctx.registry);
  const side = decide(ctx, direction, table, subject, relativeTo(peer, subject.endpoint), req, destination);
  if (table.dependsOn.length > 0) side.dependsOn = table.dependsOn;
  return side;
}

function decide(ctx: EngineContext, direction: Direction, table: SideTable, subject: PeerView & { kind: 'endpoint' }, peer: PeerView, req: PolicyRequest, destination: PolicyEndpoint | undefined): SideVerdict {
  const { enforced, selectedBy } = table;
  for (const rule of matchingRules(table.deny, peer, ctx.registry)) {
    if (!anyPortMatches(rule, req.port, req.protocol, destination)) continue;
    const denied: SideVerdict = { direction, enforced, selectedBy, decision: 'denied', rule: rule.ref, reason: `denied by ${rule.label}` };
    if (table.requiresDeny.length === 0) return denied;
    // A deny requirement may lift this deny: the verdict stands only if the allow rules drop the request too.
    const lifted = decideAllow(ctx, direction, table, subject, peer, req, destination);
    if (lifted.decision === 'denied') return denied;
    return unknown(direction, table, `denied by ${rule.label}, but ${table.requiresDeny.join(', ')} adds requirements every denied peer must meet (not modelled); without this deny: ${lifted.reason}`);
  }
  return decideAllow(ctx, direction, table, subject, peer, req, destination);
}

/** The side's decision when no deny rule drops the request. */
function decideAllow(ctx: EngineContext, direction: Direction, table: SideTable, subject: PeerView & { kind: 'endpoint' }, peer: PeerView, req: PolicyRequest, destination: PolicyEndpoint | undefined): SideVerdict {
  const { enforced, selectedBy } = table;
  // Nothing modelled denies; a deny rule whose peer form is not modelled still could.
  const couldDeny = unresolvedFor(table.couldDeny, peer, req, destination);
  const settle = (allowed: SideVerdict): SideVerdict => uncertainAllow(allowed, table, couldDeny);
  if (direction === 'ingress' && isLocalHost(peer, subject.endpoint.cluster)) return settle({ direction, enforced, selectedBy, decision: 'allowed', reason: "from the pod's own node: always allowed (Cilium allow-localhost)" });
  // The first rule allowing the peer and port at L3/L4 only decides; else every rule whose port carries HTTP rules.
  let withHttp: Match[] | undefined;
  const uncertain: string[] = [];
  for (const rule of matchingRules(table.allow, peer, ctx.registry)) {
    if (rule.rule.unmodelled) {
      if (anyPortMatches(rule, req.port, req.protocol, destination)) uncertain.push(`${rule.label}: ${rule.rule.unmodelled}`);
      continue;
    }
    const ports = rule.rule.ports;
    if (ports === 'all') return settle(allowedBy(direction, table, rule, subject.endpoint));
    for (const p of ports) {
      if (!portMatches(p, req.port, req.protocol, destination)) continue;
      if (p.unmodelled) uncertain.push(`${rule.label}: ${p.unmodelled}`);
      else if (!p.http || req.protocol !== 'TCP') return settle(allowedBy(direction, table, rule, subject.endpoint));
      else (withHttp ??= []).push({ rule, port: p });
    }
  }
  if (!withHttp) {
    if (uncertain.length > 0) return unknown(direction, table, uncertain.join('; '));
    if (!enforced) return settle({ direction, enforced, selectedBy, decision: 'allowed', reason: notEnforced(table.relaxedBy, subject.endpoint, direction) });
    const couldAllow = unresolvedFor(table.couldAllow, peer, req, destination);
    if (couldAllow) return unknown(direction, table, `no modelled rule allows, but ${couldAllow} could (not modelled)`);
    return { direction, enforced, selectedBy, decision: 'denied', reason: `default deny: selected by ${selectedBy.join(', ')} but no rule allows` };
  }
  const side = allowedBy(direction, table, withHttp[0]!.rule, subject.endpoint);
  const l7 = l7Decision(withHttp, req.http, req.port, req.protocol);
  side.l7 = l7;
  if (l7.unknown) return unknown(direction, table, l7.reason);
  if (!l7.allowed && uncertain.length > 0) return unknown(direction, table, `${l7.reason}; but ${uncertain.join('; ')}`);
  return settle(side);
}

/** An allowed side stays allowed only when nothing unmodelled could still drop the request. */
function uncertainAllow(side: SideVerdict, table: SideTable, couldDeny: string | undefined): SideVerdict {
  if (couldDeny) return unknown(side.direction, table, `${side.reason}, but ${couldDeny} could deny it (not modelled)`);
  if (side.enforced && table.requires.length > 0) return unknown(side.direction, table, `${side.reason}, but ${table.requires.join(', ')} adds requirements every allowed peer must meet (not modelled)`);
  return side;
}

function unknown(direction: Direction, table: SideTable, why: string): SideVerdict {
  return { direction, enforced: table.enforced, selectedBy: table.selectedBy, decision: 'unknown', reason: why, unmodelled: why };
}

/** The first unmodelled peer of these rules that could stand for `peer` on the requested port, as "Rule: field". */
function unresolvedFor(list: readonly Unresolved[], peer: PeerView, req: PolicyRequest, destination: PolicyEndpoint | undefined): string | undefined {
  const cls = peerClass(peer);
  for (const u of list) if (u.peer.could.includes(cls) && anyPortMatches(u.rule, req.port, req.protocol, destination)) return `${u.rule.label} ${u.peer.field}`;
  return undefined;
}

function peerClass(peer: PeerView): PeerClass {
  return peer.kind === 'endpoint' ? 'endpoint' : peer.kind === 'external' ? 'external' : 'node';
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

function l7Decision(matches: Match[], http: HttpRequest | undefined, port: number, protocol: Protocol): NonNullable<SideVerdict['l7']> {
  const first = matches[0]!.rule;
  if (!http) return { allowed: true, rule: first.ref, reason: `HTTP rules of ${first.label} apply on ${port}/${protocol}; no HTTP request given, so only the L4 connection is judged` };
  for (const m of matches) {
    for (const h of m.port.http!) if (httpMatches(h, http) === 'yes') return { allowed: true, rule: m.rule.ref, reason: `${describeRequest(http)} matches ${m.rule.label} http[${h.index}] (${h.text})` };
  }
  for (const m of matches) {
    for (const h of m.port.http!) if (httpMatches(h, http) === 'unknown') return { allowed: true, unknown: true, rule: m.rule.ref, reason: `whether ${describeRequest(http)} matches ${m.rule.label} http[${h.index}] depends on a secret's value (headerMatches secret, not known offline)` };
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
