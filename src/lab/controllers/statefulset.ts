import { def, listOf, mutate, ownedBy, ownerKey, podReady, recordEvent, selfKey, splitObjKey, type Controller, type SimContext } from './kit.js';
import { expand } from './model-bridge.js';
import { podFromTemplate } from './pod-factory.js';

/**
 * The StatefulSet controller (pkg/controller/statefulset): pods `<name>-<ordinal>` with the
 * labels the model gives them (pod-name, pod-index, controller-revision-hash); with the default
 * OrderedReady policy pod N+1 is created once pod N is ready, and the highest ordinal goes first.
 */
export function statefulSetController(ctx: SimContext): Controller {
  const { api } = ctx;
  const stsDef = def(api, 'apps', 'v1', 'statefulsets');
  const podDef = def(api, '', 'v1', 'pods');
  return {
    name: 'statefulset',
    watches: { 'apps/statefulsets': selfKey, 'core/pods': (ev) => [...ownerKey(ev.value, 'StatefulSet'), ...ownerKey(ev.prev, 'StatefulSet')] },
    initial: () => listOf(api, 'apps/statefulsets').map((s) => `${s.metadata.namespace}/${s.metadata.name}`),
    async reconcile(key) {
      const [ns, name] = splitObjKey(key);
      const sts = api.store.get(api.key(stsDef, ns, name))?.value;
      if (!sts || sts.metadata.deletionTimestamp) return;
      const want = sts.spec.replicas ?? 1;
      const ordered = (sts.spec.podManagementPolicy ?? 'OrderedReady') === 'OrderedReady';
      const model = expand(sts, [], want);
      const pods = listOf(api, 'core/pods', ns).filter((p) => ownedBy(p, sts.metadata.uid) && !p.metadata.deletionTimestamp);
      const byName = new Map(pods.map((p) => [p.metadata.name, p]));
      for (const m of model) {
        const have = byName.get(m.name);
        if (have) {
          if (ordered && !podReady(have)) break;
          continue;
        }
        const pod = podFromTemplate(sts, sts.spec.template, m.name, '', m.labels);
        delete pod.metadata.generateName;
        pod.spec.hostname ??= m.name;
        if (sts.spec.serviceName) pod.spec.subdomain ??= sts.spec.serviceName;
        await api.writeSystem(podDef, pod, 'kube-controller-manager');
        void recordEvent(api, sts, 'Normal', 'SuccessfulCreate', `create Pod ${m.name} in StatefulSet ${name} successful`, 'statefulset-controller');
        if (ordered) break;
      }
      const wanted = new Set(model.map((m) => m.name));
      const extra = pods.filter((p) => !wanted.has(p.metadata.name)).sort((a, b) => b.metadata.name.localeCompare(a.metadata.name, undefined, { numeric: true }));
      for (const p of ordered ? extra.slice(0, 1) : extra) {
        await api.delete(podDef, ns, p.metadata.name).catch(() => undefined);
        void recordEvent(api, sts, 'Normal', 'SuccessfulDelete', `delete Pod ${p.metadata.name} in StatefulSet ${name} successful`, 'statefulset-controller');
      }
      const live = listOf(api, 'core/pods', ns).filter((p) => ownedBy(p, sts.metadata.uid) && !p.metadata.deletionTimestamp);
      const revision = model[0]?.labels['controller-revision-hash'] ?? `${name}-0`;
      await mutate(api, stsDef, ns, name, (o) => {
        const ready = live.filter(podReady).length;
        o.status = { replicas: live.length, ...(ready ? { readyReplicas: ready, availableReplicas: ready } : { availableReplicas: 0 }), currentReplicas: live.length, updatedReplicas: live.length, currentRevision: revision, updateRevision: revision, collisionCount: 0, observedGeneration: o.metadata.generation };
      });
    },
  };
}
