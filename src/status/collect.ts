import { X509Certificate } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { clusterClient, type ClusterClient } from '../ops/kube/index.js';
import type { Platform } from '../spec/index.js';
import { certificateFacts, certificateProblems, clusterCertificates } from './certificates.js';
import { componentStatuses, nodeStatus, releaseStatuses } from './cluster.js';
import type { ClusterStatus, LinkStatus, StatusDocument } from './document.js';
import { clusterMesh, linkStatus } from './mesh.js';
import { labObservation, observeCluster, type ClusterObservation } from './observe.js';

export interface StatusRequest {
  platform: Platform;
  /** One client per cluster of the platform, in its order (see `statusClients`). */
  clients: ClusterClient[];
  /** The platform's mesh CA certificate (the state folder's ca.crt), when this folder has one. */
  meshCaPem?: string;
  now: () => Date;
}

/** Where each cluster is reached: --context wins, then the platform's kubeconfig reference, then the cluster's name (as apply). */
export function statusClients(platform: Platform, platformFile: string, kubeconfig: string, contexts: Record<string, string>, useSpecKubeconfig: boolean): ClusterClient[] {
  return platform.spec.clusters.map((spec) => {
    const ref = useSpecKubeconfig ? spec.kubeconfig : undefined;
    const file = ref?.path ? resolve(dirname(platformFile), ref.path) : kubeconfig;
    return clusterClient(file, spec.name, contexts[spec.name] ?? ref?.context ?? spec.name);
  });
}

/**
 * `meshwright status` for one mesh: every cluster read at once (objects, then Cilium's own
 * answers through exec), then judged. Never throws for a cluster that does not answer: it is
 * listed in `unreachable` and its links are `unknown`.
 */
export async function collectStatus(req: StatusRequest): Promise<StatusDocument> {
  const observations = await Promise.all(req.clients.map((c) => observeCluster(c)));
  return buildStatus(req.platform, observations, req.meshCaPem, req.now());
}

/** The document from what was observed (no I/O: the tests build it from recorded observations too). */
export function buildStatus(platform: Platform, observations: ClusterObservation[], meshCaPem: string | undefined, now: Date): StatusDocument {
  const mesh = platform.spec.mesh.enabled && platform.spec.clusters.length > 1;
  const meshCa = meshCaPem ? certificateFacts(meshCaPem, now) : undefined;
  const clusters = observations.map((o) => clusterStatus(platform, o, mesh, meshCa?.cert, now));
  const links: LinkStatus[] = mesh
    ? observations.flatMap((o, i) => platform.spec.clusters.filter((c) => c.name !== o.name).map((peer) => linkStatus(o, peer.name, clusters[i]!.mesh.kvstoremesh)))
    : [];
  const unreachable = observations.filter((o) => !o.reachable).map((o) => o.name);
  return {
    apiVersion: 'meshwright/v1alpha1',
    kind: 'MeshStatus',
    platform: platform.metadata.name,
    simulated: observations.some(labObservation),
    observedAt: now.toISOString(),
    ok: unreachable.length === 0 && clusters.every((c) => c.problems.length === 0) && links.every((l) => l.state === 'connected'),
    unreachable,
    clusters,
    links,
    ...(meshCa ? { meshCa: { subject: meshCa.subject, notAfter: meshCa.notAfter, daysLeft: meshCa.daysLeft, sha256: meshCa.sha256 } } : {}),
  };
}

function clusterStatus(platform: Platform, o: ClusterObservation, mesh: boolean, meshCa: X509Certificate | undefined, now: Date): ClusterStatus {
  const base = { name: o.name, context: o.context, server: o.server, reachable: o.reachable, ...(o.error ? { error: o.error } : {}), simulated: labObservation(o), version: o.version };
  const components = componentStatuses(platform, o);
  const kvstoremesh = components.find((c) => c.name === 'kvstoremesh')!.present;
  const peers = mesh ? platform.spec.clusters.filter((c) => c.name !== o.name).map((c) => c.name) : [];
  const nodes = nodeStatus(o);
  const releases = releaseStatuses(platform, o);
  const meshStatus = clusterMesh(o, peers, kvstoremesh);
  const certificates = clusterCertificates(o, meshCa, now);
  if (!o.reachable) return { ...base, nodes, components, releases, mesh: meshStatus, certificates, problems: [`the API server does not answer (${o.server}): ${o.error ?? ''}`.trim()] };
  const problems = [
    ...nodes.notReady.map((n) => `node ${n} is NotReady`),
    ...components.filter((c) => !c.ok).map((c) => `${c.kind} ${c.name}: ${c.message}`),
    ...releases.filter((r) => !r.ok).map((r) => `release ${r.namespace}/${r.name}: ${r.status !== 'deployed' ? `status ${r.status}` : `chart ${r.chartVersion}, the platform says ${r.expectedChartVersion}`}`),
    ...(peers.length && meshStatus.agents.connectedToAll < meshStatus.agents.total ? [`${meshStatus.agents.total - meshStatus.agents.connectedToAll}/${meshStatus.agents.total} nodes are not connected to all clusters`] : []),
    ...(peers.length && meshStatus.kvstoremeshReplicas && meshStatus.kvstoremeshReplicas.connectedToAll < meshStatus.kvstoremeshReplicas.total ? [`${meshStatus.kvstoremeshReplicas.total - meshStatus.kvstoremeshReplicas.connectedToAll}/${meshStatus.kvstoremeshReplicas.total} KVStoreMesh replicas are not connected to all clusters`] : []),
    ...o.execErrors.map((e) => `exec ${e}`),
    ...certificateProblems(certificates),
  ];
  return { ...base, nodes, components, releases, mesh: meshStatus, certificates, problems };
}
