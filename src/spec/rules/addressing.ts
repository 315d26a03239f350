import { contains, formatCidr, overlaps, parseCidr, type Cidr } from '../../net/index.js';
import { clusterLabel, type Rule } from '../rule.js';
import type { ClusterView } from '../view.js';
import { nodeAddressIndex, nodesWithin } from './address-index.js';

interface PodCidr {
  cluster: ClusterView;
  cidr: Cidr;
}

function podCidrs(clusters: ClusterView[]): PodCidr[] {
  return clusters.flatMap((cluster) => {
    const cidr = cluster.podCIDR === undefined ? undefined : parseCidr(cluster.podCIDR);
    return cidr ? [{ cluster, cidr }] : [];
  });
}

export const canonicalCidrs: Rule = ({ view, report }) => {
  for (const c of view.clusters) {
    for (const key of ['podCIDR', 'serviceCIDR'] as const) {
      const text = c[key];
      const cidr = text === undefined ? undefined : parseCidr(text);
      if (cidr && !cidr.canonical && c.written.has(key)) {
        report({ path: [...c.path, key], code: 'CIDR_HOST_BITS', severity: 'warning', message: `${key} ${text} has host bits set; it means ${formatCidr(cidr)}`, hint: `write ${formatCidr(cidr)}` });
      }
    }
  }
};

/** Pod IPs are routed across the mesh, so no two clusters may share any of them. */
export const podCidrOverlap: Rule = ({ view, report }) => {
  if (!view.mesh.enabled) return;
  const all = podCidrs(view.clusters);
  for (let i = 1; i < all.length; i++) {
    const later = all[i]!;
    let earlier: PodCidr | undefined;
    for (let j = 0; j < i && !earlier; j++) if (overlaps(all[j]!.cidr, later.cidr)) earlier = all[j];
    if (!earlier) continue;
    report({
      path: [...later.cluster.path, 'podCIDR'],
      code: 'POD_CIDR_OVERLAP',
      message: `pod CIDR ${later.cluster.podCIDR} of cluster ${clusterLabel(later.cluster)} overlaps ${earlier.cluster.podCIDR} of cluster ${clusterLabel(earlier.cluster)}`,
      hint: 'every cluster of a mesh needs its own pod CIDR, e.g. 10.<cluster id>.0.0/16',
    });
  }
};

/** A pod CIDR that swallows a node address makes that node unreachable from pods. */
export const podCidrContainsNode: Rule = ({ view, report }) => {
  const index = nodeAddressIndex(view.clusters);
  for (const { cluster, cidr } of podCidrs(view.clusters)) {
    const inside = nodesWithin(index, cidr);
    if (inside.length === 0) continue;
    const more = inside.length > 3 ? ` and ${inside.length - 3} more` : '';
    report({
      path: [...cluster.path, 'podCIDR'],
      code: 'POD_CIDR_CONTAINS_NODE',
      message: `pod CIDR ${cluster.podCIDR} of cluster ${clusterLabel(cluster)} contains ${inside.slice(0, 3).map((n) => n.label).join(', ')}${more}`,
      hint: 'pick a pod CIDR outside the node network',
    });
  }
};

/** Cluster IPs are local, so equal service CIDRs across clusters are fine; overlapping its own pods is not. */
export const serviceCidrOverlap: Rule = ({ view, report }) => {
  for (const c of view.clusters) {
    const svc = c.serviceCIDR === undefined ? undefined : parseCidr(c.serviceCIDR);
    const pod = c.podCIDR === undefined ? undefined : parseCidr(c.podCIDR);
    if (!svc || !pod || !overlaps(svc, pod)) continue;
    const onService = c.written.has('serviceCIDR');
    report({
      path: [...c.path, onService ? 'serviceCIDR' : 'podCIDR'],
      code: 'SERVICE_CIDR_OVERLAP',
      message: `service CIDR ${c.serviceCIDR}${onService ? '' : ' (the default)'} of cluster ${clusterLabel(c)} overlaps its pod CIDR ${c.podCIDR}`,
      hint: onService ? 'move the service CIDR out of the pod CIDR (Kubespray\'s default is 10.233.0.0/18)' : 'pick a pod CIDR outside 10.233.0.0/18, or set serviceCIDR',
    });
  }
};

