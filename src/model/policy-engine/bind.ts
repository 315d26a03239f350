import type { IpRange } from '../../net/index.js';
import { CLUSTER_KEY } from './labels.js';
import { policyLabel, type ParsedPolicy, type PolicyRule, type Unmodelled } from './rule.js';
import type { Selector, SelectorRegistry } from './selector-cache.js';
import type { PolicyOptions, RuleRef } from './types.js';

/**
 * A parsed policy bound to one cluster it is applied in: its subject selects that cluster's
 * endpoints only; its peer selectors match endpoints of every cluster (Cilium 1.16), or of the
 * local one unless they name the cluster key when policyDefaultLocalCluster is on (§2.8).
 */
export type BoundPeer = { kind: 'selector'; sel: Selector } | { kind: 'entity'; entity: string } | { kind: 'cidr'; range: IpRange; except: IpRange[] } | { kind: 'nothing'; unmodelled?: Unmodelled };

export interface BoundRule {
  /** Unique among all bound rules (a memo key). */
  id: number;
  rule: PolicyRule;
  policy: BoundPolicy;
  ref: RuleRef;
  /** "CiliumNetworkPolicy default/rule1 ingress[0]" */
  label: string;
  peers: BoundPeer[] | 'any';
}

export interface BoundPolicy {
  parsed: ParsedPolicy;
  cluster: string;
  /** "CiliumNetworkPolicy default/rule1" */
  label: string;
  subject: Selector | undefined;
  rules: BoundRule[];
  order: number;
}

export function bindPolicies(parsed: readonly ParsedPolicy[], clusters: readonly string[], options: PolicyOptions, registry: SelectorRegistry): BoundPolicy[] {
  const out: BoundPolicy[] = [];
  let ids = 0;
  for (const p of parsed) {
    for (const cluster of p.object.cluster ? [p.object.cluster] : clusters) {
      const label = policyLabel(p);
      const bound: BoundPolicy = {
        parsed: p,
        cluster,
        label,
        subject: p.subject && registry.intern([...p.subject, { key: CLUSTER_KEY, op: 'In', values: [cluster] }]),
        rules: [],
        order: out.length,
      };
      for (const rule of p.rules) {
        const ref: RuleRef = { kind: p.kind, ...(p.namespace !== undefined ? { namespace: p.namespace } : {}), name: p.name, cluster, section: rule.section, index: rule.index, ...rule.position };
        const peers: BoundRule['peers'] =
          rule.peers === 'any'
            ? 'any'
            : rule.peers.map((peer): BoundPeer => {
                if (peer.kind !== 'selector') return peer;
                const local = options.policyDefaultLocalCluster && !peer.namesCluster && !peer.reserved;
                return { kind: 'selector', sel: registry.intern(local ? [...peer.reqs, { key: CLUSTER_KEY, op: 'In', values: [cluster] }] : peer.reqs) };
              });
        bound.rules.push({ id: ids++, rule, policy: bound, ref, label: `${label} ${rule.section}[${rule.index}]`, peers });
      }
      out.push(bound);
    }
  }
  return out;
}
