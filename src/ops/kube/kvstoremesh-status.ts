import type { ClusterClient } from './client.js';
import { execText, type RemoteCluster } from './cilium-status.js';

/**
 * What one KVStoreMesh replica says of the remote clusters it caches: `kvstoremesh-dbg status
 * -o json` run in the kvstoremesh container of a clustermesh-apiserver pod, an array of
 * models.RemoteCluster (cilium-cli v0.16.15 k8s/client.go KVStoreMeshStatus runs exactly
 * `/usr/bin/clustermesh-apiserver kvstoremesh-dbg status -o json` there).
 */
export interface KvstoremeshStatus {
  cluster: string;
  pod: string;
  clusters: RemoteCluster[];
}

const KVSTOREMESH_COMMAND = ['/usr/bin/clustermesh-apiserver', 'kvstoremesh-dbg', 'status', '-o', 'json'];

export async function readKvstoremeshStatus(c: ClusterClient, pod: string, namespace = 'kube-system'): Promise<KvstoremeshStatus> {
  const text = await execText(c, namespace, pod, 'kvstoremesh', KVSTOREMESH_COMMAND);
  return parseKvstoremeshStatus(c.cluster, pod, JSON.parse(text) as unknown);
}

export function parseKvstoremeshStatus(cluster: string, pod: string, body: unknown): KvstoremeshStatus {
  const list = Array.isArray(body) ? (body as Array<Record<string, unknown>>) : [];
  return { cluster, pod, clusters: list.map((r) => ({ name: String(r.name ?? ''), ready: r.ready === true, connected: r.connected === true, status: String(r.status ?? '') })) };
}
