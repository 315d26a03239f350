import type { Diagnostic } from '../diag/index.js';
import { aggregateService, BackendIndex, clusterView, findingAt, globalServiceCounts, kubesprayNodes, nodesFromObjects, podGroups, readGlobalServiceAnnotations, serviceOf, sharesFor, whereOf, type ClusterNode, type ClusterView, type Findings, type GlobalServiceAnnotations, type ModelObject, type Placement, type ServiceAggregate, type ServiceInstance, type ServiceSpec } from '../model/index.js';
import { byCodeUnit } from '../net/index.js';
import type { ClusterSpec, Platform } from '../spec/index.js';
import { overrideText, readyOverride, type ReadyOverride } from './inputs.js';
import type { GlobalServicePrediction } from './types.js';

export interface ServicePlan {
  /** One per (service, client cluster), with per-cluster shares; empty in aggregate mode. */
  predictions: GlobalServicePrediction[];
  /** One per service: who exports how much, and each client's local/remote split. */
  aggregates: ServiceAggregate[];
  /** Global services per cluster, as each agent counts them (see globalServiceCounts). */
  globalCount: Map<string, number>;
}

export interface ServiceScenario {
  overrides: readonly ReadyOverride[];
  /** Clusters down in a what-if: no ready backend, and no client. */
  down: ReadonlySet<string>;
  detail: 'pairs' | 'aggregate';
}

interface Instance extends ServiceInstance {
  dependsOn: Diagnostic[];
}

const nodeObjects = new WeakMap<readonly ModelObject[], ClusterNode[]>();

/** The nodes a cluster schedules on: those of a live snapshot when given, else Kubespray's. */
function nodesOf(cluster: ClusterSpec, objects: readonly ModelObject[]): ClusterNode[] {
  let given = nodeObjects.get(objects);
  if (!given) nodeObjects.set(objects, (given = nodesFromObjects(objects)));
  return given.length ? given : kubesprayNodes(cluster);
}

/** What a cluster's objects say, read once per distinct object set: its pods indexed, and its Services. */
interface ObjectSet {
  index: BackendIndex;
  services: { o: ModelObject; svc: ServiceSpec; ann: GlobalServiceAnnotations }[];
}

function readObjectSet(objects: readonly ModelObject[], findings: Findings): ObjectSet {
  const services: ObjectSet['services'] = [];
  for (const o of objects) {
    const svc = serviceOf(o, findings);
    if (!svc) continue;
    const ann = readGlobalServiceAnnotations(svc.annotations);
    for (const f of ann.findings) findings.add(findingAt(o, { severity: 'warning', code: 'ANNOTATION_VALUE', message: f.message, hint: f.hint }, ['metadata', 'annotations', f.key]));
    services.push({ o, svc, ann });
  }
  return { index: new BackendIndex(podGroups(objects, findings)), services };
}

/** Every Service of every cluster, per client cluster: which clusters answer, and how often. */
export function planServices(platform: Platform, placement: Placement, scenario: ServiceScenario, findings: Findings): ServicePlan {
  const instances = new Map<string, Instance[]>();
  const exporters = new Map<string, Set<string>>();
  // Clusters holding the same objects (one manifest for every cluster) share one reading of them.
  const sets = new Map<readonly ModelObject[], ObjectSet>();
  for (const cluster of platform.spec.clusters) {
    const objects = placement.byCluster.get(cluster.name) ?? [];
    let set = sets.get(objects);
    if (!set) sets.set(objects, (set = readObjectSet(objects, findings)));
    const view = clusterView(cluster.name, nodesOf(cluster, objects), findings);
    for (const { svc, ann } of set.services) {
      const inst = instanceOf(platform, cluster.name, svc, ann, set.index, view, scenario, findings);
      const list = instances.get(svc.key);
      if (list) list.push(inst);
      else instances.set(svc.key, [inst]);
      if (inst.global && inst.shared) (exporters.get(svc.key) ?? exporters.set(svc.key, new Set()).get(svc.key)!).add(cluster.name);
    }
  }
  const globalCount = globalServiceCounts(platform.spec.clusters.map((c) => c.name), platform.spec.mesh.enabled ? exporters : new Map());
  const predictions: GlobalServicePrediction[] = [];
  const aggregates: ServiceAggregate[] = [];
  for (const list of [...instances.values()].sort((a, b) => byCodeUnit(`${a[0]!.namespace}/${a[0]!.name}`, `${b[0]!.namespace}/${b[0]!.name}`))) {
    const agg = aggregateService(list);
    if (scenario.down.size) agg.clients = agg.clients.filter((v) => !scenario.down.has(v.client));
    aggregates.push(agg);
    if (scenario.detail === 'pairs') predictions.push(...pairs(agg, list, scenario.down));
  }
  return { predictions, aggregates, globalCount };
}