/** Cluster-pool IPAM cuts the pod CIDR into /podCIDRMaskSize slices, one per node. */
export const podCidrRoom: Rule = ({ view, report }) => {
  for (const c of view.clusters) {
    const pod = c.podCIDR === undefined ? undefined : parseCidr(c.podCIDR);
    const mask = c.podCIDRMaskSize;
    if (!pod || mask === undefined) continue;
    const maskPath = [...c.path, c.written.has('podCIDRMaskSize') ? 'podCIDRMaskSize' : 'podCIDR'];
    if (mask < pod.prefix || mask > 30) {
      report({ path: [...c.path, 'podCIDRMaskSize'], code: 'POD_CIDR_MASK_SIZE', message: `podCIDRMaskSize ${mask} must be between the pod CIDR prefix (/${pod.prefix}) and 30`, hint: 'Kubespray and Cilium use 24 by default: 254 pods per node' });
      continue;
    }
    const slices = 2 ** (mask - pod.prefix);
    const nodes = c.nodes.length;
    if (slices < nodes) {
      report({
        path: maskPath,
        code: 'POD_CIDR_TOO_SMALL',
        message: `pod CIDR ${c.podCIDR} cut into /${mask} slices has room for ${slices} node${slices === 1 ? '' : 's'}, but cluster ${clusterLabel(c)} has ${nodes}`,
        hint: `use a larger pod CIDR (e.g. /${Math.max(0, mask - Math.ceil(Math.log2(nodes)))}) or a larger podCIDRMaskSize`,
      });
    }
  }
};

/** Native routing needs one CIDR that covers every cluster's pods (Cilium's ipv4NativeRoutingCIDR). */
export const nativeRouting: Rule = ({ view, report }) => {
  const { routingMode, nativeRoutingCIDR } = view.cilium;
  if (routingMode !== 'native') {
    if (nativeRoutingCIDR !== undefined) {
      report({ path: ['spec', 'cilium', 'nativeRoutingCIDR'], code: 'NATIVE_ROUTING_CIDR_UNUSED', severity: 'warning', message: 'nativeRoutingCIDR is ignored in tunnel routing mode', hint: 'remove it, or set routingMode: native' });
    }
    return;
  }
  if (nativeRoutingCIDR === undefined) {
    report({ path: ['spec', 'cilium', 'routingMode'], code: 'NATIVE_ROUTING_CIDR_MISSING', message: 'native routing needs cilium.nativeRoutingCIDR covering the pod CIDRs of every cluster', hint: 'add nativeRoutingCIDR, e.g. 10.0.0.0/8' });
    return;
  }
  const outer = parseCidr(nativeRoutingCIDR);
  if (!outer) return;
  const outside = podCidrs(view.clusters).filter((p) => !contains(outer, p.cidr));
  if (outside.length > 0) {
    report({ path: ['spec', 'cilium', 'nativeRoutingCIDR'], code: 'NATIVE_ROUTING_CIDR_TOO_SMALL', message: `nativeRoutingCIDR ${nativeRoutingCIDR} does not cover the pod CIDR of ${outside.map((p) => `${clusterLabel(p.cluster)} (${p.cluster.podCIDR})`).join(', ')}`, hint: 'widen it to cover every cluster\'s pod CIDR' });
  }
};

/** Cilium uses tunnelProtocol in tunnel routing mode only; next to routingMode: native it says something the datapath will not do. */
export const tunnelProtocol: Rule = ({ view, report }) => {
  if (view.cilium.routingMode !== 'native' || !view.ciliumWritten.has('tunnelProtocol')) return;
  report({ path: ['spec', 'cilium', 'tunnelProtocol'], code: 'TUNNEL_PROTOCOL_UNUSED', severity: 'warning', message: 'tunnelProtocol is ignored with routingMode: native (pods are routed, not encapsulated)', hint: 'remove tunnelProtocol, or set routingMode: tunnel' });
};
