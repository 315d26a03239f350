import type { Platform } from '../spec/index.js';
import { CLUSTERMESH_PORT, clustermeshNodePort } from './mesh-endpoints.js';

export interface PortRequirement {
  /** Traffic that must pass between the clusters' networks. */
  from: string;
  to: string;
  port: string;
  protocol: 'TCP' | 'UDP' | 'ESP';
  purpose: string;
}

export interface NetworkPlan {
  routingMode: string;
  requirements: PortRequirement[];
  caveats: string[];
}

/** Ports each cluster must open to the others, and the caveats Cilium documents for this setup. */
export function networkPlan(platform: Platform): NetworkPlan {
  const { cilium, mesh } = platform.spec;
  const requirements: PortRequirement[] = [];
  const caveats: string[] = [];
  if (mesh.enabled && platform.spec.clusters.length > 1) {
    const dialer = mesh.kvstoremesh ? 'KVStoreMesh (clustermesh-apiserver pods)' : 'every node (cilium agents)';
    for (const c of platform.spec.clusters) {
      const port = mesh.apiserverService === 'NodePort' ? clustermeshNodePort(cilium, c) : CLUSTERMESH_PORT;
      const where = mesh.apiserverService === 'NodePort' ? `nodes of ${c.name}` : `clustermesh-apiserver VIP of ${c.name}`;
      requirements.push({ from: `${dialer} of the other clusters`, to: where, port: String(port), protocol: 'TCP', purpose: 'clustermesh-apiserver (etcd, mutual TLS)' });
    }
    requirements.push({ from: 'every node', to: 'every node of the other clusters', port: '4240', protocol: 'TCP', purpose: 'cilium-health' });
    if (cilium.routingMode === 'tunnel') {
      requirements.push(cilium.tunnelProtocol === 'vxlan'
        ? { from: 'every node', to: 'every node of the other clusters', port: '8472', protocol: 'UDP', purpose: 'VXLAN tunnel (pod-to-pod across clusters)' }
        : { from: 'every node', to: 'every node of the other clusters', port: '6081', protocol: 'UDP', purpose: 'Geneve tunnel (pod-to-pod across clusters)' });
    } else {
      caveats.push(`native routing: every node needs routes to the pod CIDRs of every cluster (${cilium.nativeRoutingCIDR ?? 'nativeRoutingCIDR'})`);
    }
    if (cilium.encryption.type === 'wireguard') requirements.push({ from: 'every node', to: 'every node of the other clusters', port: '51871', protocol: 'UDP', purpose: 'WireGuard encryption' });
    if (cilium.encryption.type === 'ipsec') requirements.push({ from: 'every node', to: 'every node of the other clusters', port: '-', protocol: 'ESP', purpose: 'IPsec encryption (IP protocol 50); every cluster needs the same IPsec key' });
    if (mesh.apiserverService === 'NodePort' && cilium.kubeProxyReplacement) {
      caveats.push('NodePort clustermesh-apiserver under kube-proxy replacement: each cluster needs its own node port, or traffic to a remote node port is answered locally (cilium/cilium#24692); meshwright gives cluster N port 32000+N');
    }
    if (mesh.apiserverService === 'NodePort') caveats.push('NodePort clustermesh-apiserver: peers are reached on node addresses, which break when nodes are removed');
    if (!cilium.kubeProxyReplacement) {
      caveats.push('without kube-proxy replacement, host-network clients and NodePort access reach only local backends of a global service (Cilium docs; socketLB.hostNamespaceOnly is the workaround)');
    }
  }
  return { routingMode: cilium.routingMode === 'tunnel' ? `tunnel (${cilium.tunnelProtocol})` : 'native', requirements, caveats };
}
