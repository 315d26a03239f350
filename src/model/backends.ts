import type { Diagnostic } from '../diag/index.js';
import { push } from './multimap.js';
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
interface Candidates {
  groups: PodGroup[];
  ordinal: [string, string][];
}

const NO_FIXES: readonly Diagnostic[] = Object.freeze([]);

export class BackendIndex {
  private readonly byLabel = new Map<string, PodGroup[]>();
  /** Every group per namespace: what a selector of pod-name or pod-index alone picks from. */
  private readonly byNamespace = new Map<string, PodGroup[]>();
  /** The groups a selector picks do not depend on the cluster: found once per selector. */
  private readonly picked = new WeakMap<Record<string, string>, Candidates>();

  constructor(groups: readonly PodGroup[]) {
    for (const g of groups) {
      push(this.byNamespace, g.namespace, g);
      for (const [k, v] of Object.entries(g.labels)) push(this.byLabel, `${g.namespace}\u0000${k}\u0000${v}`, g);
    }
  }

  /**
   * Backends of a Service with this selector in this namespace (a selector-less Service has none
   * of its own). With publishNotReadyAddresses every running pod is an endpoint (kubernetes
   * pkg/controller/endpointslice podToEndpoint).
   */
  backends(namespace: string, selector: Record<string, string> | undefined, view: ClusterView, publishNotReady = false): Backends {
    const out: Backends = { ready: 0, pods: 0, dependsOn: NO_FIXES as Diagnostic[] };
    if (!selector) return out;
    const { groups, ordinal } = this.candidates(namespace, selector);
    for (const g of groups) {
      const c = groupCount(g, view);
      const counted = publishNotReady ? c.serving : c.ready;
      if (ordinal.length && g.workload) {
        const i = ordinalOf(g, ordinal);
        if (i === undefined || i >= c.pods) continue;
        out.pods += 1;
        out.ready += i < counted ? 1 : 0;
      } else {
        // A pod read live carries its StatefulSet labels itself.
        if (ordinal.some(([k, v]) => g.labels[k] !== v)) continue;
        out.pods += c.pods;
        out.ready += counted;
      }
      if (c.pods > 0 && g.fixes.length) out.dependsOn = [...out.dependsOn, ...g.fixes];
    }
    return out;
  }

  private candidates(namespace: string, selector: Record<string, string>): Candidates {
    let found = this.picked.get(selector);
    if (!found) {
      found = this.pick(namespace, selector);
      this.picked.set(selector, found);
    }
    return found;
  }

  private pick(namespace: string, selector: Record<string, string>): Candidates {
    const entries = Object.entries(selector);
    const common = entries.filter(([k]) => !ORDINAL_KEYS.has(k));
    const ordinal = entries.filter(([k]) => ORDINAL_KEYS.has(k));
    // A per-pod Service (one per Kafka broker) often selects by pod-name alone.
    if (common.length === 0) return { groups: ordinal.length ? (this.byNamespace.get(namespace) ?? []) : [], ordinal };
    let smallest: PodGroup[] | undefined;
    for (const [k, v] of common) {
      const list = this.byLabel.get(`${namespace}\u0000${k}\u0000${v}`);
      if (!list) return { groups: [], ordinal };
      if (!smallest || list.length < smallest.length) smallest = list;
    }
    return { groups: smallest!.filter((g) => common.every(([k, v]) => g.labels[k] === v)), ordinal };
  }
}

/** The ordinal of the one StatefulSet pod a selector names (pod-name or pod-index), if the group is that StatefulSet. */
function ordinalOf(g: PodGroup, ordinal: [string, string][]): number | undefined {
  const w = g.workload;
  if (w?.naming !== 'ordinal') return undefined;
  const indexes = ordinal.map(([k, v]) => (k === 'apps.kubernetes.io/pod-index' ? Number(v) : v.startsWith(`${w.base}-`) ? Number(v.slice(w.base.length + 1)) : NaN));
  const i = indexes[0]!;
  return indexes.every((x) => x === i) && Number.isInteger(i) && i >= 0 ? i : undefined;
}
