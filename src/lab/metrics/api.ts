import type { GroupVersion, ResourceDef } from '../api/catalog.js';
import { notFound } from '../api/status.js';
import { partialMetadata, type IncludeObject } from '../api/table.js';
import { iso, type ClusterApi } from '../service/cluster-api.js';
import type { Obj } from '../store/log-store.js';
import { nodeUsage, podUsage, usageQuantities, type Usage } from './usage.js';

/** The APIService metrics-server's chart registers (templates/apiservice.yaml of chart 3.12.2). */
export const METRICS_API_SERVICE = 'v1beta1.metrics.k8s.io';
export const METRICS_GROUP = 'metrics.k8s.io';

const resource = (r: Pick<ResourceDef, 'resource' | 'kind' | 'singular' | 'namespaced'>): ResourceDef => ({
  ...r,
  group: METRICS_GROUP,
  version: 'v1beta1',
  verbs: ['get', 'list'],
  subresources: [],
  schema: undefined,
  apiService: METRICS_API_SERVICE,
});

/** metrics.k8s.io/v1beta1 as metrics-server serves it (pkg/api/install.go of v0.7.2): nodes and pods, get and list. */
export function metricsGroupVersion(): GroupVersion {
  return {
    group: METRICS_GROUP,
    version: 'v1beta1',
    resources: [resource({ resource: 'nodes', kind: 'NodeMetrics', singular: '', namespaced: false }), resource({ resource: 'pods', kind: 'PodMetrics', singular: '', namespaced: true })],
  };
}

export interface MetricsQuery {
  namespace: string | undefined;
  name: string | undefined;
  labelSelector: string | null;
  fieldSelector: string | null;
  table: boolean;
  include: IncludeObject;
}

/**
 * One GET of the metrics API, answered from the cluster's nodes and running pods as metrics-server
 * v0.7.2 answers it (pkg/api/node.go, pod.go, table.go): items sorted by name, a node or pod
 * without metrics is NotFound, Table columns Name, cpu, memory, Window.
 */
export function serveMetrics(api: ClusterApi, def: ResourceDef, q: MetricsQuery): Obj {
  const core = (r: string) => api.catalog.find('', 'v1', r)!;
  const now = api.now();
  const window = metricWindow(api);
  const meta = (o: Obj): Obj => ({ name: o.metadata.name, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}), creationTimestamp: iso(now), ...(o.metadata.labels ? { labels: o.metadata.labels } : {}) });
  const stamp = { timestamp: iso(now - 1000 * Math.min(window, 15)), window: goDuration(window) };
  const running = (p: Obj) => p.status?.phase === 'Running' && Boolean(p.spec?.nodeName);
  let items: Obj[];
  if (def.kind === 'NodeMetrics') {
    const pods = api.list(core('pods'), undefined).items.filter(running);
    const nodes = api.list(core('nodes'), undefined, { labelSelector: q.labelSelector, fieldSelector: q.fieldSelector }).items.filter((n) => q.name === undefined || n.metadata.name === q.name);
    items = nodes.map((n) => ({ kind: 'NodeMetrics', apiVersion: 'metrics.k8s.io/v1beta1', metadata: meta(n), ...stamp, usage: usageQuantities(nodeUsage(pods.filter((p) => p.spec.nodeName === n.metadata.name))) }));
  } else {
    const pods = api.list(core('pods'), q.namespace, { labelSelector: q.labelSelector, fieldSelector: q.fieldSelector }).items.filter((p) => running(p) && (q.name === undefined || p.metadata.name === q.name));
    items = pods.map((p) => ({ kind: 'PodMetrics', apiVersion: 'metrics.k8s.io/v1beta1', metadata: meta(p), ...stamp, containers: podUsage(p).map((c) => ({ name: c.name, usage: usageQuantities(c.usage) })) }));
  }
  items.sort((a, b) => (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') || a.metadata.name.localeCompare(b.metadata.name));
  if (q.name !== undefined && !items.length) throw notFound(def, q.name);
  if (q.table) return metricsTable(items, q.include);
  if (q.name !== undefined) return items[0]!;
  return { kind: `${def.kind}List`, apiVersion: 'metrics.k8s.io/v1beta1', metadata: {}, items };
}

function metricsTable(items: Obj[], include: IncludeObject): Obj {
  const total = (o: Obj): Usage =>
    o.kind === 'NodeMetrics'
      ? fromQuantities(o.usage)
      : (o.containers as Obj[]).reduce<Usage>((t, c) => {
          const u = fromQuantities(c.usage);
          return { cpu: t.cpu + u.cpu, memory: t.memory + u.memory };
        }, { cpu: 0, memory: 0 });
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: {},
    columnDefinitions: [
      { name: 'Name', type: 'string', format: 'name', description: 'Name of the resource', priority: 0 },
      { name: 'cpu', type: 'string', format: 'quantity', description: '', priority: 0 },
      { name: 'memory', type: 'string', format: 'quantity', description: '', priority: 0 },
      { name: 'Window', type: 'string', format: 'duration', description: '', priority: 0 },
    ],
    rows: items.map((o) => {
      const q = usageQuantities(total(o));
      return { cells: [o.metadata.name, q.cpu, q.memory, o.window], ...(include === 'None' ? {} : { object: include === 'Object' ? o : partialMetadata(o) }) };
    }),
  };
}

function fromQuantities(u: { cpu: string; memory: string }): Usage {
  return { cpu: Number(u.cpu.replace(/n$/, '')) / 1e9, memory: Number(u.memory.replace(/Ki$/, '')) * 1024 };
}

/** Seconds between two scrapes: metrics-server's --metric-resolution (its default 60s; the chart passes 15s). */
function metricWindow(api: ClusterApi): number {
  const deployments = api.list(api.catalog.find('apps', 'v1', 'deployments')!, undefined, { labelSelector: 'app.kubernetes.io/name=metrics-server' }).items;
  for (const d of deployments)
    for (const c of (d.spec?.template?.spec?.containers ?? []) as Obj[])
      for (const a of (c.args ?? []) as string[]) {
        const m = /^--metric-resolution=(?:(\d+)m)?(?:(\d+)s)?$/.exec(a);
        if (m && (m[1] || m[2])) return Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
      }
  return 60;
}

/** metav1.Duration's JSON: Go's time.Duration.String ("15s", "1m0s"). */
export function goDuration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return `${h ? `${h}h` : ''}${m}m${seconds % 60}s`;
}
