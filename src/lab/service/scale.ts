import { apiVersionOf, type ResourceDef } from '../api/catalog.js';
import { badRequest } from '../api/status.js';
import { jsonPatch } from '../patch/json-patch.js';
import { mergePatch } from '../patch/merge-patch.js';
import { formatSelector } from '../printers/format.js';
import type { Obj } from '../store/log-store.js';
import type { ClusterApi, PatchType, WriteOptions } from './cluster-api.js';

/** The autoscaling/v1 Scale view of a workload (`kubectl scale` reads and patches it). */
export function scaleOf(_def: ResourceDef, o: Obj): Obj {
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: o.metadata.name, namespace: o.metadata.namespace, uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion, creationTimestamp: o.metadata.creationTimestamp },
    spec: { replicas: o.spec?.replicas ?? 1 },
    status: { replicas: o.status?.replicas ?? 0, selector: formatSelector(o.spec?.selector).replace('<none>', '') },
  };
}

/** PUT or PATCH on /scale: the new replica count goes to the workload's spec. */
export async function writeScale(api: ClusterApi, def: ResourceDef, ns: string, name: string, change: { body?: unknown; patch?: { type: PatchType; text: string } }, opts: WriteOptions): Promise<Obj> {
  const current = api.get(def, ns, name);
  let next: Obj;
  if (change.patch) {
    const doc = JSON.parse(change.patch.text) as unknown;
    const base = scaleOf(def, current);
    if (change.patch.type === 'json') next = jsonPatch(base, doc) as Obj;
    else if (change.patch.type === 'merge' || change.patch.type === 'strategic') next = mergePatch(base, doc) as Obj;
    else throw badRequest('apply patches are not supported on the scale subresource of the meshwright lab');
  } else next = change.body as Obj;
  const replicas = next?.spec?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) throw badRequest(`Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`);
  const rv = next.metadata?.resourceVersion;
  const updated = { ...current, apiVersion: apiVersionOf(def), spec: { ...current.spec, replicas }, metadata: { ...current.metadata, ...(rv ? { resourceVersion: rv } : {}) } };
  const r = await api.update(def, ns, name, updated, { ...opts, subresource: undefined });
  return scaleOf(def, r.obj);
}
