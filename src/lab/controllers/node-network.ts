import type { Obj } from '../store/log-store.js';
import { condition, def, delayOf, listOf, mutate, podReady, recordEvent, setCondition, type Controller, type SimContext } from './kit.js';
import { nodeReady } from './kubelet.js';

/** The agent pods: DaemonSet `cilium` of the chart (templates/cilium-agent/daemonset.yaml, label k8s-app=cilium). */
export const isAgentPod = (p: Obj | undefined): boolean => Boolean(p && p.metadata.namespace === 'kube-system' && p.metadata.labels?.['k8s-app'] === 'cilium' && (p.metadata.ownerReferences ?? []).some((r: Obj) => r.kind === 'DaemonSet'));

const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';

/**
 * The kubelet's network readiness: a node is NotReady ("cni plugin not initialized") until a Ready
 * Cilium agent pod runs on it — the agent writes the CNI configuration — then Ready
 * ("kubelet is posting ready status"), and the node lifecycle controller lifts the
 * node.kubernetes.io/not-ready taint. An agent gone makes it NotReady again.
 */
export function nodeNetworkController(ctx: SimContext): Controller {
  const { api } = ctx;
  const nodeDef = def(api, '', 'v1', 'nodes');
  const since = new Map<string, number>();
  return {
    name: 'node-network',
    watches: {
      'core/nodes': (ev) => [ev.value.metadata.name],
      'core/pods': (ev) => (isAgentPod(ev.value) && (podReady(ev.value) !== (ev.prev ? podReady(ev.prev) : false) || ev.type === 'DELETED') ? [ev.value.spec?.nodeName].filter(Boolean) : []),
    },
    initial: () => listOf(api, 'core/nodes').map((n) => n.metadata.name),
    async reconcile(key) {
      const node = api.store.get(api.key(nodeDef, '', key))?.value;
      if (!node) return;
      const agent = listOf(api, 'core/pods', 'kube-system').some((p) => isAgentPod(p) && p.spec?.nodeName === key && podReady(p) && !p.metadata.deletionTimestamp);
      if (agent === nodeReady(node)) return void since.delete(key);
      const wait = agent ? delayOf(ctx, 'nodeReady') : 0;
      const now = ctx.clock.now();
      if (!since.has(key)) since.set(key, now);
      if (wait && now - since.get(key)! < wait) return { requeueAfterMs: wait - (now - since.get(key)!) };
      since.delete(key);
      const written = await mutate(api, nodeDef, '', key, (n) => setNetwork(n, agent, now), 'kubelet');
      if (written) void recordEvent(api, { ...written, metadata: { ...written.metadata, uid: key, namespace: 'default' } }, 'Normal', agent ? 'NodeReady' : 'NodeNotReady', `Node ${key} status is now: ${agent ? 'NodeReady' : 'NodeNotReady'}`, 'kubelet', key);
    },
  };
}

function setNetwork(n: Obj, ready: boolean, now: number): void {
  const prev = n.status?.conditions ?? [];
  const c = ready
    ? condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status (simulated)', now, prev)
    : condition('Ready', 'False', 'KubeletNotReady', 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized (simulated)', now, prev);
  n.status.conditions = setCondition(prev, { ...c, lastHeartbeatTime: c.lastTransitionTime });
  const taints: Obj[] = (n.spec?.taints ?? []).filter((t: Obj) => t.key !== NOT_READY_TAINT);
  if (!ready) taints.push({ key: NOT_READY_TAINT, effect: 'NoSchedule', timeAdded: c.lastTransitionTime });
  n.spec = { ...(n.spec ?? {}), ...(taints.length ? { taints } : {}) };
  if (!taints.length) delete n.spec.taints;
}
