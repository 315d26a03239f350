import type { RemoteCluster } from '../ops/kube/index.js';
import type { ClusterStatus, LinkStatus, MinAvgMaxValue, PeerView } from './document.js';
import type { ClusterObservation } from './observe.js';
import { classifyLinkStatus } from './reason.js';

/** One reporter of remote clusters: an agent (cilium-agent) or a KVStoreMesh replica. */
interface Reporter {
  pod: string;
  container: 'cilium-agent' | 'kvstoremesh';
  clusters: RemoteCluster[];
}

/** min/avg/max as cilium-cli prints them (avg to one decimal); all 0 when nobody reported. */
export function minAvgMax(values: number[]): MinAvgMaxValue {
  if (!values.length) return { min: 0, avg: 0, max: 0 };
  return { min: Math.min(...values), avg: Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10, max: Math.max(...values) };
}

const readyCount = (r: Reporter, peers: readonly string[]) => r.clusters.filter((c) => c.ready && peers.includes(c.name)).length;
const connectedToAll = (r: Reporter, peers: readonly string[]) => peers.every((p) => r.clusters.some((c) => c.name === p && c.ready));

function reporters(o: ClusterObservation): { agents: Reporter[]; replicas: Reporter[] } {
  return {
    agents: o.agents.map((a) => ({ pod: a.pod, container: 'cilium-agent' as const, clusters: a.clusterMesh?.clusters ?? [] })),
    replicas: o.kvstoremesh.map((k) => ({ pod: k.pod, container: 'kvstoremesh' as const, clusters: k.clusters })),
  };
}

/**
 * The mesh as one cluster's Cilium sees it, with cilium-cli `clustermesh status`' semantics
 * (v0.16.15 clustermesh/clustermesh.go): a remote cluster counts as connected when `ready`; the
 * min/avg/max of "All N nodes are connected to all clusters" are ready remote clusters per
 * agent; per peer, how many agents (and KVStoreMesh replicas) have it configured and connected.
 */
export function clusterMesh(o: ClusterObservation, peers: readonly string[], kvstoremesh: boolean): ClusterStatus['mesh'] {
  const { agents, replicas } = reporters(o);
  const view = (rs: Reporter[], p: string) => ({ configured: rs.filter((r) => r.clusters.some((c) => c.name === p)).length, connected: rs.filter((r) => r.clusters.some((c) => c.name === p && c.ready)).length, total: rs.length });
  const peerViews: PeerView[] = peers.map((p) => ({ cluster: p, agents: view(agents, p), ...(kvstoremesh ? { kvstoremesh: view(replicas, p) } : {}) }));
  return {
    configured: (o.clustermeshConfig ?? []).filter((n) => n !== o.name),
    kvstoremesh,
    agents: { total: agents.length, connectedToAll: agents.filter((r) => connectedToAll(r, peers)).length, connected: minAvgMax(agents.map((r) => readyCount(r, peers))) },
    ...(kvstoremesh ? { kvstoremeshReplicas: { total: replicas.length, connectedToAll: replicas.filter((r) => connectedToAll(r, peers)).length, connected: minAvgMax(replicas.map((r) => readyCount(r, peers))) } } : {}),
    peers: peerViews,
    globalServices: minAvgMax(o.agents.filter((a) => a.clusterMesh).map((a) => a.clusterMesh!.globalServices)),
  };
}

/**
 * The link from one cluster to a peer, and why it is down. KVStoreMesh's own report comes
 * first when it is enabled: it dials the peer, so its status holds the real cause, while the
 * agents only say "remote cluster configuration required but not found" (cilium-cli's hint:
 * "This is likely caused by KVStoreMesh not being connected to the given cluster").
 */
export function linkStatus(o: ClusterObservation, to: string, kvstoremesh: boolean): LinkStatus {
  const base = { from: o.name, to };
  if (!o.reachable) return { ...base, state: 'unknown', reason: 'cluster unreachable', detail: `the API server of ${o.name} did not answer: ${o.error ?? ''}`.trim() };
  const { agents, replicas } = reporters(o);
  if (!(o.clustermeshConfig ?? []).includes(to)) return { ...base, state: 'down', reason: 'peer not configured', detail: `Secret kube-system/cilium-clustermesh of ${o.name} has no entry for ${to}` };
  if (!agents.length) return { ...base, state: 'unknown', reason: 'unknown', detail: `no cilium agent of ${o.name} answered cilium-dbg status${o.execErrors.length ? `: ${o.execErrors[0]}` : ''}` };
  const all = kvstoremesh ? [...replicas, ...agents] : agents;
  const lagging = all.filter((r) => !r.clusters.some((c) => c.name === to && c.ready));
  if (!lagging.length && (!kvstoremesh || replicas.length)) return { ...base, state: 'connected' };
  const first = lagging[0];
  if (!first) return { ...base, state: 'unknown', reason: 'unknown', detail: `no KVStoreMesh replica of ${o.name} answered kvstoremesh-dbg status` };
  const reportedBy = `${first.pod}/${first.container}`;
  const entry = first.clusters.find((c) => c.name === to);
  if (!entry) return { ...base, state: 'down', reason: 'peer not configured', detail: `${reportedBy} lists no remote cluster ${to}`, reportedBy };
  return { ...base, state: 'down', reason: classifyLinkStatus(entry.status), detail: entry.status, reportedBy };
}
