import type { LoadedObject } from '../manifests/index.js';
import type { Platform } from '../spec/index.js';

/** `--ready CLUSTER=N` or `--ready CLUSTER/NAMESPACE/SERVICE=N`: ready backends in a what-if. */
export interface ReadyOverride {
  cluster: string;
  service?: { namespace: string; name: string };
  ready: number;
}

/**
 * The objects each cluster will hold: manifests placed in it, and those given for every cluster.
 * Applying the same object twice leaves one object: a later one with the same kind, namespace
 * and name replaces the earlier (the user's manifests come after meshwright's own).
 */
export function objectsByCluster(platform: Platform, objects: readonly LoadedObject[]): Map<string, LoadedObject[]> {
  const out = new Map<string, Map<string, LoadedObject>>(platform.spec.clusters.map((c) => [c.name, new Map()]));
  for (const o of objects) {
    const key = `${o.object.kind}/${o.object.metadata.namespace ?? 'default'}/${o.object.metadata.name}`;
    if (o.cluster) out.get(o.cluster)?.set(key, o);
    else for (const m of out.values()) m.set(key, o);
  }
  return new Map([...out].map(([c, m]) => [c, [...m.values()]]));
}

export function readyOverride(overrides: readonly ReadyOverride[], cluster: string, namespace: string, name: string): number | undefined {
  let result: number | undefined;
  for (const o of overrides) {
    if (o.cluster !== cluster) continue;
    if (!o.service) result = o.ready;
    else if (o.service.namespace === namespace && o.service.name === name) return o.ready;
  }
  return result;
}
