import type { Diagnostic } from '../diag/index.js';
import { locate, type LoadedObject } from '../manifests/index.js';
import { aggregateService, readGlobalServiceAnnotations, serviceOf, sharesFor, workloadOf, WorkloadIndex, type GlobalServiceAnnotations, type ServiceAggregate, type ServiceInstance, type ServiceSpec } from '../model/index.js';
import { byCodeUnit } from '../net/index.js';
import type { Platform } from '../spec/index.js';
import { readyOverride, type ReadyOverride } from './inputs.js';
import type { GlobalServicePrediction } from './types.js';

export interface ServicePlan {
  /** One per (service, client cluster), with per-cluster shares; empty in aggregate mode. */
  predictions: GlobalServicePrediction[];
  /** One per service: who exports how much, and each client's local/remote split. */
  aggregates: ServiceAggregate[];
  /** Global services per cluster, as each agent counts them. */
  globalCount: Map<string, number>;
  warnings: Diagnostic[];
}

/** Every Service of the manifests, per client cluster: which clusters answer, and how often. */
export function planServices(platform: Platform, byCluster: Map<string, LoadedObject[]>, overrides: readonly ReadyOverride[], detail: 'pairs' | 'aggregate' = 'pairs'): ServicePlan {
  const instances = new Map<string, ServiceInstance[]>();
  const globalCount = new Map<string, number>();
  const warnings: Diagnostic[] = [];
  // The same manifest usually goes to every cluster: read each object's Service once.
  const read = new Map<LoadedObject, { svc: ServiceSpec; ann: GlobalServiceAnnotations } | null>();
  // Clusters given the same objects and node count share one workload index.
  const indexes = new Map<string, WorkloadIndex>();
  for (const cluster of platform.spec.clusters) {
    const objects = byCluster.get(cluster.name) ?? [];
    const key = `${objects.every((o) => !o.cluster) ? 'shared' : cluster.name}:${cluster.nodes.length}`;
    let index = indexes.get(key);
    if (!index) {
      index = new WorkloadIndex(objects.flatMap((o) => workloadOf(o.object, cluster.nodes.length) ?? []));
      indexes.set(key, index);
    }
    let globals = 0;
    for (const loaded of objects) {
      let entry = read.get(loaded);
      if (entry === undefined) {
        const svc = serviceOf(loaded.object);
        entry = svc ? { svc, ann: readGlobalServiceAnnotations(svc.annotations) } : null;
        read.set(loaded, entry);
        for (const f of entry?.ann.findings ?? []) warnings.push(locate({ severity: 'warning', code: 'ANNOTATION_VALUE', message: f.message, hint: f.hint }, loaded.source, ['metadata', 'annotations', f.key]));
      }
      if (!entry) continue;
      const { svc, ann } = entry;
      // Without the mesh no cluster sees another: every Service is local, whatever it says.
      const global = ann.global && platform.spec.mesh.enabled;
      if (global) globals++;
      const ready = index.backends(svc);
      const override = readyOverride(overrides, cluster.name, svc.namespace, svc.name);
      const key = `${svc.namespace}/${svc.name}`;
      const list = instances.get(key) ?? [];
      list.push({ cluster: cluster.name, namespace: svc.namespace, name: svc.name, global, shared: ann.shared, affinity: ann.affinity, headless: svc.headless, readyBackends: override === undefined ? ready : Math.min(ready, override), ...(ann.syncEndpointSlices !== undefined ? { syncEndpointSlices: ann.syncEndpointSlices } : {}) });
      instances.set(key, list);
    }
    globalCount.set(cluster.name, globals);
  }
  const predictions: GlobalServicePrediction[] = [];
  const aggregates: ServiceAggregate[] = [];
  for (const list of [...instances.values()].sort((a, b) => byCodeUnit(`${a[0]!.namespace}/${a[0]!.name}`, `${b[0]!.namespace}/${b[0]!.name}`))) {
    const agg = aggregateService(list);
    aggregates.push(agg);
    if (detail === 'aggregate') continue;
    for (const view of agg.clients) {
      const inst = list.find((i) => i.cluster === view.client)!;
      const backends: Record<string, number> = { [view.client]: view.localReady };
      if (view.global && !view.headless) for (const [c, n] of agg.exported) if (c !== view.client) backends[c] = n;
      predictions.push({
        namespace: agg.namespace,
        name: agg.name,
        client: view.client,
        global: view.global,
        shared: inst.shared,
        affinity: view.affinity,
        headless: view.headless,
        backends,
        share: sharesFor(agg, view),
        ...(view.note ? { note: view.note } : {}),
      });
    }
  }
  return { predictions, aggregates, globalCount, warnings };
}
