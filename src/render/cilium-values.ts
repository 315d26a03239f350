import type { ClusterSpec, Platform } from '../spec/index.js';
import { clustermeshNodePort, pinnedIPOf, pinnedLoadBalancerIPs } from '../model/index.js';
import { nodeApiEndpoint } from './api-endpoint.js';
import { clustermeshPeers } from './clustermesh-peers.js';

/** Cilium's L2 guide: each announced Service holds a lease renewed through the API server. */
const L2_BASE_QPS = 10;

/**
 * The public half of a cluster's Cilium 1.16 values. Certificates and keys live in the
 * secret half (cilium-values.secret.yaml); here the chart is only told not to make its own,
 * which is what keeps one CA for the whole mesh.
 */
export function ciliumValues(platform: Platform, cluster: ClusterSpec): Record<string, unknown> {
  const { cilium, mesh } = platform.spec;
  const pins = pinnedLoadBalancerIPs(cilium, mesh, cluster);
  const api = nodeApiEndpoint(platform, cluster);
  const values: Record<string, unknown> = {
    cluster: { name: cluster.name, id: cluster.id },
    ipam: { mode: 'cluster-pool', operator: { clusterPoolIPv4PodCIDRList: [cluster.podCIDR], clusterPoolIPv4MaskSize: cluster.podCIDRMaskSize } },
    kubeProxyReplacement: cilium.kubeProxyReplacement,
    // Without kube-proxy nothing else can reach the API server's cluster IP: an address every node
    // reaches (render/api-endpoint.ts), injected as KUBERNETES_SERVICE_HOST/PORT into the agent,
    // Envoy and the operator (chart 1.16.5 templates/cilium-agent/daemonset.yaml et al.).
    k8sServiceHost: api.host,
    k8sServicePort: api.port,
    routingMode: cilium.routingMode,
    ...(cilium.routingMode === 'tunnel' ? { tunnelProtocol: cilium.tunnelProtocol } : { ipv4NativeRoutingCIDR: cilium.nativeRoutingCIDR }),
    operator: { replicas: Math.min(2, cluster.nodes.length) },
    ingressController: ingressValues(platform, pinnedIPOf(pins, 'cilium-ingress')),
    // Cilium's Ingress needs kube-proxy replacement or, without it, Cilium's NodePort support.
    ...(cilium.ingress.enabled && !cilium.kubeProxyReplacement ? { nodePort: { enabled: true } } : {}),
    // L2 announcements answer ARP for LB IPAM's VIPs on the node network; they need kube-proxy replacement.
    l2announcements: { enabled: cilium.kubeProxyReplacement },
    k8sClientRateLimit: { qps: L2_BASE_QPS + 2 * pins.length, burst: 2 * (L2_BASE_QPS + 2 * pins.length) },
    clustermesh: mesh.enabled ? clustermeshValues(platform, cluster, pinnedIPOf(pins, 'clustermesh-apiserver')) : { useAPIServer: false },
    hubble: hubbleValues(platform),
    encryption: cilium.encryption.type === 'none' ? { enabled: false } : { enabled: true, type: cilium.encryption.type },
  };
  return values;
}

function ingressValues(platform: Platform, ip: string | undefined): Record<string, unknown> {
  const { ingress } = platform.spec.cilium;
  if (!ingress.enabled) return { enabled: false };
  return {
    enabled: true,
    loadbalancerMode: ingress.mode,
    service: { type: 'LoadBalancer', ...(ip ? { annotations: { 'lbipam.cilium.io/ips': ip } } : {}) },
  };
}

function clustermeshValues(platform: Platform, cluster: ClusterSpec, ip: string | undefined): Record<string, unknown> {
  const { mesh, cilium } = platform.spec;
  const service: Record<string, unknown> = { type: mesh.apiserverService };
  if (mesh.apiserverService === 'LoadBalancer' && ip) service.annotations = { 'lbipam.cilium.io/ips': ip };
  if (mesh.apiserverService === 'NodePort') service.nodePort = clustermeshNodePort(cilium, cluster);
  return {
    useAPIServer: true,
    maxConnectedClusters: mesh.maxConnectedClusters,
    config: { enabled: true, domain: 'mesh.cilium.io', clusters: clustermeshPeers(platform, cluster) },
    apiserver: {
      replicas: 1,
      service,
      kvstoremesh: { enabled: mesh.kvstoremesh },
      // meshwright issues these from the one mesh CA (cilium-values.secret.yaml).
      tls: { authMode: 'legacy', auto: { enabled: false } },
    },
  };
}

function hubbleValues(platform: Platform): Record<string, unknown> {
  const { hubble } = platform.spec.cilium;
  if (!hubble.enabled) return { enabled: false };
  return {
    enabled: true,
    relay: { enabled: hubble.relay },
    ui: { enabled: hubble.ui },
    tls: { enabled: true, auto: { enabled: false } },
  };
}
