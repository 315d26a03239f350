import { isSelf } from './self.js';
import type { BoundRule } from './bind.js';
import type { EngineContext } from './context.js';
import { isLocalHost, relativeTo, type PeerView } from './peer.js';
import { allRanges, emptyRanges, entryRanges, intersect, isAll, isNone, mapProtocols, subtract, union, type ProtocolRanges } from './ports.js';
import type { Direction, PeerClass, PolicyRule } from './rule.js';
import { matchingRules, sideTable, type SideTable } from './side.js';
import type { ConnectionSet, PeerRef, PolicyEndpoint } from './types.js';

/**
 * Every L4 connection allowed from one peer to another: per side, the allowed ports (everything
 * when not in default deny, else the union of the matching allow rules) minus the ports of
 * matching deny rules; then both sides intersected. Ports where only HTTP rules allow are L7.
 */
export function allowedConnections(ctx: EngineContext, fromRef: PeerRef, toRef: PeerRef): ConnectionSet {
  if (isSelf(fromRef, toRef)) return { all: true, ports: { TCP: [[1, 65535]], UDP: [[1, 65535]], SCTP: [[1, 65535]] }, l7: false };
  const from = ctx.view(fromRef);
  const to = ctx.view(toRef);
  const destination = to.kind === 'endpoint' ? to.endpoint : undefined;
  const egress = from.kind === 'endpoint' ? sidePorts(ctx, 'egress', from, to, destination) : OPEN;
  const ingress = to.kind === 'endpoint' ? sidePorts(ctx, 'ingress', to, from, destination) : OPEN;
  const ports = mapProtocols(egress.allowed, ingress.allowed, intersect);
  const l7 = mapProtocols(ports, mapProtocols(egress.l7, ingress.l7, union), intersect);
  const unknown = [...new Set([...egress.unknown, ...ingress.unknown, ...(from.kind !== 'endpoint' ? outsideUnknown(ctx, 'egress', from) : []), ...(to.kind !== 'endpoint' ? outsideUnknown(ctx, 'ingress', to) : [])])];
  return { all: isAll(ports), ports, l7: !isNone(l7), ...(unknown.length ? { unknown } : {}) };
}

interface SidePorts {
  allowed: ProtocolRanges;
  l7: ProtocolRanges;
  /** Rules not modelled that could change this side's set: why. */
  unknown: string[];
}
const OPEN: SidePorts = { allowed: allRanges(), l7: emptyRanges(), unknown: [] };

function outsideUnknown(ctx: EngineContext, direction: Direction, peer: PeerView): string[] {
  const host = ctx.hostPolicies[direction];
  return peer.kind === 'external' || host.length === 0 ? [] : [`host policies (nodeSelector) are not modelled: ${host.join(', ')}`];
}

/**
 * One side's ports. Many peers match exactly the same rules of a side, so results are kept per
 * set of matching rules (unless a rule names ports, which resolve per destination).
 */
function sidePorts(ctx: EngineContext, direction: Direction, subject: PeerView & { kind: 'endpoint' }, other: PeerView, destination: PolicyEndpoint | undefined): SidePorts {
  const peer = relativeTo(other, subject.endpoint);
  const table = sideTable(subject.ident, direction, ctx.index, ctx.registry);
  const deny = matchingRules(table.deny, peer, ctx.registry);
  const allow = matchingRules(table.allow, peer, ctx.registry);
  const localHost = direction === 'ingress' && isLocalHost(peer, subject.endpoint.cluster);
  const named = deny.some(namesPorts) || allow.some(namesPorts);
  const cls = peer.kind === 'endpoint' ? 'endpoint' : peer.kind === 'external' ? 'external' : 'node';
  // deny/allow already differ by peer; the class and the local host decide the rest.
  const key = named ? undefined : `${cls}${localHost ? 'h' : ''}${ids(deny)}|${ids(allow)}`;
  const memo = table.ports as Map<string, SidePorts>;
  const known = key && memo.get(key);
  if (known) return known;
  const result = computeSide(table, deny, allow, localHost, destination);
  result.unknown = unknownReasons(table, allow, cls);
  if (deny.length > 0 && table.requiresDeny.length > 0) result.unknown = [...result.unknown, `${table.requiresDeny.join(', ')} could lift a deny (not modelled)`];
  if (key) memo.set(key, result);
  return result;
}

