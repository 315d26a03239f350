import { unconnectedPeers } from '../../ops/index.js';
import type { Check, CheckResult } from '../types.js';

/**
 * Every node connected to every cluster, as `cilium clustermesh status` decides it (cilium-cli
 * v0.16.15 clustermesh.go: an agent's remote cluster counts when `ready`; meshwright also wants
 * `connected`), read from each agent's `cilium-dbg status -o json`.
 */
export const meshConnected: Check = {
  id: 'mesh-connected',
  title: 'every node connected to every cluster',
  async run(ctx) {
    if (!ctx.platform.spec.mesh.enabled) return [];
    const names = ctx.platform.spec.clusters.map((c) => c.name);
    const out: CheckResult[] = [];
    await Promise.all(
      ctx.clusters.map(async ({ spec, client }) => {
        const peers = names.filter((n) => n !== spec.name);
        const agents = await ctx.agents(spec.name);
        const broken = agents.map((a) => ({ a, missing: unconnectedPeers(a, peers) })).filter((x) => x.missing.length);
        const ok = agents.length === spec.nodes.length && !broken.length;
        const why = (a: (typeof agents)[number], peer: string) => a.clusterMesh?.clusters.find((r) => r.name === peer)?.status || 'not configured';
        out.push({
          check: this.id,
          cluster: spec.name,
          subject: 'cluster mesh',
          status: ok ? 'pass' : 'fail',
          expected: `all ${spec.nodes.length} nodes connected to ${peers.join(', ') || 'no other cluster'}`,
          observed: broken.length
            ? broken.map(({ a, missing }) => missing.map((p) => `${a.pod} (${a.node}) is not connected to cluster ${p}: ${why(a, p)}`).join('; ')).join('; ')
            : agents.length === spec.nodes.length
              ? `all ${agents.length} nodes are connected to all clusters`
              : `${agents.length} of ${spec.nodes.length} agents answer`,
          ...(ok ? {} : { hint: broken.length ? `kubectl --context ${client.context} exec -n kube-system ${broken[0]!.a.pod} -c cilium-agent -- cilium-dbg troubleshoot clustermesh ${broken[0]!.missing[0]}` : `kubectl --context ${client.context} -n kube-system get pods -l k8s-app=cilium -o wide` }),
        });
      }),
    );
    return out;
  },
};
