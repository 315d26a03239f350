import type { LbRequest } from './lb-ipam.js';
import { SHARING_CROSS_NAMESPACE, SHARING_KEY } from './lb-sharing.js';
import type { ServiceSpec } from './services.js';

const LB_IPAM_KEYS = ['lbipam.cilium.io/ips', 'io.cilium/lb-ipam-ips'];
/** Classes LB IPAM serves (operator/pkg/lbipam: no class, or the BGP and L2 announcers'); any other belongs to another controller. */
const CILIUM_CLASSES = new Set(['io.cilium/bgp-control-plane', 'io.cilium/l2-announcer']);

/** A LoadBalancer Service that Cilium's LB IPAM answers (not another controller's class). */
export function servedByLbIpam(svc: ServiceSpec): boolean {
  return svc.type === 'LoadBalancer' && !(svc.loadBalancerClass && !CILIUM_CLASSES.has(svc.loadBalancerClass));
}

/** The annotation under its first key present, alias after; empty means not set (annotation.Get, then `val != ""`). */
const first = (annotations: Record<string, string>, keys: readonly string[]) => keys.map((k) => annotations[k]).find((v) => v !== undefined) || undefined;

/**
 * The Service as LB IPAM reads it — for `plan` and the lab's operator alike. An address the
 * Service already holds (`held`, from its status) is requested again when it asks for none, so
 * it keeps it.
 */
export function lbIpamRequest(svc: ServiceSpec, held?: string): LbRequest {
  const requested = LB_IPAM_KEYS.flatMap((k) => (svc.annotations[k] ?? '').split(',')).map((s) => s.trim()).filter(Boolean);
  if (svc.loadBalancerIP) requested.push(svc.loadBalancerIP);
  if (held && requested.length === 0) requested.push(held);
  const key = first(svc.annotations, SHARING_KEY);
  const cross = first(svc.annotations, SHARING_CROSS_NAMESPACE);
  return {
    namespace: svc.namespace,
    name: svc.name,
    requestedIPs: [...new Set(requested)],
    ...(key ? { sharingKey: key } : {}),
    // Split on commas and not trimmed, as Cilium does (getSVCSharingCrossNamespace).
    ...(cross ? { sharingCrossNamespace: cross.split(',') } : {}),
    ports: svc.ports.map((p) => p.port),
    externalTrafficPolicy: svc.externalTrafficPolicy,
    ...(svc.selector ? { selector: svc.selector } : {}),
  };
}