/** What the engine cannot model about this side's connections (see verdict.ts for the per-request rules). */
function unknownReasons(table: SideTable, allow: BoundRule[], cls: PeerClass): string[] {
  const out: string[] = [];
  for (const r of allow) {
    if (r.rule.unmodelled) out.push(`${r.label}: ${r.rule.unmodelled}`);
    if (r.rule.ports !== 'all') for (const p of r.rule.ports) if (p.unmodelled) out.push(`${r.label}: ${p.unmodelled}`);
  }
  for (const u of table.couldDeny) if (u.peer.could.includes(cls)) out.push(`${u.rule.label} ${u.peer.field} could deny (not modelled)`);
  if (table.enforced) for (const u of table.couldAllow) if (u.peer.could.includes(cls)) out.push(`${u.rule.label} ${u.peer.field} could allow more (not modelled)`);
  if (table.enforced && allow.length > 0 && table.requires.length > 0) out.push(`${table.requires.join(', ')} could deny (not modelled)`);
  return out;
}

function ids(rules: BoundRule[]): string {
  let s = '';
  for (const r of rules) s += `${r.id},`;
  return s;
}

function namesPorts(r: BoundRule): boolean {
  return r.rule.ports !== 'all' && r.rule.ports.some((p) => p.entries.some((e) => 'name' in e));
}

function computeSide(table: SideTable, deny: BoundRule[], allow: BoundRule[], localHost: boolean, destination: PolicyEndpoint | undefined): SidePorts {
  const denied = emptyRanges();
  for (const r of deny) append(denied, rangesOf(r.rule, destination).all);
  const allowed = !table.enforced || localHost ? allRanges() : emptyRanges();
  const http = emptyRanges();
  const plain = emptyRanges();
  for (const r of allow) {
    const ranges = rangesOf(r.rule, destination);
    append(allowed, ranges.all);
    append(http, ranges.http);
    append(plain, ranges.plain);
  }
  // HTTP rules act on TCP only; an L3/L4-only rule on the same port lifts them.
  const l7: ProtocolRanges = { TCP: subtract(union(http.TCP, []), union(plain.TCP, [])), UDP: [], SCTP: [] };
  return { allowed: mapProtocols(normalize(allowed), normalize(denied), subtract), l7, unknown: [] };
}

function append(to: ProtocolRanges, from: ProtocolRanges): void {
  for (const x of from.TCP) to.TCP.push(x);
  for (const x of from.UDP) to.UDP.push(x);
  for (const x of from.SCTP) to.SCTP.push(x);
}

function normalize(r: ProtocolRanges): ProtocolRanges {
  return { TCP: union(r.TCP, []), UDP: union(r.UDP, []), SCTP: union(r.SCTP, []) };
}

interface RuleRanges {
  all: ProtocolRanges;
  /** Ports whose toPorts entry carries HTTP rules. */
  http: ProtocolRanges;
  plain: ProtocolRanges;
}

/** A rule's ports as ranges; fixed unless it names ports (those resolve on each destination). */
const fixed = new WeakMap<PolicyRule, RuleRanges>();
function rangesOf(rule: PolicyRule, destination: PolicyEndpoint | undefined): RuleRanges {
  const cached = fixed.get(rule);
  if (cached) return cached;
  const ports = rule.ports;
  let out: RuleRanges;
  if (ports === 'all') out = { all: allRanges(), http: emptyRanges(), plain: allRanges() };
  else {
    const all = emptyRanges();
    const http = emptyRanges();
    const plain = emptyRanges();
    for (const p of ports) {
      for (const e of p.entries) {
        const r = entryRanges(e, destination);
        append(all, r);
        append(p.http ? http : plain, r);
      }
    }
    out = { all: normalize(all), http: normalize(http), plain: normalize(plain) };
  }
  const named = ports !== 'all' && ports.some((p) => p.entries.some((e) => 'name' in e));
  if (!named) fixed.set(rule, out);
  return out;
}
