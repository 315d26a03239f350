import { clusterIpam } from '../../model/index.js';
import { formatAddress, parseCidr } from '../../net/index.js';
import { iso } from '../service/cluster-api.js';
import { readinessNeverPasses } from '../exec/probes.js';
import type { Obj } from '../store/log-store.js';
import { condition, def, delayOf, listOf, mutate, podReady, recordEvent, selfKey, setCondition, splitObjKey, type Controller, type SimContext } from './kit.js';

type Stage = 'creating' | 'started' | 'ready' | 'completed' | 'done';

/**
 * The kubelets of the cluster, as kwok's pod stages (kustomize/stage/pod/fast): a bound pod goes
 * Pending/ContainerCreating (sandbox, IP) → Running (containers started; not Ready while a
 * readiness probe has yet to pass) → Ready; a Job's pod runs to Succeeded. Each stage is its own
 * write, so `kubectl get pods -w` sees every step; `--latency` spaces them. A pod that needs the
 * pod network stays ContainerCreating until its node is Ready (the Cilium agent runs there), as
 * the kubelet cannot set up its sandbox before the CNI is configured.
 */
export function kubeletController(ctx: SimContext): Controller {
  const { api } = ctx;
  const podDef = def(api, '', 'v1', 'pods');
  const ipam = clusterIpam(ctx.cluster);
  const sliceOf = new Map(ipam.nodes.map((n) => [n.node, n.podCIDR]));
  const since = new Map<string, { stage: Stage; at: number }>();
  const podsOnNode = (node: string) => listOf(api, 'core/pods').filter((p) => p.spec?.nodeName === node).map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
  return {
    name: 'kubelet',
    watches: {
      'core/pods': (ev) => (ev.type === 'DELETED' ? (since.delete(`${ev.value.metadata.namespace}/${ev.value.metadata.name}`), []) : ev.value.spec?.nodeName ? selfKey(ev) : []),
      'core/nodes': (ev) => (nodeReady(ev.value) !== nodeReady(ev.prev) ? podsOnNode(ev.value.metadata.name) : []),
    },
    initial: () => listOf(api, 'core/pods').filter((p) => p.spec?.nodeName).map((p) => `${p.metadata.namespace}/${p.metadata.name}`),
    async reconcile(key) {
      const [ns, name] = splitObjKey(key);
      const pod = api.store.get(api.key(podDef, ns, name))?.value;
      if (!pod?.spec?.nodeName || pod.metadata.deletionTimestamp) return;
      const node = api.store.get(api.key(def(api, '', 'v1', 'nodes'), '', pod.spec.nodeName))?.value;
      if (!node) return;
      const stage = nextStage(pod);
      if (stage === 'done') return;
      const hostNetwork = pod.spec.hostNetwork === true;
      if (stage !== 'creating' && !hostNetwork && !nodeReady(node)) return; // re-queued when the node turns Ready
      const wait = delayFor(ctx, stage, pod);
      const seen = since.get(key);
      const now = ctx.clock.now();
      if (!seen || seen.stage !== stage) since.set(key, { stage, at: now });
      const entered = since.get(key)!.at;
      if (wait > 0 && now - entered < wait) return { requeueAfterMs: wait - (now - entered) };
      const ip = hostNetwork ? nodeAddress(node) : (pod.status?.podIP ?? freeIP(sliceOf.get(pod.spec.nodeName), listOf(api, 'core/pods').filter((p) => p.spec?.nodeName === pod.spec.nodeName)));
      if (!ip) {
        await recordEvent(api, pod, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: no free address in the node's pod CIDR ${sliceOf.get(pod.spec.nodeName) ?? '(none)'}`, 'kubelet', pod.spec.nodeName);
        return;
      }
      const written = await mutate(api, podDef, ns, name, (o) => void (o.status = statusFor(stage, o, nodeAddress(node), ip, now)), 'kubelet');
      if (written) for (const [reason, msg] of eventsFor(stage, written)) void recordEvent(api, written, 'Normal', reason, msg, 'kubelet', pod.spec.nodeName);
      return { requeueAfterMs: 0 };
    },
  };
}

export function nodeReady(n: Obj | undefined): boolean {
  return (n?.status?.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True');
}

export function nodeAddress(n: Obj): string {
  return (n.status?.addresses ?? []).find((a: Obj) => a.type === 'InternalIP')?.address ?? '';
}

const isJobPod = (p: Obj): boolean => (p.metadata.ownerReferences ?? []).some((r: Obj) => r.kind === 'Job' && r.controller);
const hasReadinessProbe = (p: Obj): boolean => (p.spec?.containers ?? []).some((c: Obj) => c.readinessProbe);

/** The stage a pod moves to next, read from its status (level-triggered). */
function nextStage(p: Obj): Stage {
  const phase = p.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return 'done';
  const running = (p.status?.containerStatuses ?? []).length > 0 && (p.status.containerStatuses as Obj[]).every((c) => c.state?.running);
  if (!running) return p.status?.containerStatuses ? 'started' : 'creating';
  if (isJobPod(p)) return 'completed';
  // a readiness probe that always fails keeps the pod Running and not Ready, for good
  if ((p.spec?.containers ?? []).some(readinessNeverPasses)) return 'done';
  return podReady(p) ? 'done' : 'ready';
}

function delayFor(ctx: SimContext, stage: Stage, p: Obj): number {
  if (stage === 'creating') return 0;
  if (stage === 'started') return delayOf(ctx, 'containerStart');
  if (stage === 'completed') return delayOf(ctx, 'jobRun');
  return hasReadinessProbe(p) ? delayOf(ctx, 'readiness') : 0;
}

/** The lowest address of the node's slice no pod there holds, after the network address, cilium_host's router IP and the health endpoint. */
function freeIP(slice: string | undefined, pods: Obj[]): string | undefined {
  const c = slice ? parseCidr(slice) : undefined;
  if (!c) return undefined;
  const used = new Set(pods.map((p) => p.status?.podIP).filter(Boolean));
  const size = 1n << BigInt(32 - c.prefix);
  for (let i = 3n; i < size - 1n; i++) {
    const ip = formatAddress(4, c.first + i);
    if (!used.has(ip)) return ip;
  }
  return undefined;
}

function statusFor(stage: Stage, p: Obj, hostIP: string, podIP: string, now: number): Obj {
  const prev: Obj[] = p.status?.conditions ?? [];
  const names: string[] = (p.spec.containers ?? []).map((c: Obj) => c.name);
  const started = p.status?.startTime ?? iso(now);
  const cond = (type: string, ok: boolean, reason?: string, message?: string) => ({ ...condition(type, ok ? 'True' : 'False', ok ? undefined : reason, ok ? undefined : message, now, prev), lastProbeTime: null });
  const unready = `containers with unready status: [${names.join(' ')}]`;
  const base = { hostIP, hostIPs: [{ ip: hostIP }], startTime: started, qosClass: qosClass(p) };
  const image = (c: Obj) => ({ image: c.image, imageID: '', name: c.name, restartCount: 0 });
  const addresses = { podIP, podIPs: [{ ip: podIP }] };
  let conditions = prev;
  if (stage === 'creating') {
    for (const c of [cond('PodReadyToStartContainers', false), cond('Initialized', true), cond('Ready', false, 'ContainersNotReady', unready), cond('ContainersReady', false, 'ContainersNotReady', unready), cond('PodScheduled', true)]) conditions = setCondition(conditions, c);
    return clean({ ...base, phase: 'Pending', conditions, containerStatuses: (p.spec.containers as Obj[]).map((c) => ({ ...image(c), ready: false, started: false, state: { waiting: { reason: 'ContainerCreating' } }, lastState: {} })) });
  }
  if (stage === 'started') {
    const ready = !hasReadinessProbe(p) && !isJobPod(p);
    for (const c of [cond('PodReadyToStartContainers', true), cond('Ready', ready, 'ContainersNotReady', unready), cond('ContainersReady', ready, 'ContainersNotReady', unready)]) conditions = setCondition(conditions, c);
    return clean({ ...base, phase: 'Running', conditions, ...addresses, containerStatuses: (p.spec.containers as Obj[]).map((c) => ({ ...image(c), imageID: `${c.image}@sha256:simulated`, containerID: `containerd://${simId(p, c.name)}`, ready, started: true, state: { running: { startedAt: iso(now) } }, lastState: {} })) });
  }
  if (stage === 'ready') {
    for (const c of [cond('Ready', true), cond('ContainersReady', true)]) conditions = setCondition(conditions, c);
    return clean({ ...p.status, conditions, containerStatuses: (p.status.containerStatuses as Obj[]).map((c) => ({ ...c, ready: true })) });
  }
  // completed: a Job's container exits 0
  for (const c of [cond('PodReadyToStartContainers', false), cond('Ready', false, 'PodCompleted', ''), cond('ContainersReady', false, 'PodCompleted', '')]) conditions = setCondition(conditions, c);
  return clean({
    ...p.status,
    phase: 'Succeeded',
    conditions,
    containerStatuses: (p.status.containerStatuses as Obj[]).map((c) => ({ ...c, ready: false, started: false, state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: c.state?.running?.startedAt ?? iso(now), finishedAt: iso(now), containerID: c.containerID } } })),
  });
}

function eventsFor(stage: Stage, p: Obj): Array<[string, string]> {
  if (stage !== 'started') return [];
  return (p.spec.containers as Obj[]).flatMap((c): Array<[string, string]> => [
    ['Pulled', `Container image "${c.image}" already present on machine (simulated)`],
    ['Created', `Created container ${c.name}`],
    ['Started', `Started container ${c.name}`],
  ]);
}

/** v1.PodQOSClass from the containers' requests and limits (pkg/apis/core/helper/qos, simplified). */
function qosClass(p: Obj): string {
  const cs: Obj[] = p.spec.containers ?? [];
  if (cs.every((c) => !c.resources?.requests && !c.resources?.limits)) return 'BestEffort';
  const guaranteed = cs.every((c) => c.resources?.limits?.cpu && c.resources?.limits?.memory && ['cpu', 'memory'].every((r) => !c.resources?.requests?.[r] || c.resources.requests[r] === c.resources.limits[r]));
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function simId(p: Obj, container: string): string {
  let h = 0x811c9dc5;
  for (const ch of `${p.metadata.uid}/${container}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0').repeat(8);
}

function clean(o: Obj): Obj {
  return JSON.parse(JSON.stringify(o));
}
