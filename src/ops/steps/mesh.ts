import { readAgentStatus, unconnectedPeers, type AgentStatus } from '../kube/cilium-status.js';
import { getJson } from '../kube/http.js';
import type { Readiness } from '../kube/wait.js';
import type { ClusterStep } from './types.js';

/**
 * Cluster Mesh. There is no connect step: every cluster's values name its peers and share one
 * CA from the first install. This step waits until every agent reports every peer connected and
 * ready, read from `cilium-dbg status -o json` through exec (kube/cilium-status.ts, the reader
 * `status` uses).
 *
 * The lab's agents list their remote clusters, connected over mutual TLS, and must show them
 * connected as on real clusters. A lab whose agents list no remote cluster at all (one started
 * before the mesh was simulated) counts as configured, and the step says so.
 */
export const meshStep: ClusterStep = {
  name: 'mesh',
  title: 'Cluster Mesh: every agent connected to every peer',
  applies: (ctx) => ctx.platform.spec.mesh.enabled && ctx.platform.spec.clusters.length > 1,
  inputs: (ctx, cluster) => ({ peers: ctx.platform.spec.clusters.filter((c) => c.name !== cluster.name).map((c) => c.name) }),
  async run(ctx, h) {
    const peers = ctx.platform.spec.clusters.filter((c) => c.name !== h.spec.name).map((c) => c.name);
    let unsimulated = false;
    const check = async (): Promise<Readiness> => {
      const pods = await agentPods(h);
      if (!pods.length) return { ready: false, waitingFor: `cilium agent pods in ${h.spec.name}` };
      const statuses: AgentStatus[] = [];
      for (const p of pods) statuses.push(await readAgentStatus(h.client, p));
      const unconfigured = statuses.filter((s) => !s.clusterMesh);
      if (unconfigured.length) return { ready: false, waitingFor: `${statuses.length - unconfigured.length}/${statuses.length} cilium agents with the mesh configuration in ${h.spec.name}` };
      const lagging = statuses.filter((s) => unconnectedPeers(s, peers).length > 0);
      if (ctx.target === 'lab' && statuses.every((s) => s.clusterMesh!.clusters.length === 0)) {
        unsimulated = true;
        return { ready: true, waitingFor: '' };
      }
      if (lagging.length) {
        const missing = [...new Set(lagging.flatMap((s) => unconnectedPeers(s, peers)))];
        return { ready: false, waitingFor: `${statuses.length - lagging.length}/${statuses.length} cilium agents in ${h.spec.name} connected to ${peers.length} peers (not yet: ${missing.join(', ')})` };
      }
      return { ready: true, waitingFor: '' };
    };
    await h.wait(['/api/v1/namespaces/kube-system/pods', '/api/v1/namespaces/kube-system/secrets'], check);
    const notes = unsimulated ? [`${h.spec.name}: agents report the mesh configured; the lab does not simulate mesh connections yet, so peers ${peers.join(', ')} could not be seen connected`] : [];
    return { changes: [], notes };
  },
  preview: async () => [],
};

async function agentPods(h: { client: Parameters<typeof getJson>[0] }): Promise<Array<{ name: string; node: string }>> {
  const list = await getJson(h.client, `/api/v1/namespaces/kube-system/pods?labelSelector=${encodeURIComponent('k8s-app=cilium')}`);
  return ((list?.items ?? []) as any[])
    .filter((p) => p.status?.phase === 'Running' && (p.status?.containerStatuses ?? []).some((s: any) => s.name === 'cilium-agent' && s.ready))
    .map((p) => ({ name: p.metadata.name as string, node: (p.spec?.nodeName ?? '') as string }));
}
