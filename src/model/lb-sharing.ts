import type { LbRequest } from './lb-ipam.js';

/** Addresses in use and who holds each; the addresses each sharing key holds, in allocation order. */
export interface SharingGroups {
  holders: Map<string, LbRequest[]>;
  byKey: Map<string, Set<string>>;
}

/** The annotations that let Services share an address (pkg/annotation/k8s.go), each with its alias. */
export const SHARING_KEY = ['lbipam.cilium.io/sharing-key', 'io.cilium/lb-ipam-sharing-key'];
export const SHARING_CROSS_NAMESPACE = ['lbipam.cilium.io/sharing-cross-namespace', 'io.cilium/lb-ipam-sharing-cross-namespace'];

const allows = (list: readonly string[] | undefined, namespace: string) => (list ?? []).includes(namespace) || (list ?? []).includes('*');

/**
 * Why two Services may not share an address, or undefined when they may: Cilium 1.16's
 * ServiceView.isCompatible (operator/pkg/lbipam/service_store.go), reasons word for word.
 * Ports clash on the number alone: the datapath cannot tell protocols apart (cilium#9207).
 */
export function compatible(a: LbRequest, b: LbRequest): string | undefined {
  if ((a.sharingKey ?? '') !== (b.sharingKey ?? '')) return 'different sharing key';
  if (a.namespace !== b.namespace && (!allows(a.sharingCrossNamespace, b.namespace) || !allows(b.sharingCrossNamespace, a.namespace))) return 'different and not permitted namespace';
  if ((a.ports ?? []).some((p) => (b.ports ?? []).includes(p))) return 'same port';
  const etp = (r: LbRequest) => r.externalTrafficPolicy ?? 'Cluster';
  if (etp(a) !== etp(b)) return 'different ExternalTrafficPolicy';
  if (etp(a) === 'Local') {
    const [x, y] = [Object.entries(a.selector ?? {}), b.selector ?? {}];
    if (x.length === 0 || Object.keys(y).length === 0 || x.length !== Object.keys(y).length || x.some(([k, v]) => y[k] !== v)) return 'compatible ExternalTrafficPolicy local but selecting different set of pods';
  }
  return undefined;
}
