import { formatAddress, formatCidr, parseCidr, parseIpBlock } from '../../net/index.js';
import type { ClusterSpec, Platform } from '../../spec/index.js';
import { loadBalancerPoolName } from '../../spec/index.js';
import { MANAGED_BY, renderedBy } from '../header.js';
import type { RenderedFile } from '../types.js';
import { toYamlDocuments, withHeader } from '../yaml.js';

export type PoolBlock = { cidr: string } | { start: string; stop?: string };

/**
 * One `spec.blocks` entry per loadBalancerIPs entry, in the spec's order (LB IPAM walks blocks
 * in that order). A lone address is a start without stop, which Cilium reads as that one IP.
 */
export function poolBlock(text: string): PoolBlock {
  const cidr = text.includes('/') ? parseCidr(text) : undefined;
  if (cidr) return { cidr: formatCidr(cidr) };
  const range = parseIpBlock(text);
  if (!range) throw new Error(`not an address, CIDR or range: ${text} (validation should have refused it)`);
  const start = formatAddress(range.family, range.first);
  return text.includes('-') ? { start, stop: formatAddress(range.family, range.last) } : { start };
}

/**
 * The cluster's CiliumLoadBalancerIPPool (cilium.io/v2alpha1 in 1.16; `spec.cidrs` is gone, only
 * `blocks`) and the L2 announcement policy that makes its VIPs answer ARP on the node network.
 * Platform Services get their fixed VIP through `lbipam.cilium.io/ips`, set in the Cilium values.
 */
export function renderLbIpam(platform: Platform, cluster: ClusterSpec): RenderedFile | undefined {
  if (cluster.loadBalancerIPs.length === 0) return undefined;
  const pool = loadBalancerPoolName(cluster);
  const docs: unknown[] = [
    {
      apiVersion: 'cilium.io/v2alpha1',
      kind: 'CiliumLoadBalancerIPPool',
      metadata: { name: pool, labels: { ...MANAGED_BY } },
      // No serviceSelector: every LoadBalancer Service of the cluster may draw from the pool.
      spec: { blocks: cluster.loadBalancerIPs.map(poolBlock) },
    },
  ];
  // l2announcements is only switched on with kube-proxy replacement (cilium-values); a policy without it would announce nothing.
  const announced = platform.spec.cilium.kubeProxyReplacement;
  if (announced) {
    docs.push({
      apiVersion: 'cilium.io/v2alpha1',
      kind: 'CiliumL2AnnouncementPolicy',
      metadata: { name: `l2-${pool}`, labels: { ...MANAGED_BY } },
      // No interfaces and no nodeSelector: every node may answer, on whichever interface holds the node network.
      spec: { loadBalancerIPs: true, externalIPs: false },
    });
  }
  const header = [
    renderedBy(platform),
    `LB IPAM for cluster ${cluster.name}: pool ${pool}${announced ? ', announced by L2 (ARP) from the nodes' : ''}.`,
    ...(announced ? [] : ['Without kube-proxy replacement Cilium does not announce these VIPs: route them to the nodes another way.']),
  ];
  return { path: `${cluster.name}/manifests/01-lb-ipam.yaml`, secret: false, content: withHeader(header, toYamlDocuments(docs)) };
}
