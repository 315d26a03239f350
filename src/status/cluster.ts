import { decodeRelease } from '../ops/kube/index.js';
import type { Platform } from '../spec/index.js';
import type { ComponentStatus, ReleaseStatus } from './document.js';
import type { ClusterObservation } from './observe.js';

/**
 * A DaemonSet's or Deployment's readiness from the status fields `cilium status` and helm read
 * (cilium-cli status/k8s.go daemonSetStatus/deploymentStatus: desired vs ready, and a rollout not
 * yet observed; helm pkg/kube/ready.go).
 */
export function workloadStatus(name: ComponentStatus['name'], kind: 'DaemonSet' | 'Deployment', obj: any, required: boolean): ComponentStatus {
  if (!obj) return { name, kind, present: false, desired: 0, ready: 0, ok: !required, message: required ? `${kind} kube-system/${name} not found` : 'not deployed' };
  const s = obj.status ?? {};
  const desired = kind === 'DaemonSet' ? Number(s.desiredNumberScheduled ?? 0) : Number(obj.spec?.replicas ?? 1);
  const ready = kind === 'DaemonSet' ? Number(s.numberReady ?? 0) : Number(s.readyReplicas ?? 0);
  const observed = Number(s.observedGeneration ?? 0) >= Number(obj.metadata?.generation ?? 0);
  const ok = observed && ready >= desired && (desired > 0 || kind === 'Deployment');
  const message = !observed ? 'is updated but rollout has not started' : ok ? (desired === 0 ? 'scaled to 0' : 'ready') : `${ready}/${desired} ready`;
  return { name, kind, present: true, desired, ready, ok: ok && !(required && desired === 0), message: required && desired === 0 && observed ? 'scaled to 0' : message };
}

/** KVStoreMesh: the `kvstoremesh` container of the clustermesh-apiserver pods (cilium-cli decides "enabled" by that container's presence). */
export function kvstoremeshStatus(o: ClusterObservation): ComponentStatus {
  const deployment = o.workloads['clustermesh-apiserver'];
  const enabled = ((deployment?.spec?.template?.spec?.containers ?? []) as any[]).some((c) => c.name === 'kvstoremesh');
  if (!enabled) return { name: 'kvstoremesh', kind: 'Container', present: false, desired: 0, ready: 0, ok: true, message: 'disabled' };
  const desired = Number(deployment.spec?.replicas ?? 1);
  const ready = o.apiserverPods.filter((p) => !p.metadata?.deletionTimestamp && (p.status?.containerStatuses ?? []).some((s: any) => s.name === 'kvstoremesh' && s.ready)).length;
  const ok = ready >= desired && desired > 0;
  return { name: 'kvstoremesh', kind: 'Container', present: true, desired, ready, ok, message: ok ? 'ready' : desired === 0 ? 'scaled to 0' : `${ready}/${desired} ready` };
}

export function componentStatuses(platform: Platform, o: ClusterObservation): ComponentStatus[] {
  const mesh = platform.spec.mesh.enabled && platform.spec.clusters.length > 1;
  return [
    workloadStatus('cilium', 'DaemonSet', o.workloads.cilium, true),
    workloadStatus('cilium-envoy', 'DaemonSet', o.workloads['cilium-envoy'], false),
    workloadStatus('cilium-operator', 'Deployment', o.workloads['cilium-operator'], true),
    workloadStatus('clustermesh-apiserver', 'Deployment', o.workloads['clustermesh-apiserver'], mesh),
    kvstoremeshStatus(o),
  ];
}

/** Every Helm release (newest revision per namespace/name, `helm ls -A`); cilium's chart is the version the platform names. */
export function releaseStatuses(platform: Platform, o: ClusterObservation): ReleaseStatus[] {
  const newest = new Map<string, ReleaseStatus>();
  for (const s of o.helmSecrets) {
    if (s.type !== 'helm.sh/release.v1' || !s.data?.release) continue;
    let r;
    try {
      r = decodeRelease(s.data.release as string);
    } catch {
      continue;
    }
    const key = `${r.namespace}/${r.name}`;
    if ((newest.get(key)?.revision ?? 0) > r.version) continue;
    const expected = r.name === 'cilium' && r.namespace === 'kube-system' ? platform.spec.cilium.version : undefined;
    newest.set(key, { name: r.name, namespace: r.namespace, revision: r.version, status: r.status, chartVersion: r.chartVersion, ...(expected ? { expectedChartVersion: expected } : {}), ok: r.status === 'deployed' && (!expected || expected === r.chartVersion) });
  }
  return [...newest.values()].sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}

export function nodeStatus(o: ClusterObservation): { ready: number; total: number; notReady: string[] } {
  const notReady = o.nodes.filter((n) => !(n.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True')).map((n) => String(n.metadata?.name));
  return { ready: o.nodes.length - notReady.length, total: o.nodes.length, notReady: notReady.sort() };
}
