import type { ChartSource } from './helm-args.js';

export type ChartName = 'cilium' | 'metrics-server' | 'kubelet-csr-approver';

/**
 * The charts apply installs and their default sources for real clusters (the repositories the
 * rendered values' headers name; `--chart NAME=REF` points at a local .tgz or an OCI reference for
 * sites without internet). Versions: cilium from the spec; metrics-server 3.12.2 and
 * kubelet-csr-approver 1.1.0 as render pins them (src/render/metrics-server.ts,
 * kubelet-csr-approver.ts, which render/index.ts does not export).
 */
export function chartSource(chart: ChartName, ciliumVersion: string, overrides: Partial<Record<ChartName, string>>): ChartSource {
  const defaults: Record<ChartName, ChartSource> = {
    cilium: { ref: 'cilium/cilium', version: ciliumVersion },
    'metrics-server': { ref: 'metrics-server/metrics-server', version: '3.12.2' },
    'kubelet-csr-approver': { ref: 'kubelet-csr-approver/kubelet-csr-approver', version: '1.1.0' },
  };
  const d = defaults[chart];
  return overrides[chart] ? { ref: overrides[chart]!, version: d.version } : d;
}
