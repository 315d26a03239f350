import type { Diagnostic } from '../../diag/index.js';
import type { LoadedObject } from '../../manifests/index.js';
import { parseCiliumPolicy } from './cilium-policy.js';
import { parseNetworkPolicy } from './k8s-netpol.js';
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

/** Every policy object of the input, in input order, parsed once (not once per cluster). */
export function parsePolicies(objects: readonly LoadedObject[], diagnostics: Diagnostic[]): ParsedPolicy[] {
  const out: ParsedPolicy[] = [];
  for (const o of objects) {
    const { kind, apiVersion } = o.object;
    const r = reporterFor(o, diagnostics);
    if (kind === 'NetworkPolicy' && apiVersion.startsWith('networking.k8s.io/')) out.push(parseNetworkPolicy(o, r));
    else if ((kind === 'CiliumNetworkPolicy' || kind === 'CiliumClusterwideNetworkPolicy') && apiVersion.startsWith('cilium.io/')) out.push(...parseCiliumPolicy(o, r));
    else if (NOT_MODELLED[kind]) r.warning('POLICY_NOT_MODELLED', `${kind} ${o.object.metadata.name}: ${NOT_MODELLED[kind]}`, ['kind']);
    else if (/NetworkPolicy$/.test(kind)) r.warning('POLICY_NOT_MODELLED', `${apiVersion} ${kind} ${o.object.metadata.name} is not modelled: only networking.k8s.io NetworkPolicy and cilium.io CiliumNetworkPolicy/CiliumClusterwideNetworkPolicy are`, ['kind']);
  }
  return out;
}
