import type { Diagnostic } from '../diag/index.js';
import { groupCount, type ClusterView } from './pod-counts.js';
import type { PodGroup } from './workload-types.js';

/** Labels the StatefulSet controller gives each pod its own value of. */
const ORDINAL_KEYS = new Set(['statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index']);

export interface Backends {
  /** Pods the selector picks that a Service counts as ready endpoints. */
  ready: number;
  /** All pods the selector picks. */
  pods: number;
  /** Fixes in the manifests these pods come from (see ModelObject.fixes). */
  dependsOn: Diagnostic[];
}

/**
 * One cluster's pod groups indexed by namespace and label, so a Service's backends are found
 * from its rarest selector label rather than by a scan of every workload; counts come from the
 * same groupCount that podsOf expands, so a count and the pods listed never disagree.
 */
export class BackendIndex {
  private readonly byLabel = new Map<string, PodGroup[]>();

  constructor(groups: readonly PodGroup[]) {
    for (const g of groups) {
      for (const [k, v] of Object.entries(g.labels)) {
        const key = `${g.namespace}\u0000${k}\u0000${v}`;
        const list = this.byLabel.get(key);
        if (list) list.push(g);
        else this.byLabel.set(key, [g]);
      }
    }
  }

  /**
   * Backends of a Service with this selector in this namespace (a selector-less Service has none
   * of its own). With publishNotReadyAddresses every running pod is an endpoint (kubernetes
   * pkg/controller/endpointslice podToEndpoint).
   */
  backends(namespace: string, selector: Record<string, string> | undefined, view: ClusterView, publishNotReady = false): Backends {
    const none: Backends = { ready: 0, pods: 0, dependsOn: [] };
    const entries = Object.entries(selector ?? {});
    const common = entries.filter(([k]) => !ORDINAL_KEYS.has(k));
    const ordinal = entries.filter(([k]) => ORDINAL_KEYS.has(k));
    if (entries.length === 0) return none;
    let candidates: PodGroup[] | undefined;
    for (const [k, v] of common) {
      const list = this.byLabel.get(`${namespace}\u0000${k}\u0000${v}`);
      if (!list) return none;
      if (!candidates || list.length < candidates.length) candidates = list;
    }
    const out: Backends = { ready: 0, pods: 0, dependsOn: [] };
    for (const g of candidates ?? []) {
      if (!common.every(([k, v]) => g.labels[k] === v)) continue;
      const c = groupCount(g, view);
      const [pods, ready] = ordinal.length ? onePod(g, ordinal, c.pods, publishNotReady ? c.serving : c.ready) : [c.pods, publishNotReady ? c.serving : c.ready];
      out.pods += pods;
      out.ready += ready;
      if (pods > 0) out.dependsOn.push(...g.fixes);
    }
    return out;
  }
}

/** A selector naming one StatefulSet pod (pod-name or pod-index): that pod, if the set has it. */
function onePod(g: PodGroup, ordinal: [string, string][], pods: number, ready: number): [number, number] {
  const w = g.workload;
  if (w?.naming !== 'ordinal') return [0, 0];
  const indexes = ordinal.map(([k, v]) => (k === 'apps.kubernetes.io/pod-index' ? Number(v) : v.startsWith(`${w.base}-`) ? Number(v.slice(w.base.length + 1)) : NaN));
  const i = indexes[0]!;
  if (!indexes.every((x) => x === i) || !Number.isInteger(i) || i < 0 || i >= pods) return [0, 0];
  return [1, i < ready ? 1 : 0];
}
