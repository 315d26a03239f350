import type { RuleRef, SideVerdict } from '../../model/policy-engine/index.js';
import { getObj } from '../controllers/kit.js';
import type { TrafficWorld } from '../traffic/world.js';
import type { SideDecision } from './carried.js';
import { flowPolicy, ruleSource } from './policy-ref.js';

const RESOURCE: Record<RuleRef['kind'], string> = {
  NetworkPolicy: 'networking.k8s.io/networkpolicies',
  CiliumNetworkPolicy: 'cilium.io/ciliumnetworkpolicies',
  CiliumClusterwideNetworkPolicy: 'cilium.io/ciliumclusterwidenetworkpolicies',
};

/** The policy object a rule came from, read from its cluster for its uid and revision. */
function policyOf(world: TrafficWorld, rule: RuleRef) {
  const api = world.clusters.find((c) => c.name === rule.cluster)?.api;
  const obj = api ? getObj(api, RESOURCE[rule.kind], rule.namespace ?? '', rule.name) : undefined;
  return flowPolicy(rule, obj?.metadata?.uid, obj?.metadata?.resourceVersion);
}

/** One side of the policy engine's verdict in a flow's terms (an unknown decision is forwarded, as the lab forwards it). */
export function sideDecision(world: TrafficWorld, side: SideVerdict): SideDecision {
  const out: SideDecision = {
    enforced: side.enforced,
    allowed: side.decision !== 'denied',
    explicitDeny: side.decision === 'denied' && Boolean(side.rule?.section.endsWith('Deny')),
    reason: side.reason,
  };
  if (side.rule) {
    out.policy = policyOf(world, side.rule);
    out.rule = ruleSource(side.rule);
  }
  if (side.l7) out.l7 = { allowed: side.l7.allowed, reason: side.l7.reason, ...(side.l7.rule ? { policy: policyOf(world, side.l7.rule), rule: ruleSource(side.l7.rule) } : {}) };
  return out;
}
