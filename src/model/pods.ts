import type { Diagnostic } from '../diag/index.js';
import { nodesFromObjects, type ClusterNode } from './nodes.js';
import { Findings, type ModelObject } from './objects.js';
import { clusterView, feasibleFor, groupCount, type ClusterView } from './pod-counts.js';
import { podGroups } from './pod-groups.js';
import { nameSuffix } from './pod-names.js';
import type { ModelPod, PodGroup } from './workload-types.js';

export interface WorkloadInput {
  /** One cluster's objects (after placeObjects): workloads, pods, anything else is ignored. */
  objects: readonly ModelObject[];
  /**
   * The cluster's nodes as built (e.g. kubesprayNodes(cluster)). Node objects among the objects
   * (a live snapshot) win over them; with neither, a DaemonSet makes one pod and no pod is
   * placed on a node.
   */
  nodes?: readonly ClusterNode[];
  /** The cluster's name, for findings. */
  cluster?: string;
}

/**
 * Every pod a cluster runs, live or predicted, once each: names as the controllers make them,
 * labels, node, readiness, host networking, owner chain and container ports. plan, policy and
 * the lab all read pods through here.
 */
export function workloadPods(input: WorkloadInput): { pods: ModelPod[]; diagnostics: Diagnostic[] } {
  const findings = new Findings();
  const given = nodesFromObjects(input.objects);
  const view = clusterView(input.cluster ?? 'default', given.length ? given : input.nodes, findings);
  const pods = podsOf(podGroups(input.objects, findings), view);
  return { pods, diagnostics: findings.list };
}

/** Expands groups into pods, placing each on the least busy node it fits (the scheduler's spreading, simplified). */
export function podsOf(groups: readonly PodGroup[], view: ClusterView): ModelPod[] {
  const load = new Map<string, number>();
  for (const g of groups) if (g.live?.node) load.set(g.live.node, (load.get(g.live.node) ?? 0) + 1);
  const place = (nodes: ClusterNode[] | undefined): string | undefined => {
    if (!nodes?.length) return undefined;
    let best = nodes[0]!;
    for (const n of nodes) if ((load.get(n.name) ?? 0) < (load.get(best.name) ?? 0)) best = n;
    load.set(best.name, (load.get(best.name) ?? 0) + 1);
    return best.name;
  };
  return groups.flatMap((g) => expand(g, view, place));
}

function pod(g: PodGroup, name: string, node: string | undefined, ready: boolean, extra: Partial<ModelPod> = {}): ModelPod {
  return {
    name,
    namespace: g.namespace,
    labels: g.labels,
    node,
    phase: ready ? 'Running' : 'Pending',
    ready,
    terminating: false,
    hostNetwork: g.hostNetwork,
    owners: g.owners,
    ports: g.ports,
    serviceAccount: g.serviceAccount,
    origin: 'predicted',
    dependsOn: g.fixes,
    ...extra,
  };
}

function expand(g: PodGroup, view: ClusterView, place: (nodes: ClusterNode[] | undefined) => string | undefined): ModelPod[] {
  if (g.live) return [pod(g, g.live.name, g.live.node, g.live.ready, { phase: g.live.phase, terminating: g.live.terminating, origin: 'live' })];
  const count = groupCount(g, view);
  const feasible = feasibleFor(g, view);
  if (g.bare) {
    const node = g.scheduling.nodeName ?? place(feasible);
    return [pod(g, g.bare.name, node, count.ready > 0)];
  }
  const w = g.workload!;
  const out: ModelPod[] = [];
  for (let i = 0; i < count.pods; i++) {
    // A DaemonSet's pod i belongs to feasible node i; the others go where there is room.
    const node = w.replicas === 'per-node' && !w.status ? feasible?.[i]?.name : place(feasible);
    const name = w.naming === 'ordinal' ? `${w.base}-${i}` : `${w.base}-${nameSuffix(`${g.namespace}/${w.base}/${w.replicas === 'per-node' ? (node ?? i) : i}`)}`;
    const labels = w.naming === 'ordinal' ? { ...g.labels, 'apps.kubernetes.io/pod-index': String(i), 'statefulset.kubernetes.io/pod-name': name } : g.labels;
    // Ready as counted (groupCount): a live status is believed even where no known node fits the pods.
    out.push(pod(g, name, node, i < count.ready, { labels }));
  }
  return out;
}
