import type { KubeObject } from '../../manifests/index.js';
import { nodesFromObjects, workloadPods, type ClusterNode, type ModelObject, type ModelPod } from '../../model/index.js';
import type { Obj } from '../store/log-store.js';

/**
 * The lab's controllers ask the workload model (src/model) what to make: the ReplicaSet of a
 * Deployment, the names of a controller's pods, a DaemonSet's pod per node, where the scheduler
 * puts a pod. plan asks the same model, so a prediction and the lab cannot drift apart.
 */
const asModel = (o: Obj): ModelObject => ({ object: o as KubeObject });

export function clusterNodes(nodes: Obj[]): ClusterNode[] {
  return nodesFromObjects(nodes.map(asModel));
}

/** The pods the model expands a controller into, given as if it had `replicas` and no status. */
export function expand(controller: Obj, nodes: ClusterNode[], replicas?: number): ModelPod[] {
  const o = structuredClone(controller);
  delete o.status;
  // owner references tie a ReplicaSet to its Deployment: the model reads the chain, not the parent
  if (replicas !== undefined) o.spec = { ...o.spec, replicas };
  return workloadPods({ objects: [asModel(o)], nodes }).pods;
}

/** A Deployment's ReplicaSet as the Deployment controller names it: `<name>-<pod-template-hash>`. */
export function replicaSetOf(deployment: Obj): { name: string; hash: string } {
  const pod = expand(deployment, [], 1)[0]!;
  return { name: pod.owners[0]!.name, hash: pod.labels['pod-template-hash']! };
}

/**
 * Where the scheduler binds each pod of `pending`: the least busy node the pod fits, counting the
 * pods already bound (model podsOf). Undefined where no node fits.
 */
export function placePods(bound: Obj[], pending: Obj[], nodes: ClusterNode[]): Map<string, string | undefined> {
  const objects: ModelObject[] = [];
  for (const p of bound) objects.push(asModel({ apiVersion: 'v1', kind: 'Pod', metadata: { name: p.metadata.name, namespace: p.metadata.namespace }, spec: { nodeName: p.spec.nodeName }, status: { phase: p.status?.phase ?? 'Pending' } }));
  for (const p of pending) {
    // no status: the model places it as a pod still to be scheduled; no owners: nothing to expand
    const { status: _s, ...rest } = p;
    objects.push(asModel({ ...rest, metadata: { name: p.metadata.name, namespace: p.metadata.namespace, labels: p.metadata.labels ?? {} } }));
  }
  const out = new Map<string, string | undefined>();
  const want = new Set(pending.map((p) => `${p.metadata.namespace}/${p.metadata.name}`));
  for (const m of workloadPods({ objects, nodes }).pods) {
    const k = `${m.namespace}/${m.name}`;
    if (want.has(k)) out.set(k, m.node);
  }
  return out;
}
