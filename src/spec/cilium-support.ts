/**
 * The Cilium charts meshwright renders values for. The values, keys and defaults were traced
 * through the 1.16.5 chart (cilium/charts cilium-1.16.5.tgz); other 1.16 patch releases keep
 * those keys, other minors rename and re-default them (1.17 moves clustermesh and L2 keys).
 */
export const CILIUM_CHART_MINOR = '1.16';
export const CILIUM_CHART_TESTED = '1.16.5';

export type CiliumChartSupport = 'tested' | 'untested-patch' | 'unknown';

export function ciliumChartSupport(version: string): CiliumChartSupport {
  if (version === CILIUM_CHART_TESTED) return 'tested';
  return version.startsWith(`${CILIUM_CHART_MINOR}.`) ? 'untested-patch' : 'unknown';
}
