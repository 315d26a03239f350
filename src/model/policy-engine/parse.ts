import type { Diagnostic } from '../../diag/index.js';
import type { LoadedObject } from '../../manifests/index.js';
import { parseCiliumPolicy } from './cilium-policy.js';
import { parseNetworkPolicy } from './k8s-netpol.js';
import { closest } from '../../spec/suggest.js';
import { reporterFor } from './report.js';
import type { ParsedPolicy } from './rule.js';

/** Policy kinds seen in the wild that the engine does not evaluate: reported, never silently skipped. */
const NOT_MODELLED: Record<string, string> = {
  AdminNetworkPolicy: 'AdminNetworkPolicy (sig-network policy API) is not enforced by Cilium 1.16 and not modelled',
  BaselineAdminNetworkPolicy: 'BaselineAdminNetworkPolicy is not enforced by Cilium 1.16 and not modelled',
  ClusterNetworkPolicy: 'ClusterNetworkPolicy (sig-network policy API) is not enforced by Cilium 1.16 and not modelled',
  CiliumCIDRGroup: 'CiliumCIDRGroup is not modelled: cidrGroupRef entries match no address',
  GlobalNetworkPolicy: 'Calico GlobalNetworkPolicy is not enforced by Cilium and not modelled',
  MultiNetworkPolicy: 'MultiNetworkPolicy (secondary networks) is not modelled',
};

const TOP_LEVEL = ['apiVersion', 'kind', 'metadata', 'status'];

/**
 * A misspelt `spec` must not read as an empty one: an empty podSelector selects every pod of the
 * namespace and would quietly cut it off. Unknown top-level fields and a missing spec are errors.
 */
function topLevel(o: LoadedObject, specs: string[], r: ReturnType<typeof reporterFor>): boolean {
  const known = [...TOP_LEVEL, ...specs];
  for (const key of Object.keys(o.object)) {
    if (known.includes(key)) continue;
    const guess = closest(key, known);
    r.error('POLICY_UNKNOWN_FIELD', `unknown field "${key}" in ${o.object.kind} ${o.object.metadata.name}${guess ? `; did you mean "${guess}"?` : ''}`, [key], `known fields: ${known.join(', ')}`, true);
  }
  if (specs.some((s) => o.object[s] !== undefined)) return true;
  r.error('POLICY_SPEC_MISSING', `${o.object.kind} ${o.object.metadata.name} has no ${specs.join(' or ')}`, [], `add ${specs[0]}: with the policy's selector and rules`);
  return false;
}

/** Every policy object of the input, in input order, parsed once (not once per cluster). */
export function parsePolicies(objects: readonly LoadedObject[], diagnostics: Diagnostic[]): ParsedPolicy[] {
  const out: ParsedPolicy[] = [];
  for (const o of objects) {
    const { kind, apiVersion } = o.object;
    const r = reporterFor(o, diagnostics);
    if (kind === 'NetworkPolicy' && apiVersion.startsWith('networking.k8s.io/')) {
      if (topLevel(o, ['spec'], r)) out.push(parseNetworkPolicy(o, r));
    } else if ((kind === 'CiliumNetworkPolicy' || kind === 'CiliumClusterwideNetworkPolicy') && apiVersion.startsWith('cilium.io/')) {
      if (topLevel(o, ['spec', 'specs'], r)) out.push(...parseCiliumPolicy(o, r));
    }
    else if (NOT_MODELLED[kind]) r.warning('POLICY_NOT_MODELLED', `${kind} ${o.object.metadata.name}: ${NOT_MODELLED[kind]}`, ['kind']);
    else if (/NetworkPolicy$/.test(kind)) r.warning('POLICY_NOT_MODELLED', `${apiVersion} ${kind} ${o.object.metadata.name} is not modelled: only networking.k8s.io NetworkPolicy and cilium.io CiliumNetworkPolicy/CiliumClusterwideNetworkPolicy are`, ['kind']);
  }
  return out;
}
