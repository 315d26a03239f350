import { getJson } from '../../ops/index.js';
import type { Check, CheckResult } from '../types.js';

/**
 * Which node answers ARP for each VIP: Cilium's L2 announcer elects one node per Service through
 * a Lease `cilium-l2announce-<namespace>-<service>` in Cilium's namespace, its holder the node
 * (Documentation/network/l2-announcements.rst, "Leases"). meshwright enables L2 announcements
 * with kube-proxy replacement (render/cilium-values.ts) and its policy selects every node.
 */
export const l2Announcement: Check = {
  id: 'l2-announcement',
  title: 'a node announces each VIP (L2 announcement lease)',
  async run(ctx) {
    if (!ctx.platform.spec.cilium.kubeProxyReplacement) return [];
    const out: CheckResult[] = [];
    await Promise.all(
      ctx.clusters.map(async ({ spec, client }) => {
        const nodes = spec.nodes.map((n) => n.name);
        for (const lb of ctx.plan.loadBalancers.filter((l) => l.cluster === spec.name && l.ip)) {
          const name = `cilium-l2announce-${lb.namespace}-${lb.name}`;
          const lease = await getJson(client, `/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/${name}`);
          const holder = lease?.spec?.holderIdentity as string | undefined;
          const ok = holder !== undefined && nodes.includes(holder);
          const base = { check: this.id, cluster: spec.name, subject: `${lb.ip} (${lb.namespace}/${lb.name})`, expected: `lease ${name} held by a node (${nodes.join(' or ')})` };
          out.push({
            ...base,
            status: ok ? 'pass' : 'fail',
            observed: !lease ? 'no lease: no node announces this VIP' : holder ? `held by ${holder}` : 'lease without a holder',
            ...(ok ? {} : { hint: `cilium-config enable-l2-announcements must be true and a CiliumL2AnnouncementPolicy must select the Service and a node with a matching interface (kubectl --context ${client.context} get ciliuml2announcementpolicies -o yaml)` }),
          });
        }
      }),
    );
    return out;
  },
};
