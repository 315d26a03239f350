import { iso } from '../service/cluster-api.js';
import { condition, def, listOf, mutate, ownedBy, ownerKey, podReady, recordEvent, selfKey, setCondition, splitObjKey, type Controller, type SimContext } from './kit.js';
import { expand } from './model-bridge.js';
import { PodNamer, podFromTemplate } from './pod-factory.js';

/**
 * The Job controller (pkg/controller/job): `parallelism` pods at a time until `completions`
 * succeeded (the kubelet simulation runs each to completion), then condition Complete and
 * completionTime, which `kubectl wait --for=condition=complete` reads.
 */
export function jobController(ctx: SimContext): Controller {
  const { api } = ctx;
  const jobDef = def(api, 'batch', 'v1', 'jobs');
  const podDef = def(api, '', 'v1', 'pods');
  const namer = new PodNamer();
  return {
    name: 'job',
    watches: { 'batch/jobs': selfKey, 'core/pods': (ev) => [...ownerKey(ev.value, 'Job'), ...ownerKey(ev.prev, 'Job')] },
    initial: () => listOf(api, 'batch/jobs').map((j) => `${j.metadata.namespace}/${j.metadata.name}`),
    async reconcile(key) {
      const [ns, name] = splitObjKey(key);
      const job = api.store.get(api.key(jobDef, ns, name))?.value;
      if (!job || job.metadata.deletionTimestamp) return;
      const pods = listOf(api, 'core/pods', ns).filter((p) => ownedBy(p, job.metadata.uid));
      const succeeded = pods.filter((p) => p.status?.phase === 'Succeeded').length;
      const failed = pods.filter((p) => p.status?.phase === 'Failed').length;
      const active = pods.filter((p) => !['Succeeded', 'Failed'].includes(p.status?.phase) && !p.metadata.deletionTimestamp);
      const completions = job.spec.completions ?? 1;
      const parallelism = job.spec.parallelism ?? 1;
      const complete = succeeded >= completions;
      const room = complete || job.spec.suspend ? 0 : Math.min(parallelism, completions - succeeded) - active.length;
      if (room > 0) {
        const names = namer.next(api, job, room, (n) => expand(job, [], n));
        const labels = { 'batch.kubernetes.io/controller-uid': job.metadata.uid, 'controller-uid': job.metadata.uid };
        await Promise.all(names.map((n) => api.writeSystem(podDef, podFromTemplate(job, job.spec.template, n, `${name}-`, { ...labels, 'batch.kubernetes.io/job-name': name, 'job-name': name }), 'kube-controller-manager')));
        for (const n of names) void recordEvent(api, job, 'Normal', 'SuccessfulCreate', `Created pod: ${n}`, 'job-controller');
      }
      const now = ctx.clock.now();
      await mutate(api, jobDef, ns, name, (o) => {
        const prev = o.status?.conditions;
        const status: Record<string, unknown> = {
          startTime: o.status?.startTime ?? iso(now),
          ...(active.length ? { active: active.length } : {}),
          ready: active.filter(podReady).length,
          ...(succeeded ? { succeeded } : {}),
          ...(failed ? { failed } : {}),
          terminating: 0,
          uncountedTerminatedPods: {},
        };
        if (complete) {
          status.completionTime = o.status?.completionTime ?? iso(now);
          const probe = (type: string) => (prev ?? []).find((c: { type: string }) => c.type === type)?.lastProbeTime ?? iso(now);
          status.conditions = setCondition(setCondition(prev, { ...condition('SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods', now, prev), lastProbeTime: probe('SuccessCriteriaMet') }), { ...condition('Complete', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods', now, prev), lastProbeTime: probe('Complete') });
        } else if (prev) status.conditions = prev;
        o.status = status;
      });
      if (complete && !job.status?.completionTime) void recordEvent(api, job, 'Normal', 'Completed', 'Job completed', 'job-controller');
    },
  };
}
