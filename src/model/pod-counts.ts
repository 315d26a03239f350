import type { ClusterNode } from './nodes.js';
import { findingAt, type Findings } from './objects.js';
import { feasibleNodes } from './scheduling.js';
import type { PodGroup } from './workload-types.js';

/** One cluster as the counting sees it: its nodes (undefined when not known) and answers already worked out. */
export interface ClusterView {
  name: string;
  nodes: readonly ClusterNode[] | undefined;
  /** Feasible nodes per scheduling key. */
  feasible: Map<string, ClusterNode[]>;
  findings?: Findings;
}

export function clusterView(name: string, nodes: readonly ClusterNode[] | undefined, findings?: Findings): ClusterView {
  return { name, nodes, feasible: new Map(), ...(findings ? { findings } : {}) };
}

/** Nodes the group's pods may run on; undefined when the cluster's nodes are not known. */
export function feasibleFor(g: PodGroup, view: ClusterView): ClusterNode[] | undefined {
  if (!view.nodes) return undefined;
  let nodes = view.feasible.get(g.schedulingKey);
  if (!nodes) {
    nodes = feasibleNodes(g.scheduling, view.nodes);
    view.feasible.set(g.schedulingKey, nodes);
  }
  return nodes;
}

export interface GroupCount {
  /** Pods that exist (or will). */
  pods: number;
  /** Of those, ready: what a Service counts as backends. */
  ready: number;
  /** Of those, running with an address: what publishNotReadyAddresses counts. */
  serving: number;
}

/**
 * How many pods a group stands for in one cluster, and how many are ready. Live pods carry
 * their own state; a live workload given without pods counts what its status says; a workload
 * read from a manifest makes its replicas (one per feasible node for a DaemonSet), ready once
 * scheduled. Pods no node can take stay Pending: counted, not ready, and said out loud.
 */
export function groupCount(g: PodGroup, view: ClusterView): GroupCount {
  if (g.live) return { pods: 1, ready: g.live.ready ? 1 : 0, serving: g.live.phase === 'Running' ? 1 : 0 };
  const w = g.workload;
  if (w?.status) return { pods: w.status.pods, ready: Math.min(w.status.ready, w.status.pods), serving: w.status.pods };
  const feasible = feasibleFor(g, view);
  if (w?.replicas === 'per-node') {
    const n = feasible ? feasible.length : 1;
    if (n === 0) unschedulable(g, view);
    return { pods: n, ready: n, serving: n };
  }
  const pods = w ? (w.replicas as number) : 1;
  if (feasible && feasible.length === 0 && pods > 0) {
    unschedulable(g, view);
    return { pods, ready: 0, serving: 0 };
  }
  // The common answer, the same in every cluster: made once per group (a 255-cluster plan asks it 255 times).
  return (g.scheduled ??= Object.freeze({ pods, ready: pods, serving: pods }));
}

function unschedulable(g: PodGroup, view: ClusterView): void {
  if (!view.findings) return;
  const what = g.workload ? `${g.workload.kind} ${g.namespace}/${g.workload.name}` : `Pod ${g.namespace}/${g.bare?.name}`;
  const nodes = (view.nodes ?? []).map((n) => `${n.name}${n.taints.length ? ` (${n.taints.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(', ')})` : ''}${n.unschedulable ? ' (cordoned)' : ''}`);
  const message = g.workload?.replicas === 'per-node'
    ? `no node of cluster ${view.name} can run ${what}: it makes no pods there`
    : `no node of cluster ${view.name} can run ${what}: its pods stay Pending and are not ready`;
  view.findings.add(findingAt(g.from, { severity: 'warning', code: 'UNSCHEDULABLE', message, hint: `check its nodeSelector, node affinity and tolerations against the nodes: ${nodes.join(', ') || 'none'}` }, g.from.object.kind === 'Pod' ? ['spec'] : ['spec', 'template', 'spec']));
}
