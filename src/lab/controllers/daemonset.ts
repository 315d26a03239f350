import { daemonPodTolerations } from '../../model/index.js';
import type { Obj } from '../store/log-store.js';
import { def, listOf, mutate, ownedBy, ownerKey, podReady, recordEvent, selfKey, splitObjKey, type Controller, type SimContext } from './kit.js';
import { clusterNodes, expand } from './model-bridge.js';
import { podFromTemplate } from './pod-factory.js';

/**
 * The DaemonSet controller (pkg/controller/daemon): one pod per node the workload model finds
 * feasible (nodeSelector, affinity, taints against the template's tolerations — Kubespray's
 * control-plane taint included), each pinned by node affinity as the controller pins it, with
 * the daemon tolerations added; pods of an older template are replaced one at a time
 * (RollingUpdate, maxUnavailable 1).
 */
export function daemonSetController(ctx: SimContext): Controller {
  const { api } = ctx;
  const dsDef = def(api, 'apps', 'v1', 'daemonsets');
  const podDef = def(api, '', 'v1', 'pods');
  const all = () => listOf(api, 'apps/daemonsets').map((d) => `${d.metadata.namespace}/${d.metadata.name}`);
  return {
    name: 'daemonset',
    watches: {
      'apps/daemonsets': selfKey,
      'core/pods': (ev) => [...ownerKey(ev.value, 'DaemonSet'), ...ownerKey(ev.prev, 'DaemonSet')],
      // taints, labels or a new node change where daemons run
      'core/nodes': (ev) => (ev.type === 'MODIFIED' && JSON.stringify([ev.prev?.spec, ev.prev?.metadata.labels]) === JSON.stringify([ev.value.spec, ev.value.metadata.labels]) ? [] : all()),
    },
    initial: all,
    async reconcile(key) {
      const [ns, name] = splitObjKey(key);
      const ds = api.store.get(api.key(dsDef, ns, name))?.value;
      if (!ds || ds.metadata.deletionTimestamp) return;
      const nodes = clusterNodes(listOf(api, 'core/nodes'));
      const wanted = expand(ds, nodes).filter((p) => p.node);
      const pods = listOf(api, 'core/pods', ns).filter((p) => ownedBy(p, ds.metadata.uid) && !p.metadata.deletionTimestamp);
      const nodeOf = (p: Obj): string | undefined => p.spec.nodeName ?? p.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchFields?.[0]?.values?.[0];
      const hash = wanted[0]?.labels['controller-revision-hash'] ?? expand(ds, [])[0]?.labels['controller-revision-hash'];
      const byNode = new Map<string, Obj[]>();
      for (const p of pods) {
        const n = nodeOf(p);
        if (n) byNode.set(n, [...(byNode.get(n) ?? []), p]);
      }
      for (const m of wanted) {
        if (byNode.get(m.node!)?.length) continue;
        let podName = m.name;
        if (api.store.get(api.key(podDef, ns, podName))) podName = `${podName.slice(0, -5)}${m.name.slice(-5).split('').reverse().join('')}`;
        const pod = podFromTemplate(ds, ds.spec.template, podName, `${name}-`, m.labels);
        pod.spec.affinity = { ...(pod.spec.affinity ?? {}), nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [m.node] }] }] } } };
        const have = new Set((pod.spec.tolerations ?? []).map((t: Obj) => `${t.key}/${t.effect}/${t.operator}`));
        pod.spec.tolerations = [...(pod.spec.tolerations ?? []), ...daemonPodTolerations(pod.spec.hostNetwork === true).filter((t) => !have.has(`${t.key}/${t.effect}/${t.operator}`))];
        await api.writeSystem(podDef, pod, 'kube-controller-manager');
        void recordEvent(api, ds, 'Normal', 'SuccessfulCreate', `Created pod: ${podName}`, 'daemonset-controller');
      }
      const feasible = new Set(wanted.map((m) => m.node!));
      for (const p of pods) {
        const n = nodeOf(p);
        if (!n || !feasible.has(n)) {
          await api.delete(podDef, ns, p.metadata.name).catch(() => undefined);
          void recordEvent(api, ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`, 'daemonset-controller');
        }
      }
      // rolling update: replace one outdated pod while every other pod is ready
      const outdated = pods.filter((p) => hash && p.metadata.labels?.['controller-revision-hash'] !== hash && feasible.has(nodeOf(p) ?? ''));
      if (outdated.length && pods.every(podReady)) {
        await api.delete(podDef, ns, outdated[0]!.metadata.name).catch(() => undefined);
        void recordEvent(api, ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${outdated[0]!.metadata.name}`, 'daemonset-controller');
      }
      const live = listOf(api, 'core/pods', ns).filter((p) => ownedBy(p, ds.metadata.uid) && !p.metadata.deletionTimestamp && feasible.has(nodeOf(p) ?? ''));
      const ready = live.filter(podReady).length;
      const updated = live.filter((p) => p.metadata.labels?.['controller-revision-hash'] === hash).length;
      await mutate(api, dsDef, ns, name, (o) => {
        o.status = {
          currentNumberScheduled: live.length,
          desiredNumberScheduled: feasible.size,
          numberMisscheduled: 0,
          numberReady: ready,
          observedGeneration: o.metadata.generation,
          updatedNumberScheduled: updated,
          ...(ready ? { numberAvailable: ready } : {}),
          ...(feasible.size - ready > 0 ? { numberUnavailable: feasible.size - ready } : {}),
        };
      });
    },
  };
}
