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
 * (kubernetes pkg/scheduler/framework/types.go FitError.Error: each node counted under the first
 * filter it fails, "<count> <reason>" entries sorted as text), or "no nodes available to schedule
 * pods" when the cluster has none (pkg/scheduler/schedule_one.go ErrNoNodesAvailable).
 * Undefined when some node fits.
 */
export function unschedulableMessage(podSpec: Record<string, unknown>, nodes: readonly ClusterNode[]): string | undefined {
  if (nodes.length === 0) return 'no nodes available to schedule pods';
  const s = schedulingOf(podSpec, false);
  if (nodes.some((n) => fits(s, n))) return undefined;
  const counts = new Map<string, number>();
  for (const n of nodes) {
    const reason = whyNot(s, n);
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  const reasons = [...counts.entries()].map(([r, c]) => `${c} ${r}`).sort();
  const total = nodes.length;
  return `0/${total} nodes are available: ${reasons.join(', ')}. preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.`;
}

/**
 * The reason of the first filter a node fails, in the default profile's order
 * (pkg/scheduler/apis/config/v1/default_plugins.go): NodeUnschedulable, NodeName, TaintToleration
 * (NoSchedule and NoExecute taints only), NodeAffinity (nodeSelector and required node affinity).
 * Called only for a node the pod does not fit, so a node passing the first three fails the last.
 */
function whyNot(s: ReturnType<typeof schedulingOf>, n: ClusterNode): string {
  if (n.unschedulable && !s.tolerations.some((t) => tolerates(t, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }))) return 'node(s) were unschedulable';
  // A pod naming a node fits that node, so a node asked about here is another one.
  if (s.nodeName !== undefined) return "node(s) didn't match the requested node name";
  const taint = n.taints.find((t) => t.effect !== 'PreferNoSchedule' && !s.tolerations.some((x) => tolerates(x, t)));
  return taint ? `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}` : "node(s) didn't match Pod's node affinity/selector";
}
