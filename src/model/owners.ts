import type { KubeObject } from '../manifests/index.js';
import { isRecord, namespaceOf, type ModelObject } from './objects.js';
import type { OwnerRef } from './workload-types.js';

/** Kinds that create pods (directly or through another controller). */
export const CONTROLLER_KINDS: ReadonlySet<string> = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicationController']);

interface Reference {
  kind: string;
  name: string;
  uid?: string;
}

/**
 * The controller of an object: the ownerReference with controller: true, as the API server
 * sets it. Hand-written manifests often leave `controller` out; a single reference to a
 * controller kind is then taken as meant.
 */
export function controllerOf(o: KubeObject): Reference | undefined {
  const refs = (o.metadata as { ownerReferences?: unknown }).ownerReferences;
  if (!Array.isArray(refs)) return undefined;
  const valid = refs.filter((r): r is Record<string, unknown> & Reference => isRecord(r) && typeof r.kind === 'string' && typeof r.name === 'string');
  const marked = valid.find((r) => r.controller === true);
  const chosen = marked ?? (valid.length === 1 && CONTROLLER_KINDS.has(valid[0]!.kind) ? valid[0] : undefined);
  return chosen ? { kind: chosen.kind, name: chosen.name, ...(typeof chosen.uid === 'string' ? { uid: chosen.uid } : {}) } : undefined;
}

const key = (namespace: string, kind: string, name: string) => `${namespace}\u0000${kind}\u0000${name}`;

/**
 * Owner chains, nearest first, and which controllers have their children in the input: those
 * are not expanded again, so a `kubectl get deploy,rs,pods -o yaml` counts every pod once.
 */
export class OwnerGraph {
  private readonly byRef = new Map<string, ModelObject>();
  /** Controllers whose children (pods, ReplicaSets, Jobs) are given. */
  readonly materialized = new Set<ModelObject>();

  constructor(objects: readonly ModelObject[]) {
    for (const o of objects) if (CONTROLLER_KINDS.has(o.object.kind)) this.byRef.set(key(namespaceOf(o.object), o.object.kind, o.object.metadata.name), o);
  }

  /** The object a reference names, unless its uid says the reference is to an older object. */
  private find(namespace: string, ref: Reference): ModelObject | undefined {
    const o = this.byRef.get(key(namespace, ref.kind, ref.name));
    const uid = (o?.object.metadata as { uid?: unknown } | undefined)?.uid;
    return o && (!ref.uid || typeof uid !== 'string' || uid === ref.uid) ? o : undefined;
  }

  /** The chain above an object (a Pod, or a controller owned by another), marking what it passes. */
  chain(o: KubeObject): OwnerRef[] {
    const namespace = namespaceOf(o);
    const out: OwnerRef[] = [];
    let current = o;
    for (let ref = controllerOf(current); ref && out.length < 8; ref = controllerOf(current)) {
      out.push({ kind: ref.kind, name: ref.name });
      const parent = this.find(namespace, ref);
      if (!parent) {
        const deployment = deploymentOfReplicaSet(ref, current);
        if (deployment) {
          out.push(deployment);
          const given = this.find(namespace, deployment);
          if (given) this.materialized.add(given);
        }
        break;
      }
      this.materialized.add(parent);
      current = parent.object;
    }
    return out;
  }
}

/**
 * A ReplicaSet the input lacks, named <deployment>-<pod-template-hash>, stands for its
 * Deployment (the Deployment controller names them so; netpol-analyzer names workloads so too).
 */
function deploymentOfReplicaSet(ref: Reference, child: KubeObject): OwnerRef | undefined {
  // An unquoted hash (all digits) is read as its text, as the pod's labels are (LABEL_VALUE).
  const hash = String(child.metadata.labels?.['pod-template-hash'] ?? '');
  if (ref.kind !== 'ReplicaSet' || !hash || !ref.name.endsWith(`-${hash}`)) return undefined;
  return { kind: 'Deployment', name: ref.name.slice(0, -hash.length - 1) };
}
