import type { KubeObject, LoadedObject } from '../../manifests/index.js';
import { NAMESPACE_NAME_LABEL } from './labels.js';
import { isRecord } from './report.js';
import type { OwnerKind, PolicyEndpoint, Protocol } from './types.js';

/**
 * Pods as policy sees them: Pod objects as they are, and workloads expanded into the pods they
 * would create (`<workload>-<n>`), per cluster. An object placed in no cluster is in every one.
 * When the input holds the real children of a workload (a Deployment's ReplicaSets, a
 * controller's Pods via ownerReferences) the children are used and the parent is not expanded
 * again, so an exported `kubectl get all` does not count pods twice.
 */
const WORKLOADS = new Set<string>(['Deployment', 'StatefulSet', 'ReplicaSet', 'DaemonSet', 'Job']);

interface Placed {
  object: KubeObject;
  namespace: string;
}

export function endpointsFromObjects(objects: readonly LoadedObject[], clusters: readonly string[]): PolicyEndpoint[] {
  const out: PolicyEndpoint[] = [];
  for (const cluster of clustersOf(objects, clusters)) out.push(...clusterEndpoints(cluster, objects.filter((o) => (o.cluster ?? cluster) === cluster).map((o) => ({ object: o.object, namespace: namespaceOf(o.object) }))));
  return out;
}

/** Namespace labels per cluster: Namespace objects' labels plus kubernetes.io/metadata.name, for every namespace named anywhere. */
export function namespacesFromObjects(objects: readonly LoadedObject[], clusters: readonly string[]): Map<string, Map<string, Record<string, string>>> {
  const out = new Map<string, Map<string, Record<string, string>>>();
  for (const cluster of clustersOf(objects, clusters)) {
    const byName = new Map<string, Record<string, string>>();
    for (const o of objects) {
      if ((o.cluster ?? cluster) !== cluster) continue;
      if (o.object.kind === 'Namespace') byName.set(o.object.metadata.name, { ...stringLabels(o.object.metadata.labels), [NAMESPACE_NAME_LABEL]: o.object.metadata.name });
    }
    for (const o of objects) {
      const ns = o.object.metadata.namespace;
      if ((o.cluster ?? cluster) === cluster && ns && !byName.has(ns)) byName.set(ns, { [NAMESPACE_NAME_LABEL]: ns });
    }
    out.set(cluster, byName);
  }
  return out;
}

export function clustersOf(objects: readonly LoadedObject[], clusters: readonly string[]): string[] {
  const all = [...clusters];
  for (const o of objects) if (o.cluster && !all.includes(o.cluster)) all.push(o.cluster);
  return all;
}

function clusterEndpoints(cluster: string, objects: Placed[]): PolicyEndpoint[] {
  const byRef = new Map<string, Placed>();
  for (const p of objects) if (WORKLOADS.has(p.object.kind)) byRef.set(ref(p.namespace, p.object.kind, p.object.metadata.name), p);
  // The top owner, and which workloads have their real children in the input.
  const materialized = new Set<string>();
  const topOwner = (p: Placed): { kind: OwnerKind; name: string } => {
    let cur = p;
    for (let depth = 0; depth < 4; depth++) {
      const parent = controllerOf(cur).map((o) => byRef.get(ref(p.namespace, o.kind, o.name))).find((x) => x !== undefined);
      if (!parent) break;
      materialized.add(ref(p.namespace, parent.object.kind, parent.object.metadata.name));
      cur = parent;
    }
    return absentOwner(cur) ?? { kind: cur.object.kind as OwnerKind, name: cur.object.metadata.name };
  };
  const owners = new Map<Placed, { kind: OwnerKind; name: string }>();
  for (const p of objects) if (p.object.kind === 'Pod' || WORKLOADS.has(p.object.kind)) owners.set(p, topOwner(p));
  const out: PolicyEndpoint[] = [];
  for (const p of objects) {
    const owner = owners.get(p);
    if (!owner) continue;
    if (p.object.kind === 'Pod') {
      const spec = isRecord(p.object.spec) ? p.object.spec : {};
      if (spec.hostNetwork === true) continue; // host-network pods have the host's identity, not their own
      out.push(endpoint(cluster, p.namespace, p.object.metadata.name, owner, stringLabels(p.object.metadata.labels), spec));
      continue;
    }
    if (materialized.has(ref(p.namespace, p.object.kind, p.object.metadata.name))) continue;
    const spec = isRecord(p.object.spec) ? p.object.spec : {};
    const template = isRecord(spec.template) ? spec.template : {};
    const podSpec = isRecord(template.spec) ? template.spec : {};
    if (podSpec.hostNetwork === true) continue;
    const labels = stringLabels(isRecord(template.metadata) ? template.metadata.labels : undefined);
    const count = podCount(p.object.kind, spec);
    for (let n = 0; n < count; n++) out.push(endpoint(cluster, p.namespace, `${p.object.metadata.name}-${n}`, owner, labels, podSpec));
  }
  return out;
}

