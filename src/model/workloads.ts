import type { KubeObject } from '../manifests/index.js';

/** Pod-creating kinds and how many pods each makes. */
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'DaemonSet', 'Job', 'Pod']);

export interface Workload {
  kind: string;
  namespace: string;
  name: string;
  /** Labels of the pods it creates. */
  podLabels: Record<string, string>;
  pods: number;
}

export interface ServiceSpec {
  namespace: string;
  name: string;
  type: string;
  headless: boolean;
  selector: Record<string, string> | undefined;
  annotations: Record<string, string>;
  loadBalancerIP?: string;
}

export function namespaceOf(o: KubeObject): string {
  return o.metadata.namespace ?? 'default';
}

/** The pods a workload object stands for; a DaemonSet has one per node. */
export function workloadOf(o: KubeObject, nodes: number): Workload | undefined {
  if (!WORKLOAD_KINDS.has(o.kind)) return undefined;
  const spec = (o.spec ?? {}) as Record<string, unknown>;
  const template = (spec.template ?? {}) as { metadata?: { labels?: Record<string, string> } };
  const podLabels = o.kind === 'Pod' ? (o.metadata.labels ?? {}) : (template.metadata?.labels ?? {});
  const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
  const pods = o.kind === 'Pod' ? 1 : o.kind === 'DaemonSet' ? nodes : o.kind === 'Job' ? (typeof spec.parallelism === 'number' ? spec.parallelism : 1) : replicas;
  return { kind: o.kind, namespace: namespaceOf(o), name: o.metadata.name, podLabels, pods };
}

export function serviceOf(o: KubeObject): ServiceSpec | undefined {
  if (o.kind !== 'Service' || !o.apiVersion.startsWith('v1')) return undefined;
  const spec = (o.spec ?? {}) as Record<string, unknown>;
  return {
    namespace: namespaceOf(o),
    name: o.metadata.name,
    type: typeof spec.type === 'string' ? spec.type : 'ClusterIP',
    headless: spec.clusterIP === 'None',
    selector: spec.selector && typeof spec.selector === 'object' ? (spec.selector as Record<string, string>) : undefined,
    annotations: o.metadata.annotations ?? {},
    ...(typeof spec.loadBalancerIP === 'string' ? { loadBalancerIP: spec.loadBalancerIP } : {}),
  };
}

/** Pods of the namespace that a Service's selector picks (a selector-less Service has none of its own). */
export function backendsOf(service: ServiceSpec, workloads: readonly Workload[]): number {
  const sel = service.selector;
  if (!sel || Object.keys(sel).length === 0) return 0;
  return workloads.filter((w) => w.namespace === service.namespace && Object.entries(sel).every(([k, v]) => w.podLabels[k] === v)).reduce((n, w) => n + w.pods, 0);
}

/**
 * Workloads of one cluster indexed by namespace and pod label, so a Service's backends are
 * found from its rarest selector label instead of a scan of every workload.
 */
export class WorkloadIndex {
  private readonly byLabel = new Map<string, Workload[]>();

  constructor(workloads: readonly Workload[]) {
    for (const w of workloads) {
      for (const [k, v] of Object.entries(w.podLabels)) {
        const key = `${w.namespace}\u0000${k}\u0000${v}`;
        const list = this.byLabel.get(key);
        if (list) list.push(w);
        else this.byLabel.set(key, [w]);
      }
    }
  }

  /** Same answer as backendsOf(service, workloads). */
  backends(service: ServiceSpec): number {
    const sel = service.selector;
    if (!sel) return 0;
    const entries = Object.entries(sel);
    if (entries.length === 0) return 0;
    let smallest: Workload[] | undefined;
    for (const [k, v] of entries) {
      const list = this.byLabel.get(`${service.namespace}\u0000${k}\u0000${v}`);
      if (!list) return 0;
      if (!smallest || list.length < smallest.length) smallest = list;
    }
    return smallest!.filter((w) => entries.every(([k, v]) => w.podLabels[k] === v)).reduce((n, w) => n + w.pods, 0);
  }
}
