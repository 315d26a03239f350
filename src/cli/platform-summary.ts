import { paint } from '../diag/index.js';
import type { PlatformSummary } from '../spec/index.js';
import { table } from './table.js';

/** The platform at a glance: a header of platform-wide settings, then one row per cluster. */
export function summaryTable(s: PlatformSummary, color: boolean): string {
  const p = paint(color);
  const c = s.cilium;
  const features = [c.kubeProxyReplacement ? 'kube-proxy replacement' : 'kube-proxy', `ingress ${c.ingress}`, `hubble ${c.hubble}`, `encryption ${c.encryption}`, c.routing];
  const mesh = s.mesh.enabled
    ? `clustermesh-apiserver ${s.mesh.apiserverService}, KVStoreMesh ${s.mesh.kvstoremesh ? 'on' : 'off'}, up to ${s.mesh.maxConnectedClusters} clusters`
    : 'off';
  const head = [
    `${p.bold('PLATFORM')}     ${s.name}`,
    `${p.bold('KUBERNETES')}   ${s.kubernetes.version} (${s.kubernetes.provisioner})`,
    `${p.bold('CILIUM')}       ${c.version}: ${features.join(', ')}`,
    `${p.bold('MESH')}         ${mesh}`,
  ];
  const rows = s.clusters.map((cl) => [
    cl.name,
    cl.id,
    `${cl.podCIDR} (/${cl.podCIDRMaskSize} per node)`,
    cl.serviceCIDR,
    cl.controlPlane.map((n) => `${n.name} ${n.address}`).join(', '),
    cl.workers.length,
    `${cl.loadBalancerIPs.join(', ')}${cl.loadBalancerIPCount > cl.loadBalancerIPs.length ? ` (${cl.loadBalancerIPCount} IPs)` : ''}`,
    cl.loadBalancerServices.map((x) => x.split('/')[1]).join(', ') || '-',
    cl.ingressHost ?? '-',
  ]);
  const body = table(['cluster', 'id', 'pod cidr', 'service cidr', 'control plane', 'workers', 'lb ips', 'lb services', 'ingress host'], rows);
  return `${head.join('\n')}\n\n${body}`;
}
