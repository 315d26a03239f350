import { unschedulableMessage } from '../../model/index.js';
import type { Obj } from '../store/log-store.js';
import { condition, def, delayOf, listOf, mutate, recordEvent, setCondition, type Controller, type SimContext } from './kit.js';
import { clusterNodes, placePods } from './model-bridge.js';

const KEY = 'pending';
const unscheduled = (p: Obj | undefined): boolean => Boolean(p && !p.spec?.nodeName && !p.metadata.deletionTimestamp && (p.spec?.schedulerName ?? 'default-scheduler') === 'default-scheduler');

/**
 * kube-scheduler, with the workload model's placement: every pod without a node is bound to the
 * least busy node it fits (taints, tolerations, nodeSelector, node affinity), all pending pods in
 * one pass; a pod no node takes gets PodScheduled False with the scheduler's FailedScheduling
 * message and is tried again whenever a node changes.
 */
export function schedulerController(ctx: SimContext): Controller {
  const { api } = ctx;
  const podDef = def(api, '', 'v1', 'pods');
  let waitingSince = 0;
  return {
    name: 'scheduler',
    watches: {
      'core/pods': (ev) => (ev.type !== 'DELETED' && unscheduled(ev.value) ? [KEY] : ev.type === 'DELETED' && ev.value.spec?.nodeName ? [KEY] : []),
      'core/nodes': () => [KEY],
    },
    initial: () => [KEY],
    async reconcile() {
      const pods = listOf(api, 'core/pods');
      const pending = pods.filter(unscheduled);
      if (!pending.length) return;
      const delay = delayOf(ctx, 'schedule');
      const now = ctx.clock.now();
      if (delay && !waitingSince) waitingSince = now;
      if (delay && now - waitingSince < delay) return { requeueAfterMs: delay - (now - waitingSince) };
      waitingSince = 0;
      const nodeObjs = listOf(api, 'core/nodes');
      const nodes = clusterNodes(nodeObjs);
      const placed = placePods(pods.filter((p) => p.spec?.nodeName && !['Succeeded', 'Failed'].includes(p.status?.phase)), pending, nodes);
      const writes: Promise<unknown>[] = [];
      for (const p of pending) {
        const ns = p.metadata.namespace;
        const node = placed.get(`${ns}/${p.metadata.name}`);
        if (node) {
          writes.push(
            mutate(api, podDef, ns, p.metadata.name, (o) => {
              o.spec.nodeName = node;
              o.status = { ...(o.status ?? {}), conditions: setCondition(o.status?.conditions, { ...condition('PodScheduled', 'True', undefined, undefined, now), lastProbeTime: null }) };
            }, 'kube-scheduler').then((o) => o && recordEvent(api, o, 'Normal', 'Scheduled', `Successfully assigned ${ns}/${p.metadata.name} to ${node}`, 'default-scheduler')),
          );
          continue;
        }
        const message = unschedulableMessage(p.spec ?? {}, nodes) ?? `0/${nodes.length} nodes are available.`;
        writes.push(
          mutate(api, podDef, ns, p.metadata.name, (o) => {
            o.status = { ...(o.status ?? {}), phase: 'Pending', conditions: setCondition(o.status?.conditions, { ...condition('PodScheduled', 'False', 'Unschedulable', message, now, o.status?.conditions), lastProbeTime: null }) };
          }, 'kube-scheduler').then((o) => o && o.metadata.resourceVersion !== p.metadata.resourceVersion && recordEvent(api, o, 'Warning', 'FailedScheduling', message, 'default-scheduler')),
        );
      }
      await Promise.all(writes);
    },
  };
}
