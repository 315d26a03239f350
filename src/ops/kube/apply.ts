import type * as k8s from '@kubernetes/client-node';
import type { ClusterClient } from './client.js';
import { isNotFound } from './http.js';

export const FIELD_MANAGER = 'meshwright';

/** `deleted`: pruned, no longer rendered (prune.ts). */
export type ObjectAction = 'created' | 'configured' | 'unchanged' | 'deleted';

export interface ObjectChange {
  cluster: string;
  /** kind/namespace/name, as kubectl names objects (`deployment.apps/x` is kubectl's; this one reads without a group). */
  object: string;
  action: ObjectAction;
}

export const objectName = (o: k8s.KubernetesObject): string => `${o.kind}/${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`;

/**
 * Server-side apply with field manager `meshwright` (force: meshwright owns what it renders),
 * as `kubectl apply --server-side --field-manager meshwright --force-conflicts` would. A write that
 * changes nothing keeps the resourceVersion, which is how "unchanged" is told from "configured".
 * With dryRun the server computes the result (dryRun=All) and nothing is stored.
 */
export async function applyObjects(c: ClusterClient, objects: readonly k8s.KubernetesObject[], opts: { dryRun?: boolean } = {}): Promise<ObjectChange[]> {
  const { PatchStrategy } = await import('@kubernetes/client-node');
  const out: ObjectChange[] = [];
  for (const given of objects) {
    const o = withListKeys(given);
    const live = await readLive(c, o);
    if (opts.dryRun && !live) {
      out.push({ cluster: c.cluster, object: objectName(o), action: 'created' });
      continue;
    }
    const after = await c.objects.patch(o, undefined, opts.dryRun ? 'All' : undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
    const action: ObjectAction = !live ? 'created' : opts.dryRun ? (same(live, after) ? 'unchanged' : 'configured') : live.metadata?.resourceVersion === after.metadata?.resourceVersion ? 'unchanged' : 'configured';
    out.push({ cluster: c.cluster, object: objectName(o), action });
  }
  return out;
}

/**
 * Service ports and containers' ports are list maps keyed by port and protocol
 * (x-kubernetes-list-map-keys in the 1.30 OpenAPI): an applied entry without `protocol` does not
 * match the stored, defaulted one, and the lab's server-side apply then keeps both. The default
 * (TCP, "Defaults to TCP" in the API reference) is written out so the entries match on every
 * re-apply; the object means the same to any API server.
 */
function withListKeys(o: k8s.KubernetesObject): k8s.KubernetesObject {
  const copy = JSON.parse(JSON.stringify(o)) as Record<string, any>;
  if (o.kind === 'Service') for (const p of copy.spec?.ports ?? []) p.protocol ??= 'TCP';
  const pod = o.kind === 'Pod' ? copy.spec : copy.spec?.template?.spec;
  for (const c of [...(pod?.containers ?? []), ...(pod?.initContainers ?? [])]) for (const p of c.ports ?? []) p.protocol ??= 'TCP';
  return copy as k8s.KubernetesObject;
}

export async function readLive(c: ClusterClient, o: k8s.KubernetesObject): Promise<k8s.KubernetesObject | undefined> {
  try {
    return await c.objects.read({ apiVersion: o.apiVersion!, kind: o.kind!, metadata: { name: o.metadata!.name!, ...(o.metadata?.namespace ? { namespace: o.metadata.namespace } : {}) } });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Equal but for what the server stamps on every write (a dry run's result against the live object). */
function same(a: k8s.KubernetesObject, b: k8s.KubernetesObject): boolean {
  const strip = (o: k8s.KubernetesObject) => {
    const copy = JSON.parse(JSON.stringify(o)) as Record<string, any>;
    for (const f of ['managedFields', 'resourceVersion', 'generation', 'creationTimestamp', 'uid']) delete copy.metadata?.[f];
    delete copy.status;
    return JSON.stringify(sortKeys(copy));
  };
  return strip(a) === strip(b);
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}
