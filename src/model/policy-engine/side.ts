import { push } from '../multimap.js';
import type { BoundPolicy, BoundRule } from './bind.js';
import type { Ident } from './identities.js';
import { rulePeerMatches, type PeerView } from './peer.js';
import type { Direction, Unmodelled } from './rule.js';
import type { Selector, SelectorRegistry } from './selector-cache.js';

/**
 * An identity's compiled view of policy for one direction, built once on first use: which
 * policies select it, whether it is in default deny, and its allow and deny rules in order.
 */
export interface SideTable {
  enforced: boolean;
  selectedBy: string[];
  /** Policies that select it with rules for this direction but enableDefaultDeny false. */
  relaxedBy: string[];
  /** Fixes the selecting policies need before Cilium enforces them as judged. */
  dependsOn: string[];
  /** Rules of this direction with fromRequires/toRequires (not modelled): an allow may not hold. */
  requires: string[];
  /**
   * Deny rules with fromRequires/toRequires (not modelled): Cilium ANDs them into the peers of
   * every deny rule selecting the endpoint (cilium/cilium v1.16.0-rc.0 14c2b3d0, pkg/policy/rule.go
   * resolveIngressPolicy/resolveEgressPolicy: requirementsDeny), so a deny may not hold.
   */
  requiresDeny: string[];
  /** Allow and deny rules with a peer form not modelled: they could match peers the engine cannot name. */
  couldAllow: Unresolved[];
  couldDeny: Unresolved[];
  allow: RuleList;
  deny: RuleList;
  /** allowedConnections results by the set of matching rules (see connections.ts). */
  ports: Map<string, unknown>;
}

/**
 * Rules in policy order, indexed by peer selector: a pair query reads the selector cache once
 * per distinct selector instead of testing every rule, which matters when dozens of policies
 * select one identity with the same few peer selectors.
 */
export interface Unresolved {
  rule: BoundRule;
  peer: Unmodelled;
}

export interface RuleList {
  rules: BoundRule[];
  /** Rules whose peers are 'any'. */
  always: number[];
  bySelector: { sel: Selector; rules: number[] }[];
  /** Rules with an entity peer that can match a pod (all, cluster). */
  podEntities: number[];
  /** Matching rules per reserved identity, filled on first use. */
  entityMemo?: Map<string, BoundRule[]>;
}

function ruleList(rules: BoundRule[]): RuleList {
  const list: RuleList = { rules, always: [], bySelector: [], podEntities: [] };
  const groups = new Map<Selector, number[]>();
  rules.forEach((r, i) => {
    if (r.peers === 'any') return list.always.push(i);
    for (const p of r.peers) {
      if (p.kind === 'selector') {
        const g = groups.get(p.sel);
        if (g) g.push(i);
        else groups.set(p.sel, [i]);
      } else if (p.kind === 'entity' && (p.entity === 'all' || p.entity === 'cluster')) list.podEntities.push(i);
    }
    return undefined;
  });
  list.bySelector = [...groups].map(([sel, idx]) => ({ sel, rules: idx }));
  return list;
}

/** The rules of a list whose peers match, in policy order. */
export function matchingRules(list: RuleList, peer: PeerView, registry: SelectorRegistry): BoundRule[] {
  if (peer.kind === 'entity') {
    // A reserved identity is one of a few: its matches are worked out once per list (a node matrix asks for them per pair).
    const key = `${peer.entity}\u0000${peer.cluster}\u0000${peer.apiserver === true}`;
    const memo = (list.entityMemo ??= new Map());
    let hit = memo.get(key);
    if (!hit) memo.set(key, (hit = list.rules.filter((r) => rulePeerMatches(r, peer, registry))));
    return hit;
  }
  if (peer.kind !== 'endpoint') return list.rules.filter((r) => rulePeerMatches(r, peer, registry));
  const hits: number[] = [...list.always];
  for (const g of list.bySelector) if (registry.matches(g.sel, peer.ident)) for (const i of g.rules) hits.push(i);
  for (const i of list.podEntities) if (rulePeerMatches(list.rules[i]!, peer, registry)) hits.push(i);
  if (hits.length > 1) hits.sort((a, b) => a - b);
  const out: BoundRule[] = [];
  for (let i = 0; i < hits.length; i++) if (i === 0 || hits[i] !== hits[i - 1]) out.push(list.rules[hits[i]!]!);
  return out;
}

/**
 * Policies indexed by cluster and one "anchor" label of their subject selector (a value the
 * subject must have), so an identity only tests the policies that could select it.
 */
export class PolicyIndex {
  private readonly anchored = new Map<string, BoundPolicy[]>();
  private readonly rest = new Map<string, BoundPolicy[]>();

  constructor(policies: readonly BoundPolicy[], namespaceKey: string) {
    for (const p of policies) {
      if (!p.subject) continue;
      const ins = p.subject.reqs.filter((q) => q.op === 'In');
      const anchor = ins.find((q) => q.key !== namespaceKey && !q.key.startsWith('io.cilium.k8s.')) ?? ins.find((q) => q.key === namespaceKey);
      if (!anchor) push(this.rest, p.cluster, p);
      else for (const v of anchor.values) push(this.anchored, `${p.cluster}\u0000${anchor.key}\u0000${v}`, p);
    }
  }

  candidates(ident: Ident): BoundPolicy[] {
    const cluster = ident.identity.cluster;
    const seen = new Set<BoundPolicy>(this.rest.get(cluster) ?? []);
    for (const [k, v] of ident.view) for (const p of this.anchored.get(`${cluster}\u0000${k}\u0000${v}`) ?? []) seen.add(p);
    return [...seen].sort((a, b) => a.order - b.order);
  }
}

export function sideTable(ident: Ident, direction: Direction, index: PolicyIndex, registry: SelectorRegistry): SideTable {
  const cached = ident.tables[direction] as SideTable | undefined;
  if (cached) return cached;
  const table = { enforced: false, selectedBy: [] as string[], relaxedBy: [] as string[], dependsOn: [] as string[], requires: [] as string[], requiresDeny: [] as string[], couldAllow: [] as Unresolved[], couldDeny: [] as Unresolved[], allow: [] as BoundRule[], deny: [] as BoundRule[] };
  for (const p of index.candidates(ident)) {
    if (!p.subject || !registry.matches(p.subject, ident)) continue;
    const parsed = p.parsed;
    if (!parsed.hasSection[direction]) continue;
    if (!table.selectedBy.includes(p.label)) table.selectedBy.push(p.label);
    for (const f of parsed.dependsOn ?? []) if (!table.dependsOn.includes(f)) table.dependsOn.push(f);
    if (parsed.enforces[direction]) table.enforced = true;
    else if (!table.relaxedBy.includes(p.label)) table.relaxedBy.push(p.label);
    for (const r of p.rules) {
      if (r.rule.direction !== direction) continue;
      (r.rule.deny ? table.deny : table.allow).push(r);
      if (r.rule.requires) (r.rule.deny ? table.requiresDeny : table.requires).push(`${r.label} ${r.rule.requires}`);
      if (r.peers !== 'any') for (const peer of r.peers) if (peer.kind === 'nothing' && peer.unmodelled) (r.rule.deny ? table.couldDeny : table.couldAllow).push({ rule: r, peer: peer.unmodelled });
    }
  }
  const compiled: SideTable = { ...table, allow: ruleList(table.allow), deny: ruleList(table.deny), ports: new Map() };
  ident.tables[direction] = compiled;
  return compiled;
}
