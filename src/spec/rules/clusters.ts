import { CLUSTER_ID_MAX, CLUSTER_ID_MAX_511, CLUSTER_NAME_MAX, CLUSTER_NAME_PATTERN } from '../limits.js';
import { clusterLabel, type Rule } from '../rule.js';

/** Cilium's own rule (pkg/clustermesh/types): lowercase alphanumerics and '-', at most 32. */
const CLUSTER_NAME = new RegExp(CLUSTER_NAME_PATTERN);

export const clusterNames: Rule = ({ view, report }) => {
  const seen = new Map<string, number>();
  for (const c of view.clusters) {
    if (c.name === undefined) continue;
    const path = [...c.path, 'name'];
    if (c.name.length > CLUSTER_NAME_MAX) {
      report({ path, code: 'CLUSTER_NAME_INVALID', message: `cluster name "${c.name}" is ${c.name.length} characters; Cilium allows at most ${CLUSTER_NAME_MAX}`, hint: 'shorten it; it becomes the kubeconfig context and Cilium cluster.name' });
    } else if (!CLUSTER_NAME.test(c.name)) {
      report({ path, code: 'CLUSTER_NAME_INVALID', message: `cluster name "${c.name}" must consist of lower case alphanumeric characters and '-', and start and end with an alphanumeric character`, hint: `e.g. "${suggestName(c.name)}"` });
    }
    if (view.mesh.enabled && c.name === 'default') {
      report({ path, code: 'CLUSTER_NAME_DEFAULT', message: 'cluster name "default" cannot be used in a mesh (Cilium\'s chart refuses it with a cluster id)', hint: 'give the cluster its own name, e.g. its site or purpose' });
    }
    const first = seen.get(c.name);
    if (first !== undefined) {
      report({ path, code: 'CLUSTER_NAME_DUPLICATE', message: `cluster name "${c.name}" is already used by clusters[${first}]`, hint: 'cluster names must be unique: they name the Cilium cluster, the kubeconfig context and the output folder' });
    } else seen.set(c.name, c.index);
  }
};

export const clusterIds: Rule = ({ view, report }) => {
  const max = view.mesh.maxConnectedClusters;
  const seen = new Map<number, string>();
  for (const c of view.clusters) {
    if (c.id === undefined) continue;
    const path = [...c.path, 'id'];
    if (c.id < 0 || c.id > max) {
      const hint = c.id > CLUSTER_ID_MAX && c.id <= CLUSTER_ID_MAX_511 ? 'ids above 255 need mesh.maxConnectedClusters: 511' : `pick an id in 1..${max}`;
      report({ path, code: 'CLUSTER_ID_RANGE', message: `cluster id ${c.id} of ${clusterLabel(c)} is out of range 1..${max}`, hint });
      continue;
    }
    if (!view.mesh.enabled) continue;
    if (c.id === 0) {
      report({ path, code: 'CLUSTER_ID_RESERVED', message: `cluster id 0 of ${clusterLabel(c)} is reserved for clusters outside a mesh`, hint: `pick an id in 1..${max}, unique in the mesh` });
      continue;
    }
    const first = seen.get(c.id);
    if (first !== undefined) {
      report({ path, code: 'CLUSTER_ID_DUPLICATE', message: `cluster id ${c.id} of ${clusterLabel(c)} is already used by cluster ${first}`, hint: `cluster ids must be unique in the mesh; ${freeId(view.clusters, max)} is free` });
    } else seen.set(c.id, clusterLabel(c));
  }
};

function suggestName(name: string): string {
  const s = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, CLUSTER_NAME_MAX);
  return s || 'cluster-1';
}

function freeId(clusters: { id?: number }[], max: number): number {
  const used = new Set(clusters.map((c) => c.id));
  for (let id = 1; id <= max; id++) if (!used.has(id)) return id;
  return max;
}
