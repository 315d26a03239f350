import { impliedLoadBalancers } from '../model/index.js';
import type { Platform } from './schema.js';
import { blocksSize } from '../net/index.js';

export interface ClusterSummary {
  name: string;
  id: number;
  podCIDR: string;
  podCIDRMaskSize: number;
  serviceCIDR: string;
  controlPlane: { name: string; address: string }[];
  workers: { name: string; address: string }[];
  loadBalancerIPs: string[];
  loadBalancerIPCount: number;
  loadBalancerServices: string[];
  ingressHost: string | null;
}

export interface PlatformSummary {
  name: string;
  kubernetes: { version: string; provisioner: string };
  cilium: { version: string; kubeProxyReplacement: boolean; ingress: string; hubble: string; encryption: string; routing: string };
  mesh: { enabled: boolean; apiserverService: string; kvstoremesh: boolean; maxConnectedClusters: number };
  clusters: ClusterSummary[];
}

/** What a person wants to see of a valid platform at a glance. */
export function summarizePlatform(p: Platform): PlatformSummary {
  const { cilium, mesh } = p.spec;
  const hubble = cilium.hubble.enabled ? ['on', cilium.hubble.relay && 'relay', cilium.hubble.ui && 'ui'].filter(Boolean).join(' + ') : 'off';
  return {
    name: p.metadata.name,
    kubernetes: { version: p.spec.kubernetes.version, provisioner: p.spec.kubernetes.provisioner },
    cilium: {
      version: cilium.version,
      kubeProxyReplacement: cilium.kubeProxyReplacement,
      ingress: cilium.ingress.enabled ? cilium.ingress.mode : 'off',
      hubble,
      encryption: cilium.encryption.type,
      routing: cilium.routingMode === 'tunnel' ? `tunnel (${cilium.tunnelProtocol})` : 'native',
    },
    mesh: { ...mesh },
    clusters: p.spec.clusters.map((c) => ({
      name: c.name,
      id: c.id,
      podCIDR: c.podCIDR,
      podCIDRMaskSize: c.podCIDRMaskSize,
      serviceCIDR: c.serviceCIDR,
      controlPlane: c.nodes.filter((n) => n.role === 'control-plane').map(({ name, address }) => ({ name, address })),
      workers: c.nodes.filter((n) => n.role === 'worker').map(({ name, address }) => ({ name, address })),
      loadBalancerIPs: c.loadBalancerIPs,
      loadBalancerIPCount: Number(blocksSize(c.loadBalancerIPs)),
      loadBalancerServices: impliedLoadBalancers(cilium, mesh, c).map((s) => `${s.namespace}/${s.name}`),
      ingressHost: c.ingressHost ?? null,
    })),
  };
}
