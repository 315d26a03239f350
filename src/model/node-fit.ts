import type { ClusterNode } from './nodes.js';
import { fits, schedulingOf, tolerates, type Toleration } from './scheduling.js';

/**
 * The tolerations the DaemonSet controller writes into every daemon pod it creates (kubernetes
 * pkg/controller/daemon/util/daemonset_util.go AddOrUpdateDaemonPodTolerations): the same list
 * the model schedules daemons with (scheduling.ts), so the lab's pods and plan's agree.
 */
export function daemonPodTolerations(hostNetwork: boolean): Array<{ key: string; operator: string; effect: string }> {
  return schedulingOf({ hostNetwork }, true).tolerations.map((t: Toleration) => ({ key: t.key, operator: t.operator, effect: t.effect }));
}

/**
 * Why a pod with this spec fits none of the nodes, in the scheduler's FailedScheduling words
 * (kubernetes pkg/scheduler framework.Diagnosis; plugins TaintToleration "node(s) had untolerated
 * taint {key: value}", NodeAffinity "node(s) didn't match Pod's node affinity/selector",
 * NodeName "node(s) didn't match the requested node name", NodeUnschedulable
 * "node(s) were unschedulable"), reasons sorted and counted as the scheduler prints them.
 * Undefined when some node fits.
 */
export function unschedulableMessage(podSpec: Record<string, unknown>, nodes: readonly ClusterNode[]): string | undefined {
  const s = schedulingOf(podSpec, false);
  if (nodes.some((n) => fits(s, n))) return undefined;
  const counts = new Map<string, number>();
  for (const n of nodes) {
    const reason = whyNot(s, n);
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  const reasons = [...counts.entries()].map(([r, c]) => `${c} ${r}`).sort();
  const total = nodes.length;
  return `0/${total} nodes are available${reasons.length ? `: ${reasons.join(', ')}` : ''}. preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.`;
}

function whyNot(s: ReturnType<typeof schedulingOf>, n: ClusterNode): string {
  if (s.nodeName !== undefined && s.nodeName !== n.name) return "node(s) didn't match the requested node name";
  if (n.unschedulable && !s.tolerations.some((t) => tolerates(t, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }))) return 'node(s) were unschedulable';
  const selectorOnly = { ...s, tolerations: [{ key: '', operator: 'Exists', value: '', effect: '' }] };
  if (!fits(selectorOnly, n)) return "node(s) didn't match Pod's node affinity/selector";
  const taint = n.taints.find((t) => t.effect !== 'PreferNoSchedule' && !s.tolerations.some((x) => tolerates(x, t)));
  return taint ? `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}` : 'node(s) did not fit';
}
