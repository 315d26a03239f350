import { METRICS_API_SERVICE, metricsGroupVersion } from '../metrics/index.js';
import { listOf, type Controller, type SimContext } from './kit.js';

const isMetricsServer = (labels: Record<string, string> | undefined): boolean => labels?.['app.kubernetes.io/name'] === 'metrics-server';

/**
 * The aggregation layer for metrics.k8s.io: served while a metrics-server Deployment has an
 * available replica, as kube-aggregator marks the APIService Available only when its backend
 * answers; until then `kubectl top` says "Metrics API not available", as on a real cluster.
 */
export function metricsApiController(ctx: SimContext): Controller {
  const { api } = ctx;
  return {
    name: 'metrics-api',
    watches: { 'apps/deployments': (ev) => (isMetricsServer(ev.value.metadata.labels) ? ['apiservice'] : []) },
    initial: () => ['apiservice'],
    async reconcile() {
      const available = listOf(api, 'apps/deployments').some((d) => isMetricsServer(d.metadata.labels) && !d.metadata.deletionTimestamp && (d.status?.availableReplicas ?? 0) > 0);
      const served = api.catalog.find('metrics.k8s.io', 'v1beta1', 'nodes') !== undefined;
      if (available !== served) api.catalog.setCustom(METRICS_API_SERVICE, available ? [metricsGroupVersion()] : []);
    },
  };
}
