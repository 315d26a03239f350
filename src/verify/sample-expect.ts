import { findingAt } from '../model/index.js';
import type { SideVerdict, Verdict } from '../model/policy-engine/index.js';
import type { PolicyPrediction } from './policy-predict.js';

/** What `policy explain` says of one request, in its words, with the rules it rests on. */
export interface Expectation {
  verdict: 'allowed' | 'denied';
  stage?: 'l3-l4' | 'l7';
  /** explain's words: "allowed by <rule> (file:line)", "denied: <reason>", "denied at L7 (HTTP 403 …): <reason>". */
  text: string;
  /** What decided, with its place: "<Kind ns/name section[i]> (file:line)", or "the default deny of <Kind ns/name> (file:line)". */
  rules: string[];
}

/**
 * A verdict as a row expects it: the rules of the enforcing sides when allowed; the deciding side's
 * reason when denied (its rule, or the default deny of the policies selecting it); none when unknown.
 */
export function expectation(v: Verdict, prediction: PolicyPrediction): Expectation | undefined {
  if (v.verdict === 'unknown') return undefined;
  const sides = [v.egress, v.ingress];
  if (v.verdict === 'allowed') {
    const rules = sides.filter((s) => s.enforced && s.rule).map((s) => ruleText(s.rule!, s.l7?.rule));
    return { verdict: 'allowed', text: rules.length ? `allowed by ${rules.join('; ')}` : 'allowed: not enforced (neither end is in default deny)', rules };
  }
  if (v.stage === 'l7') {
    const side = sides.find((s) => s.l7 && !s.l7.allowed)!;
    return { verdict: 'denied', stage: 'l7', text: `denied at L7 (HTTP 403 "Access denied"): ${side.l7!.reason}`, rules: side.l7!.rule ? [ruleText(side.l7!.rule)] : [] };
  }
  const side = sides.find((s) => s.decision === 'denied')!;
  return { verdict: 'denied', stage: 'l3-l4', text: `denied: ${side.reason}${side.rule ? ` (${where(side.rule)})` : ''}`, rules: side.rule ? [ruleText(side.rule)] : side.selectedBy.map((s) => `the default deny of ${s}${placeOf(prediction, s)}`) };
}

/** " (file:line)" of a policy named as the engine names it ("Kind ns/name"), where the file says. */
function placeOf(prediction: PolicyPrediction, policy: string): string {
  const o = prediction.policies.find((p) => {
    const ns = p.object.kind === 'CiliumClusterwideNetworkPolicy' ? undefined : (p.object.metadata.namespace ?? 'default');
    return `${p.object.kind} ${ns ? `${ns}/` : ''}${p.object.metadata.name}` === policy;
  });
  if (!o) return '';
  const d = findingAt(o, { severity: 'warning', code: 'POLICY_PLACE', message: '' }, ['metadata', 'name']);
  return d.file && d.start ? ` (${d.file}:${d.start.line})` : '';
}

type Ref = NonNullable<SideVerdict['rule']>;
const where = (r: Ref) => `${r.file}:${r.line}`;
const label = (r: Ref) => `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name} ${r.section}[${r.index}]`;
function ruleText(r: Ref, l7?: Ref): string {
  return `${label(r)} (${where(r)})${l7 && where(l7) !== where(r) ? `, HTTP rule ${label(l7)} (${where(l7)})` : ''}`;
}