/** Deployment/StatefulSet/ReplicaSet: replicas (default 1); Job: parallelism (default 1); DaemonSet: one pod, since nodes are not known here. */
function podCount(kind: string, spec: Record<string, unknown>): number {
  if (kind === 'DaemonSet') return 1;
  const n = kind === 'Job' ? spec.parallelism : spec.replicas;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : 1;
}

function endpoint(cluster: string, namespace: string, name: string, owner: { kind: OwnerKind; name: string }, labels: Record<string, string>, podSpec: Record<string, unknown>): PolicyEndpoint {
  const sa = typeof podSpec.serviceAccountName === 'string' ? podSpec.serviceAccountName : typeof podSpec.serviceAccount === 'string' ? podSpec.serviceAccount : 'default';
  return { cluster, namespace, name, owner, labels, serviceAccount: sa, ports: containerPorts(podSpec) };
}

function containerPorts(podSpec: Record<string, unknown>): PolicyEndpoint['ports'] {
  const out: PolicyEndpoint['ports'] = [];
  const containers = Array.isArray(podSpec.containers) ? podSpec.containers : [];
  for (const c of containers) {
    if (!isRecord(c) || !Array.isArray(c.ports)) continue;
    for (const p of c.ports) {
      if (!isRecord(p) || typeof p.containerPort !== 'number') continue;
      const protocol = (typeof p.protocol === 'string' ? p.protocol.toUpperCase() : 'TCP') as Protocol;
      out.push({ ...(typeof p.name === 'string' ? { name: p.name } : {}), port: p.containerPort, protocol });
    }
  }
  return out;
}

const OWNER_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

/**
 * The owner an object names but the input lacks (pods exported with `kubectl get pods -o json`):
 * a ReplicaSet named <deployment>-<pod-template-hash> stands for its Deployment, as netpol-analyzer
 * names workloads.
 */
function absentOwner(p: Placed): { kind: OwnerKind; name: string } | undefined {
  const owner = controllerOf(p).find((o) => OWNER_KINDS.has(o.kind));
  if (!owner) return undefined;
  const hash = stringLabels(p.object.metadata.labels)['pod-template-hash'];
  if (owner.kind === 'ReplicaSet' && hash && owner.name.endsWith(`-${hash}`)) return { kind: 'Deployment', name: owner.name.slice(0, -hash.length - 1) };
  return { kind: owner.kind as OwnerKind, name: owner.name };
}

function controllerOf(p: Placed): { kind: string; name: string }[] {
  const refs = (p.object.metadata as { ownerReferences?: unknown }).ownerReferences;
  if (!Array.isArray(refs)) return [];
  return refs.filter((r): r is { kind: string; name: string } => isRecord(r) && typeof r.kind === 'string' && typeof r.name === 'string');
}

function ref(namespace: string, kind: string, name: string): string {
  return `${namespace}\u0000${kind}\u0000${name}`;
}

function namespaceOf(o: KubeObject): string {
  return o.metadata.namespace ?? 'default';
}

function stringLabels(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isRecord(v)) for (const [k, x] of Object.entries(v)) if (x !== null && x !== undefined && typeof x !== 'object') out[k] = String(x);
  return out;
}