function instanceOf(platform: Platform, cluster: string, svc: ServiceSpec, ann: GlobalServiceAnnotations, index: BackendIndex, view: ClusterView, scenario: ServiceScenario, findings: Findings): Instance {
  const backends = index.backends(svc.namespace, svc.selector, view, svc.publishNotReadyAddresses);
  const override = readyOverride(scenario.overrides, cluster, svc.namespace, svc.name);
  if (override?.service && override.ready > backends.ready) {
    findings.add({ severity: 'warning', code: 'READY_ABOVE_BACKENDS', message: `${overrideText(override)}: ${svc.namespace}/${svc.name} has ${backends.ready} ready backend${backends.ready === 1 ? '' : 's'} in ${cluster}; ${backends.ready} ${backends.ready === 1 ? 'is' : 'are'} counted`, hint: `--ready can only take backends away (a what-if of failures); scale the workload to add some` });
  }
  const ready = scenario.down.has(cluster) ? 0 : override === undefined ? backends.ready : Math.min(backends.ready, override.ready);
  const inst: Instance = {
    cluster,
    namespace: svc.namespace,
    name: svc.name,
    // Without the mesh no cluster sees another: every Service is local, whatever it says.
    global: ann.global && platform.spec.mesh.enabled,
    shared: ann.shared,
    affinity: ann.affinity,
    headless: svc.headless,
    readyBackends: ready,
    dependsOn: svc.fixes.length || backends.dependsOn.length ? [...new Set([...svc.fixes, ...backends.dependsOn])] : svc.fixes,
  };
  if (ann.syncEndpointSlices !== undefined) inst.syncEndpointSlices = ann.syncEndpointSlices;
  return inst;
}

const STALE = 'agents keep a disconnected cluster\'s services until its clustermesh configuration is removed (cilium pkg/clustermesh/remote_cluster.go Remove), so until then some requests may still be sent there';

function pairs(agg: ServiceAggregate, list: readonly Instance[], down: ReadonlySet<string>): GlobalServicePrediction[] {
  return agg.clients.map((view) => {
    const inst = list.find((i) => i.cluster === view.client)!;
    const backends: Record<string, number> = { [view.client]: view.localReady };
    if (view.global && !view.headless) for (const [c, n] of agg.exported) if (c !== view.client) backends[c] = n;
    const share = sharesFor(agg, view);
    const lost = view.global && !view.headless ? [...agg.exported.keys()].filter((c) => down.has(c)) : [];
    const notes = [...(view.note ? [view.note] : []), ...(lost.length ? [`with ${lost.join(', ')} down its backends there are counted as gone; ${STALE}`] : [])];
    // The fixes its own copy rests on, and those of every copy whose backends it may reach.
    const reached = list.filter((i) => i.cluster === view.client || (view.global && agg.exported.has(i.cluster)));
    const dependsOn = [...new Set(reached.flatMap((i) => i.dependsOn).map((d) => `${whereOf(d, `${agg.namespace}/${agg.name}`)}: ${d.hint}`))];
    return {
      namespace: agg.namespace,
      name: agg.name,
      client: view.client,
      global: view.global,
      shared: inst.shared,
      affinity: view.affinity,
      headless: view.headless,
      backends,
      share,
      ...(notes.length ? { note: notes.join('; ') } : {}),
      ...(dependsOn.length ? { dependsOn } : {}),
    };
  });
}
