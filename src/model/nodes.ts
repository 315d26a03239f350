import type { ClusterSpec } from '../spec/index.js';
import { isRecord, type ModelObject } from './objects.js';

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

export interface Taint {
  key: string;
  value?: string;
  effect: TaintEffect;
}

/** A node as the scheduler and the DaemonSet controller see it. */
export interface ClusterNode {
  name: string;
  labels: Record<string, string>;
  taints: Taint[];
  /** Cordoned (`kubectl cordon`): no new pods but DaemonSet pods. */
  unschedulable?: boolean;
}

/** kubeadm's control-plane taint and label (Kubernetes 1.25+). */
export const CONTROL_PLANE_TAINT: Taint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };
export const CONTROL_PLANE_LABEL = 'node-role.kubernetes.io/control-plane';

/**
 * The nodes of a cluster as Kubespray v2.26.0 leaves them. A control plane that is not also in
 * kube_node is tainted node-role.kubernetes.io/control-plane:NoSchedule
 * (roles/kubernetes/control-plane/templates/kubeadm-config.v1beta3.yaml.j2, nodeRegistration.taints;
 * the taint is removed only for hosts in kube_node, tasks/kubeadm-setup.yml). meshwright's
 * inventory (render/kubespray.ts kubesprayGroups) puts control planes in kube_node only when the
 * cluster has no worker, so they are tainted whenever there is one. kubeadm labels control planes with
 * the role and exclude-from-external-load-balancers; the kubelet adds hostname, os and arch
 * (amd64 assumed); Kubespray adds no other label by default (roles/kubernetes/node-label).
 */
export function kubesprayNodes(cluster: Pick<ClusterSpec, 'nodes'>): ClusterNode[] {
  const hasWorkers = cluster.nodes.some((n) => n.role === 'worker');
  return cluster.nodes.map((n) => {
    const labels: Record<string, string> = { 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': n.name, 'kubernetes.io/os': 'linux', 'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux' };
    if (n.role !== 'control-plane') return { name: n.name, labels, taints: [] };
    return { name: n.name, labels: { ...labels, [CONTROL_PLANE_LABEL]: '', 'node.kubernetes.io/exclude-from-external-load-balancers': '' }, taints: hasWorkers ? [CONTROL_PLANE_TAINT] : [] };
  });
}

const EFFECTS = new Set<string>(['NoSchedule', 'PreferNoSchedule', 'NoExecute']);

/** Node objects of a live snapshot (`kubectl get nodes -o yaml`): their real labels, taints and cordons. */
export function nodesFromObjects(objects: readonly ModelObject[]): ClusterNode[] {
  return objects.flatMap(({ object }) => {
    if (object.kind !== 'Node') return [];
    const spec = isRecord(object.spec) ? object.spec : {};
    const taints = Array.isArray(spec.taints) ? spec.taints.flatMap((t): Taint[] => (isRecord(t) && typeof t.key === 'string' && typeof t.effect === 'string' && EFFECTS.has(t.effect) ? [{ key: t.key, ...(typeof t.value === 'string' ? { value: t.value } : {}), effect: t.effect as TaintEffect }] : [])) : [];
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(object.metadata.labels ?? {})) labels[k] = String(v);
    return [{ name: object.metadata.name, labels, taints, ...(spec.unschedulable === true ? { unschedulable: true } : {}) }];
  });
}
