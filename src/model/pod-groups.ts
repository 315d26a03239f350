import { readContainerPorts, readCount, reader, readStringMap, type FieldReader } from './fields.js';
import { isRecord, namespaceOf, type Findings, type ModelObject } from './objects.js';
import { CONTROLLER_KINDS, OwnerGraph } from './owners.js';
import { templateHash } from './pod-names.js';
import { schedulingOf } from './scheduling.js';
import type { OwnerRef, PodGroup, PodPhase } from './workload-types.js';

const PHASES = new Set<string>(['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown']);

/**
 * The pods a cluster's objects stand for, as groups: every Pod object, and every controller
 * whose children are not given. Owner references tie a live pod to its ReplicaSet and that to
 * its Deployment, so neither is expanded again.
 */
export function podGroups(objects: readonly ModelObject[], findings: Findings): PodGroup[] {
  const graph = new OwnerGraph(objects);
  const chains = new Map<ModelObject, OwnerRef[]>();
  for (const o of objects) if (o.object.kind === 'Pod' || CONTROLLER_KINDS.has(o.object.kind)) chains.set(o, graph.chain(o.object));
  const groups: PodGroup[] = [];
  for (const o of objects) {
    const owners = chains.get(o);
    if (!owners) continue;
    const group = o.object.kind === 'Pod' ? podGroup(o, owners, findings) : graph.materialized.has(o) ? undefined : workloadGroup(o, owners, findings);
    if (group) groups.push(group);
  }
  return groups;
}

/** A status the API server filled in: the object was read from a live cluster. */
function liveStatus(o: ModelObject): Record<string, unknown> | undefined {
  const status = o.object.status;
  return isRecord(status) && Object.keys(status).length > 0 ? status : undefined;
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.floor(v) : 0);

function base(o: ModelObject, r: FieldReader, podSpec: Record<string, unknown>, specPath: (string | number)[], labels: Record<string, string>, owners: OwnerRef[], daemon: boolean, findings: Findings): PodGroup {
  const scheduling = schedulingOf(podSpec, daemon);
  const serviceAccount = typeof podSpec.serviceAccountName === 'string' ? podSpec.serviceAccountName : typeof podSpec.serviceAccount === 'string' ? podSpec.serviceAccount : 'default';
  return {
    namespace: namespaceOf(o.object),
    labels,
    owners,
    hostNetwork: podSpec.hostNetwork === true,
    ports: readContainerPorts(r, o, findings, specPath, podSpec),
    serviceAccount,
    scheduling,
    schedulingKey: JSON.stringify(scheduling),
    fixes: [],
    from: o,
  };
}

function podGroup(o: ModelObject, owners: OwnerRef[], findings: Findings): PodGroup | undefined {
  const r = reader();
  const spec = isRecord(o.object.spec) ? o.object.spec : {};
  const labels = readStringMap(r, o, findings, ['metadata', 'labels'], o.object.metadata.labels, 'label');
  const group = base(o, r, spec, ['spec'], labels, owners, false, findings);
  if (r.refused) return undefined;
  group.fixes = [...(o.fixes ?? []), ...r.fixes];
  const status = liveStatus(o);
  const name = o.object.metadata.name;
  if (!status) return { ...group, bare: { name } };
  const terminating = typeof (o.object.metadata as { deletionTimestamp?: unknown }).deletionTimestamp === 'string';
  const phase = (typeof status.phase === 'string' && PHASES.has(status.phase) ? status.phase : 'Pending') as PodPhase;
  const readyCondition = Array.isArray(status.conditions) ? status.conditions.find((c) => isRecord(c) && c.type === 'Ready') : undefined;
  // The endpoint controller's rule (podutil.IsPodReady, and no endpoint is ready while terminating).
  const ready = !terminating && phase === 'Running' && isRecord(readyCondition) && readyCondition.status === 'True';
  return { ...group, live: { name, node: group.scheduling.nodeName, phase, ready, terminating } };
}

