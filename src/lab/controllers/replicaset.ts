import { def, listOf, mutate, ownedBy, ownerKey, podReady, recordEvent, selfKey, splitObjKey, type Controller, type SimContext } from './kit.js';
import { expand } from './model-bridge.js';
import { PodNamer, podFromTemplate } from './pod-factory.js';

/**
 * The ReplicaSet controller (pkg/controller/replicaset): as many pods as spec.replicas, named by
 * the workload model (`<replicaset>-<5 characters>`), unscheduled (the scheduler binds them);
 * the newest pods go first on scale-down; status counts replicas, ready and available ones.
 */
export function replicaSetController(ctx: SimContext): Controller {
  const { api } = ctx;
  const rsDef = def(api, 'apps', 'v1', 'replicasets');
  const podDef = def(api, '', 'v1', 'pods');
  const namer = new PodNamer();
  return {
    name: 'replicaset',
    watches: { 'apps/replicasets': selfKey, 'core/pods': (ev) => [...ownerKey(ev.value, 'ReplicaSet'), ...ownerKey(ev.prev, 'ReplicaSet')] },
    initial: () => listOf(api, 'apps/replicasets').map((r) => `${r.metadata.namespace}/${r.metadata.name}`),
    async reconcile(key) {
      const [ns, name] = splitObjKey(key);
      const rs = api.store.get(api.key(rsDef, ns, name))?.value;
      if (!rs) return;
      if (rs.metadata.deletionTimestamp) return namer.forget(rs.metadata.uid);
      const pods = listOf(api, 'core/pods', ns).filter((p) => ownedBy(p, rs.metadata.uid) && !p.metadata.deletionTimestamp && !['Succeeded', 'Failed'].includes(p.status?.phase));
      const want = rs.spec.replicas ?? 1;
      if (pods.length < want) {
        const names = namer.next(api, rs, want - pods.length, (n) => expand(rs, [], n));
        await Promise.all(names.map((n) => api.writeSystem(podDef, podFromTemplate(rs, rs.spec.template, n, `${name}-`), 'kube-controller-manager')));
        for (const n of names) void recordEvent(api, rs, 'Normal', 'SuccessfulCreate', `Created pod: ${n}`, 'replicaset-controller');
      } else if (pods.length > want) {
        // newest first, not-ready before ready (controller.ActivePods ordering, simplified)
        const victims = [...pods].sort((a, b) => Number(podReady(a)) - Number(podReady(b)) || (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '') || Number(b.metadata.resourceVersion) - Number(a.metadata.resourceVersion)).slice(0, pods.length - want);
        for (const p of victims) {
          await api.delete(podDef, ns, p.metadata.name).catch(() => undefined);
          void recordEvent(api, rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`, 'replicaset-controller');
        }
      }
      const live = listOf(api, 'core/pods', ns).filter((p) => ownedBy(p, rs.metadata.uid) && !p.metadata.deletionTimestamp);
      await mutate(api, rsDef, ns, name, (o) => {
        const ready = live.filter(podReady).length;
        o.status = {
          replicas: live.length,
          fullyLabeledReplicas: live.length,
          ...(ready ? { readyReplicas: ready, availableReplicas: ready } : {}),
          observedGeneration: o.metadata.generation,
        };
      });
    },
  };
}

