import type { ClusterApi } from '../service/cluster-api.js';
import type { Obj } from '../store/log-store.js';
import { condition, def, listOf, mutate, ownedBy, ownerKey, ownerRef, recordEvent, selfKey, setCondition, splitObjKey, type Controller, type SimContext } from './kit.js';
import { replicaSetOf } from './model-bridge.js';

/**
 * kube-controller-manager's Deployment controller (pkg/controller/deployment), simplified to
 * what waiters read: the ReplicaSet `<name>-<pod-template-hash>` named by the workload model,
 * older ReplicaSets scaled to zero, and the status helm and `kubectl rollout status` check
 * (observedGeneration, replicas, updated/ready/available, conditions Available and Progressing).
 */
export function deploymentController(ctx: SimContext): Controller {
  const { api } = ctx;
  const deployments = def(api, 'apps', 'v1', 'deployments');
  const replicasets = def(api, 'apps', 'v1', 'replicasets');
  return {
    name: 'deployment',
    watches: { 'apps/deployments': selfKey, 'apps/replicasets': (ev) => ownerKey(ev.value, 'Deployment') },
    initial: () => listOf(api, 'apps/deployments').map((d) => `${d.metadata.namespace}/${d.metadata.name}`),
    async reconcile(key) {
      const [ns, name] = splitObjKey(key);
      const d = api.store.get(api.key(deployments, ns, name))?.value;
      if (!d || d.metadata.deletionTimestamp) return;
      const { name: rsName, hash } = replicaSetOf(d);
      const owned = listOf(api, 'apps/replicasets', ns).filter((rs) => ownedBy(rs, d.metadata.uid));
      const want = d.spec.replicas ?? 1;
      const paused = d.spec.paused === true;
      let current = owned.find((rs) => rs.metadata.name === rsName);
      const revision = Math.max(0, ...owned.map((rs) => Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0)));
      if (!current && !paused) {
        current = await api.writeSystem(replicasets, newReplicaSet(d, rsName, hash, revision + 1), 'kube-controller-manager');
        void recordEvent(api, d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${rsName} to ${want}`, 'deployment-controller');
      } else if (current && !paused) {
        const scaled = (current.spec.replicas ?? 1) !== want;
        await mutate(api, replicasets, ns, rsName, (rs) => {
          rs.spec.replicas = want;
          rs.metadata.annotations = { ...(rs.metadata.annotations ?? {}), 'deployment.kubernetes.io/desired-replicas': String(want), 'deployment.kubernetes.io/max-replicas': String(maxReplicas(d)) };
          if (Number(rs.metadata.annotations['deployment.kubernetes.io/revision'] ?? 0) < revision) rs.metadata.annotations['deployment.kubernetes.io/revision'] = String(revision + 1);
        });
        if (scaled) void recordEvent(api, d, 'Normal', 'ScalingReplicaSet', `Scaled ${(current.spec.replicas ?? 1) < want ? 'up' : 'down'} replica set ${rsName} to ${want}`, 'deployment-controller');
      }
      // RollingUpdate is simplified to "old ReplicaSets to zero once the new one exists"
      if (!paused) for (const old of owned) if (old.metadata.name !== rsName && (old.spec.replicas ?? 1) !== 0) {
        await mutate(api, replicasets, ns, old.metadata.name, (rs) => void (rs.spec.replicas = 0));
        void recordEvent(api, d, 'Normal', 'ScalingReplicaSet', `Scaled down replica set ${old.metadata.name} to 0`, 'deployment-controller');
      }
      await writeStatus(api, ctx, d, rsName);
    },
  };
}

function maxReplicas(d: Obj): number {
  const want = d.spec.replicas ?? 1;
  const surge = d.spec.strategy?.rollingUpdate?.maxSurge ?? '25%';
  const extra = typeof surge === 'string' && surge.endsWith('%') ? Math.ceil((want * Number(surge.slice(0, -1))) / 100) : Number(surge) || 0;
  return want + extra;
}

function newReplicaSet(d: Obj, name: string, hash: string, revision: number): Obj {
  const template = structuredClone(d.spec.template ?? {});
  template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), 'pod-template-hash': hash } };
  const selector = structuredClone(d.spec.selector ?? {});
  selector.matchLabels = { ...(selector.matchLabels ?? {}), 'pod-template-hash': hash };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: d.metadata.namespace,
      labels: { ...(d.spec.template?.metadata?.labels ?? {}), 'pod-template-hash': hash },
      annotations: { 'deployment.kubernetes.io/desired-replicas': String(d.spec.replicas ?? 1), 'deployment.kubernetes.io/max-replicas': String(maxReplicas(d)), 'deployment.kubernetes.io/revision': String(revision) },
      ownerReferences: [ownerRef(d)],
    },
    spec: { replicas: d.spec.replicas ?? 1, minReadySeconds: d.spec.minReadySeconds ?? 0, selector, template },
  };
}

function writeStatus(api: ClusterApi, ctx: SimContext, d: Obj, rsName: string): Promise<unknown> {
  const ns = d.metadata.namespace;
  const owned = listOf(api, 'apps/replicasets', ns).filter((rs) => ownedBy(rs, d.metadata.uid));
  const sum = (f: (s: Obj) => number) => owned.reduce((n, rs) => n + f(rs.status ?? {}), 0);
  const current = owned.find((rs) => rs.metadata.name === rsName);
  const want = d.spec.replicas ?? 1;
  const replicas = sum((s) => s.replicas ?? 0);
  const updated = current?.status?.replicas ?? 0;
  const ready = sum((s) => s.readyReplicas ?? 0);
  const available = sum((s) => s.availableReplicas ?? 0);
  const now = ctx.clock.now();
  const done = updated === want && replicas === want && available === want;
  return mutate(api, def(api, 'apps', 'v1', 'deployments'), ns, d.metadata.name, (o) => {
    const prev = o.status?.conditions ?? [];
    let conditions = setCondition(prev, condition('Available', available >= want - maxUnavailable(d) ? 'True' : 'False', available >= want - maxUnavailable(d) ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable', available >= want - maxUnavailable(d) ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.', now, prev));
    conditions = setCondition(conditions, condition('Progressing', 'True', done ? 'NewReplicaSetAvailable' : current ? 'ReplicaSetUpdated' : 'NewReplicaSetCreated', done ? `ReplicaSet "${rsName}" has successfully progressed.` : `ReplicaSet "${rsName}" is progressing.`, now, prev));
    for (const c of conditions) c.lastUpdateTime = c.lastTransitionTime;
    o.status = {
      observedGeneration: o.metadata.generation,
      ...(replicas ? { replicas } : {}),
      ...(updated ? { updatedReplicas: updated } : {}),
      ...(ready ? { readyReplicas: ready } : {}),
      ...(available ? { availableReplicas: available } : {}),
      ...(replicas - available > 0 ? { unavailableReplicas: replicas - available } : {}),
      conditions: conditions.sort((a, b) => (a.type === 'Available' ? -1 : b.type === 'Available' ? 1 : 0)),
    };
    // keep lastUpdateTime stable when nothing but it would change
    const old = JSON.stringify({ ...d.status, conditions: (d.status?.conditions ?? []).map((c: Obj) => ({ ...c, lastUpdateTime: undefined })) });
    const next = JSON.stringify({ ...o.status, conditions: o.status.conditions.map((c: Obj) => ({ ...c, lastUpdateTime: undefined })) });
    if (old === next) return false;
  });
}

function maxUnavailable(d: Obj): number {
  const want = d.spec.replicas ?? 1;
  const v = d.spec.strategy?.rollingUpdate?.maxUnavailable ?? '25%';
  return typeof v === 'string' && v.endsWith('%') ? Math.floor((want * Number(v.slice(0, -1))) / 100) : Number(v) || 0;
}
