import { contains, parseAddress, parseCidr, parseIpBlock } from '../../net/index.js';
import { clusterLabel, type Rule } from '../rule.js';
import type { ClusterView, NodeView } from '../view.js';

const nodeLabel = (n: NodeView) => `node ${n.name ?? `nodes[${n.index}]`} (${n.address})`;
const nodePath = (c: ClusterView, n: NodeView) => [...c.path, 'nodes', n.index, 'address'];

/**
 * A node address inside its own cluster's service CIDR: the API server hands that address out
 * as a cluster IP, and Cilium's kube-proxy replacement answers it locally, so the node stops
 * being reachable from its own cluster. (A node inside a pod CIDR is POD_CIDR_CONTAINS_NODE.)
 */
export const nodeAddressInServiceCidr: Rule = ({ view, report }) => {
  for (const c of view.clusters) {
    const svc = c.serviceCIDR === undefined ? undefined : parseCidr(c.serviceCIDR);
    if (!svc) continue;
    for (const n of c.nodes) {
      const addr = n.address === undefined ? undefined : parseAddress(n.address);
      if (!addr || !contains(svc, addr)) continue;
      report({
        path: nodePath(c, n),
        code: 'NODE_ADDRESS_IN_SERVICE_CIDR',
        message: `${nodeLabel(n)} of cluster ${clusterLabel(c)} lies in its service CIDR ${c.serviceCIDR}`,
        hint: "fix the node's address, or move serviceCIDR off the node network (Kubespray's default is 10.233.0.0/18)",
      });
    }
  }
};

/** nodeNetwork declares the subnet the cluster's nodes share: a node outside it contradicts it. */
export const nodeNetworkMembers: Rule = ({ view, report }) => {
  for (const c of view.clusters) {
    const net = c.nodeNetwork === undefined ? undefined : parseCidr(c.nodeNetwork);
    if (!net) continue;
    for (const n of c.nodes) {
      const addr = n.address === undefined ? undefined : parseAddress(n.address);
      if (!addr || contains(net, addr)) continue;
      report({ path: nodePath(c, n), code: 'NODE_OUTSIDE_NODE_NETWORK', message: `${nodeLabel(n)} of cluster ${clusterLabel(c)} is outside its nodeNetwork ${c.nodeNetwork}`, hint: 'fix the address, or widen nodeNetwork to the subnet the nodes really share' });
    }
  }
};

/**
 * Cilium's L2 announcements answer ARP for a VIP on the node's own segment only (they are on
 * with kube-proxy replacement, see render/cilium-values.ts): a VIP outside the node network is
 * announced where nobody asks for it.
 */
export const vipsInNodeNetwork: Rule = ({ view, report }) => {
  if (view.cilium.kubeProxyReplacement === false) return;
  for (const c of view.clusters) {
    const net = c.nodeNetwork === undefined ? undefined : parseCidr(c.nodeNetwork);
    if (!net) continue;
    for (const e of c.loadBalancerIPs) {
      const range = parseIpBlock(e.text);
      if (!range || contains(net, range)) continue;
      report({
        path: [...c.path, 'loadBalancerIPs', e.index],
        code: 'VIP_OUTSIDE_NODE_NETWORK',
        severity: 'warning',
        message: `LoadBalancer IP ${e.text} of cluster ${clusterLabel(c)} is outside its nodeNetwork ${c.nodeNetwork}: L2 announcements cannot announce it`,
        hint: 'pick free addresses inside nodeNetwork, or route the VIPs to the nodes another way (BGP, static routes)',
      });
    }
  }
};
