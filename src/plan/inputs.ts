import type { ModelObject } from '../model/index.js';
import { namespaceOf, placeObjects } from '../model/index.js';
import type { Platform } from '../spec/index.js';
import { closest } from '../spec/suggest.js';

/** `--ready CLUSTER=N` or `--ready CLUSTER/NAMESPACE/SERVICE=N`: ready backends in a what-if. */
export interface ReadyOverride {
  cluster: string;
  service?: { namespace: string; name: string };
  ready: number;
}

/** A per-service override wins over a cluster-wide one, whatever their order on the command line. */
export function readyOverride(overrides: readonly ReadyOverride[], cluster: string, namespace: string, name: string): ReadyOverride | undefined {
  let result: ReadyOverride | undefined;
  for (const o of overrides) {
    if (o.cluster !== cluster) continue;
    if (!o.service) result = o;
    else if (o.service.namespace === namespace && o.service.name === name) return o;
  }
  return result;
}

export const overrideText = (o: ReadyOverride): string => `--ready ${o.cluster}${o.service ? `/${o.service.namespace}/${o.service.name}` : ''}=${o.ready}`;

/** Per-service overrides that name no Service of their cluster, each with a suggestion when one is near. */
export function unknownReadyServices(platform: Platform, objects: readonly ModelObject[], overrides: readonly ReadyOverride[]): { override: ReadyOverride; hint: string }[] {
  if (!overrides.some((o) => o.service)) return [];
  const placement = placeObjects(platform.spec.clusters.map((c) => c.name), objects);
  const services = (objects: readonly ModelObject[]) => objects.filter((o) => o.object.kind === 'Service').map((o) => `${namespaceOf(o.object)}/${o.object.metadata.name}`);
  return overrides.flatMap((o) => {
    if (!o.service) return [];
    const known = services(placement.byCluster.get(o.cluster) ?? []);
    const wanted = `${o.service.namespace}/${o.service.name}`;
    if (known.includes(wanted)) return [];
    const near = closest(wanted, known);
    return [{ override: o, hint: near ? `did you mean ${o.cluster}/${near}?` : known.length ? `Services of ${o.cluster}: ${known.slice(0, 10).join(', ')}${known.length > 10 ? ', …' : ''}` : `cluster ${o.cluster} has no Service in the manifests given` }];
  });
}