function workloadGroup(o: ModelObject, owners: OwnerRef[], findings: Findings): PodGroup | undefined {
  const { kind, metadata } = o.object;
  if (kind === 'CronJob') return undefined; // pods come from the Jobs it creates on its schedule
  const r = reader();
  const spec = isRecord(o.object.spec) ? o.object.spec : {};
  const template = isRecord(spec.template) ? spec.template : {};
  const podSpec = isRecord(template.spec) ? template.spec : {};
  const templateLabels = readStringMap(r, o, findings, ['spec', 'template', 'metadata', 'labels'], isRecord(template.metadata) ? template.metadata.labels : undefined, 'label');
  const self: OwnerRef = { kind, name: metadata.name };
  const hash = templateHash(template);
  const shape = workloadShape(o, r, spec, hash, findings);
  const group = base(o, r, podSpec, ['spec', 'template', 'spec'], { ...templateLabels, ...shape.labels }, [...shape.owners(self), ...owners], kind === 'DaemonSet', findings);
  if (r.refused) return undefined;
  group.fixes = [...(o.fixes ?? []), ...r.fixes];
  const status = liveStatus(o);
  const counted = status ? statusCounts(kind, status) : undefined;
  return { ...group, workload: { kind, name: metadata.name, naming: kind === 'StatefulSet' ? 'ordinal' : 'generated', base: shape.base, replicas: shape.replicas, ...(counted ? { status: counted } : {}) } };
}

interface Shape {
  replicas: number | 'per-node';
  base: string;
  /** Labels the controller adds to every pod. */
  labels: Record<string, string>;
  owners(self: OwnerRef): OwnerRef[];
}

/** How each controller names its pods and what it adds to them (kubernetes pkg/controller/*). */
function workloadShape(o: ModelObject, r: FieldReader, spec: Record<string, unknown>, hash: string, findings: Findings): Shape {
  const { kind, metadata } = o.object;
  const name = metadata.name;
  const replicas = () => readCount(r, o, findings, ['spec', 'replicas'], spec.replicas, 1);
  switch (kind) {
    case 'Deployment': {
      const rs = `${name}-${hash}`;
      return { replicas: replicas(), base: rs, labels: { 'pod-template-hash': hash }, owners: (self) => [{ kind: 'ReplicaSet', name: rs }, self] };
    }
    case 'StatefulSet':
      return { replicas: replicas(), base: name, labels: { 'controller-revision-hash': `${name}-${hash}` }, owners: (self) => [self] };
    case 'DaemonSet':
      return { replicas: 'per-node', base: name, labels: { 'controller-revision-hash': hash, 'pod-template-generation': String(num((metadata as { generation?: unknown }).generation) || 1) }, owners: (self) => [self] };
    case 'Job': {
      // Active pods: parallelism (default 1), never more than the completions still to go.
      const parallelism = readCount(r, o, findings, ['spec', 'parallelism'], spec.parallelism, 1);
      const completions = spec.completions === undefined || spec.completions === null ? parallelism : readCount(r, o, findings, ['spec', 'completions'], spec.completions, 1);
      return { replicas: Math.min(parallelism, completions), base: name, labels: { 'batch.kubernetes.io/job-name': name, 'job-name': name }, owners: (self) => [self] };
    }
    default:
      return { replicas: replicas(), base: name, labels: {}, owners: (self) => [self] };
  }
}

/** What a live controller's status says exists and is ready, for when its pods are not given. */
function statusCounts(kind: string, s: Record<string, unknown>): { pods: number; ready: number } {
  if (kind === 'DaemonSet') return { pods: num(s.currentNumberScheduled ?? s.desiredNumberScheduled), ready: num(s.numberReady) };
  if (kind === 'Job') return { pods: num(s.active), ready: num(s.ready) };
  return { pods: num(s.replicas), ready: num(s.readyReplicas) };
}
