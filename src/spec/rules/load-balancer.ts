import { blocksSize, overlaps, parseCidr, parseIpBlock, type IpRange } from '../../net/index.js';
import { impliedLoadBalancers } from '../../model/index.js';
import { clusterLabel, type Rule } from '../rule.js';
import type { ClusterView } from '../view.js';
import { nodeAddressIndex, nodesWithin } from './address-index.js';

interface PoolEntry {
  cluster: ClusterView;
  index: number;
  text: string;
  range: IpRange;
}

function poolEntries(clusters: ClusterView[]): PoolEntry[] {
  return clusters.flatMap((cluster) =>
    cluster.loadBalancerIPs.flatMap(({ index, text }) => {
      const range = parseIpBlock(text);
      return range ? [{ cluster, index, text, range }] : [];
    }),
  );
}

const entryPath = (e: PoolEntry) => [...e.cluster.path, 'loadBalancerIPs', e.index];
const entryLabel = (e: PoolEntry) => `cluster ${clusterLabel(e.cluster)} (loadBalancerIPs[${e.index}]: ${e.text})`;

/** VIPs are announced on the node network: one address in two pools answers twice. */
export const loadBalancerIpsUnique: Rule = ({ view, report }) => {
  const entries = poolEntries(view.clusters);
  // Sweep in address order, remembering the entry that reaches furthest; report the later one in the file.
  const byAddress = [...entries].sort((a, b) => a.range.family - b.range.family || cmp(a.range.first, b.range.first));
  let reach: PoolEntry | undefined;
  const clashes = new Map<PoolEntry, PoolEntry>();
  for (const e of byAddress) {
    if (reach && overlaps(reach.range, e.range)) {
      const [first, second] = fileOrder(reach, e);
      if (!clashes.has(second)) clashes.set(second, first);
    }
    if (!reach || reach.range.family !== e.range.family || e.range.last > reach.range.last) reach = e;
  }
  for (const e of entries) {
    const first = clashes.get(e);
    if (!first) continue;
    report({ path: entryPath(e), code: 'LB_IP_DUPLICATE', message: `LoadBalancer IP ${e.text} of cluster ${clusterLabel(e.cluster)} overlaps ${first.text} of ${entryLabel(first)}`, hint: 'each virtual IP belongs to exactly one cluster\'s pool' });
  }
};

export const loadBalancerIpsPlacement: Rule = ({ view, report }) => {
  const nodes = nodeAddressIndex(view.clusters);
  const cidrs = (key: 'podCIDR' | 'serviceCIDR') =>
    view.clusters.flatMap((c) => {
      const r = c[key] === undefined ? undefined : parseCidr(c[key]!);
      return r ? [{ r, c }] : [];
    });
  const pods = cidrs('podCIDR');
  const services = cidrs('serviceCIDR');
  for (const e of poolEntries(view.clusters)) {
    const node = nodesWithin(nodes, e.range)[0];
    if (node) {
      report({ path: entryPath(e), code: 'LB_IP_IS_NODE', message: `LoadBalancer IP ${e.text} of cluster ${clusterLabel(e.cluster)} includes the address of ${node.label}`, hint: 'virtual IPs must be free addresses of the node network, not node addresses' });
      continue;
    }
    const pod = pods.find((p) => overlaps(e.range, p.r));
    if (pod) {
      report({ path: entryPath(e), code: 'LB_IP_IN_POD_CIDR', message: `LoadBalancer IP ${e.text} of cluster ${clusterLabel(e.cluster)} lies in pod CIDR ${pod.c.podCIDR} of cluster ${clusterLabel(pod.c)}`, hint: 'pick virtual IPs from the node network, outside every pod CIDR' });
      continue;
    }
    // Cluster IPs are captured locally in each cluster, so a VIP inside any cluster's service CIDR is unreachable from there.
    const svc = services.find((s) => overlaps(e.range, s.r));
    if (svc) {
      report({ path: entryPath(e), code: 'LB_IP_IN_SERVICE_CIDR', message: `LoadBalancer IP ${e.text} of cluster ${clusterLabel(e.cluster)} lies in service CIDR ${svc.c.serviceCIDR} of cluster ${clusterLabel(svc.c)}`, hint: 'pick virtual IPs outside every cluster\'s service CIDR' });
    }
  }
};

/** LB IPAM gives each LoadBalancer Service one IP; without enough, some stay <pending>. */
export const loadBalancerIpsEnough: Rule = ({ view, report }) => {
  for (const c of view.clusters) {
    const needed = impliedLoadBalancers(view.cilium, view.mesh, c);
    const available = blocksSize(c.loadBalancerIPs.map((e) => e.text));
    if (available >= BigInt(needed.length)) continue;
    const names = needed.map((s) => `${s.namespace}/${s.name}`).join(', ');
    const missing = BigInt(needed.length) - available;
    report({
      path: [...c.path, c.written.has('loadBalancerIPs') ? 'loadBalancerIPs' : 'name'],
      code: 'LB_IPS_TOO_FEW',
      message: `cluster ${clusterLabel(c)} has ${available} LoadBalancer IP${available === 1n ? '' : 's'} for ${needed.length} LoadBalancer service${needed.length === 1 ? '' : 's'}: ${names}`,
      hint: `add ${missing} more address${missing === 1n ? '' : 'es'} to loadBalancerIPs${view.mesh.enabled && view.mesh.apiserverService === 'LoadBalancer' ? ', or set mesh.apiserverService: NodePort' : ''}`,
    });
  }
};

function fileOrder(a: PoolEntry, b: PoolEntry): [PoolEntry, PoolEntry] {
  const before = a.cluster.index < b.cluster.index || (a.cluster.index === b.cluster.index && a.index < b.index);
  return before ? [a, b] : [b, a];
}

function cmp(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
