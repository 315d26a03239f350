import { formatAddress, parseIpBlock } from '../net/index.js';
import { impliedLoadBalancers, type ServiceRef } from './implied-services.js';
import type { CiliumSpec, ClusterSpec, MeshSpec } from '../spec/index.js';

export interface PinnedIP {
  service: ServiceRef;
  /** Undefined when the pool has run out (the Service would stay <pending>). */
  ip: string | undefined;
}

/**
 * The VIP each platform Service is pinned to (through `lbipam.cilium.io/ips`): the pool's
 * addresses in the order the spec lists them, handed to the Services in creation order —
 * cilium-ingress first, so the reference lab's ingress answers on .101 and its
 * clustermesh-apiserver on .102, as the notebook saw.
 */
export function pinnedLoadBalancerIPs(cilium: Pick<CiliumSpec, 'ingress'>, mesh: Pick<MeshSpec, 'enabled' | 'apiserverService'>, cluster: Pick<ClusterSpec, 'loadBalancerIPs' | 'ingressHost'>): PinnedIP[] {
  const services = impliedLoadBalancers(cilium, mesh, cluster);
  const ips = firstAddresses(cluster.loadBalancerIPs, services.length);
  return services.map((service, i) => ({ service, ip: ips[i] }));
}

export function pinnedIPOf(pins: PinnedIP[], name: string): string | undefined {
  return pins.find((p) => p.service.name === name)?.ip;
}

/** The first `n` addresses of the blocks, in order, without expanding whole CIDRs. */
export function firstAddresses(blocks: readonly string[], n: number): string[] {
  const out: string[] = [];
  for (const text of blocks) {
    const r = parseIpBlock(text);
    if (!r) continue;
    for (let a = r.first; a <= r.last && out.length < n; a++) out.push(formatAddress(r.family, a));
    if (out.length >= n) break;
  }
  return out;
}
