// The metrics API (metrics.k8s.io) a cluster serves once its metrics-server runs: `kubectl top`.
export { METRICS_API_SERVICE, METRICS_GROUP, metricsGroupVersion, serveMetrics, goDuration } from './api.js';
export type { MetricsQuery } from './api.js';
export { containerUsage, nodeUsage, podUsage, usageQuantities, NODE_OVERHEAD } from './usage.js';
export type { Usage } from './usage.js';
export { parseQuantity } from './quantity.js';
