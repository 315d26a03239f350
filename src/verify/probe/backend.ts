import type { ClusterSpec } from '../../spec/index.js';

/**
 * Which cluster answered, read from the answer itself where the application says it: a probe
 * sees only the VIP, never the pod behind it. rebel-base, the Cluster Mesh demo's backend
 * (cilium/cilium examples/kubernetes/clustermesh/cluster1.yaml's rebel-base-response ConfigMap,
 * rendered by meshwright as render/manifests/global-service-demo.ts rebelBaseMessage), answers
 * `{"Galaxy": "Alderaan", "Cluster": "Cluster-<cluster id>"}`. Any other answer names no cluster:
 * undefined, and the check says the shares cannot be observed for that service.
 */
export function answeringCluster(body: string, clusters: readonly Pick<ClusterSpec, 'name' | 'id'>[]): string | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return undefined;
  }
  const named = doc && typeof doc === 'object' ? (doc as Record<string, unknown>).Cluster : undefined;
  const m = typeof named === 'string' ? /^Cluster-(\d+)$/.exec(named) : null;
  return m ? clusters.find((c) => c.id === Number(m[1]))?.name : undefined;
}
