import type { Affinity } from './annotations.js';

/** One cluster's copy of a Service (same namespace and name in every cluster makes it global). */
export interface ServiceInstance {
  cluster: string;
  namespace: string;
  name: string;
  global: boolean;
  shared: boolean;
  affinity: Affinity;
  headless: boolean;
  readyBackends: number;
  /** service.cilium.io/global-sync-endpoint-slices, when set. */
  syncEndpointSlices?: boolean;
}

export type Chosen = 'local' | 'remote' | 'both' | 'none';

/** What a client in one cluster reaches through its local copy of the Service. */
export interface ClientView {
  client: string;
  global: boolean;
  affinity: Affinity;
  headless: boolean;
  localReady: number;
  /** Ready backends the other clusters export to this client. */
  remoteReady: number;
  chosen: Chosen;
  localShare: number;
  remoteShare: number;
  note?: string;
}

/** Per service, computed once: who exports how many backends, then each client in O(1). */
export interface ServiceAggregate {
  namespace: string;
  name: string;
  /** Ready backends of the clusters that export (global and shared), by cluster. */
  exported: Map<string, number>;
  exportedTotal: number;
  clients: ClientView[];
}

/**
 * Cilium 1.16's rules (services.rst, affinity.rst): a client reaches its own cluster's backends,
 * plus, when its Service is global, those of every cluster whose copy is global and shared.
 * Affinity local (remote) uses only the preferred side while it has ready backends and falls
 * over to the other side when it has none. Backends are picked with equal weight.
 */
export function aggregateService(instances: readonly ServiceInstance[]): ServiceAggregate {
  const first = instances[0]!;
  const exported = new Map<string, number>();
  let exportedTotal = 0;
  for (const i of instances) {
    if (i.global && i.shared && !i.headless) {
      exported.set(i.cluster, i.readyBackends);
      exportedTotal += i.readyBackends;
    }
  }
  const clients = instances.map((i) => clientView(i, exportedTotal));
  return { namespace: first.namespace, name: first.name, exported, exportedTotal, clients };
}

function clientView(i: ServiceInstance, exportedTotal: number): ClientView {
  const localReady = i.readyBackends;
  const own = i.global && i.shared && !i.headless ? localReady : 0;
  const remoteReady = i.global && !i.headless ? exportedTotal - own : 0;
  const chosen = choose(i.affinity, localReady, remoteReady);
  const useLocal = chosen === 'local' || chosen === 'both';
  const useRemote = chosen === 'remote' || chosen === 'both';
  const total = (useLocal ? localReady : 0) + (useRemote ? remoteReady : 0);
  const view: ClientView = {
    client: i.cluster,
    global: i.global,
    affinity: i.affinity,
    headless: i.headless,
    localReady,
    remoteReady,
    chosen,
    localShare: total && useLocal ? localReady / total : 0,
    remoteShare: total && useRemote ? remoteReady / total : 0,
  };
  const note = noteFor(i, view);
  if (note) view.note = note;
  return view;
}

function choose(affinity: Affinity, local: number, remote: number): Chosen {
  if (local === 0 && remote === 0) return 'none';
  if (affinity === 'local') return local > 0 ? 'local' : 'remote';
  if (affinity === 'remote') return remote > 0 ? 'remote' : 'local';
  return local > 0 && remote > 0 ? 'both' : local > 0 ? 'local' : 'remote';
}

/**
 * Endpoint-slice synchronization (Cilium 1.16, beta) copies remote endpoints into local
 * EndpointSlices — on by default for headless global services — but only when the operator runs
 * with clustermesh.enableEndpointSliceSynchronization, which meshwright's platforms leave off.
 */
function noteFor(i: ServiceInstance, v: ClientView): string | undefined {
  if (i.headless && i.global) return 'headless: not load-balanced by Cilium; DNS returns local pods only, as endpoint-slice synchronization (clustermesh.enableEndpointSliceSynchronization) is off';
  if (i.global && i.syncEndpointSlices) return 'service.cilium.io/global-sync-endpoint-slices has no effect: clustermesh.enableEndpointSliceSynchronization is off';
  if (v.chosen === 'none') return 'no ready backend anywhere it can reach: requests fail';
  if (i.affinity === 'local' && v.chosen === 'remote') return 'affinity local, but no local backend is ready: falls over to remote clusters';
  if (i.affinity === 'remote' && v.chosen === 'local') return 'affinity remote, but no remote backend is ready: falls back to local';
  return undefined;
}

/** The share of requests per cluster for one client: expands the aggregate (per-pair output). */
export function sharesFor(agg: ServiceAggregate, view: ClientView): Record<string, number> {
  const out: Record<string, number> = {};
  if (view.localShare > 0) out[view.client] = view.localShare;
  if (view.remoteShare > 0) {
    for (const [cluster, ready] of agg.exported) {
      if (cluster === view.client || ready === 0) continue;
      out[cluster] = (view.remoteShare * ready) / view.remoteReady;
    }
  }
  return out;
}

/**
 * The "Global services" count `cilium clustermesh status` prints for each cluster: every agent
 * reports the size of its global-service cache (pkg/clustermesh/clustermesh.go Status:
 * NumGlobalServices = globalServices.Size()), a cache keyed by namespace/name and filled only by
 * remote clusters' services (pkg/clustermesh/services.go remoteServiceObserver.OnUpdate), and only
 * those marked shared: the clustermesh-apiserver exports nothing else (operator/watchers/
 * service_sync.go: `if shared && !event.Service.Shared { kvs.DeleteKey }`) and the observer
 * ignores non-shared updates ("Ignoring remote service update: service is not shared").
 * Shared means global and not service.cilium.io/shared: "false" (pkg/annotation
 * GetAnnotationShared). Headless services are exported like the others. A cluster's own global
 * services are not in its count. The agents of a cluster all see the same, so min = avg = max.
 *
 * `exporters` maps namespace/name to the clusters exporting it. Counted as all names less
 * those only the cluster itself exports: O(services × clusters) on a 255-cluster mesh.
 */
export function globalServiceCounts(clusters: readonly string[], exporters: ReadonlyMap<string, ReadonlySet<string>>): Map<string, number> {
  const onlyBy = new Map<string, number>();
  for (const set of exporters.values()) {
    if (set.size !== 1) continue;
    const [only] = set;
    onlyBy.set(only!, (onlyBy.get(only!) ?? 0) + 1);
  }
  return new Map(clusters.map((c) => [c, exporters.size - (onlyBy.get(c) ?? 0)]));
}
