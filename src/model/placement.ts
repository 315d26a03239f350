import type { Diagnostic } from '../diag/index.js';
import { apiGroup, isNamespaced, objectLine } from '../manifests/index.js';
import { checkKind } from './kinds.js';
import { findingAt, Findings, type ModelObject } from './objects.js';

export interface Placement<T extends ModelObject = ModelObject> {
  /** The clusters in order: those asked for, then any named only by an object's placement. */
  clusters: string[];
  /**
   * The objects each cluster will hold, in creation order. Clusters that were given no object of
   * their own share one array, so work done per distinct object set is done once.
   */
  byCluster: Map<string, T[]>;
  /** Misspelt kinds and duplicate objects, positioned, each once. */
  diagnostics: Diagnostic[];
}

/** What `kubectl apply` keys an object by: API group, kind, namespace (namespaced kinds only) and name. */
export function objectKey(o: ModelObject): string {
  const { object } = o;
  const ns = isNamespaced(object.kind) ? (object.metadata.namespace ?? 'default') : '';
  return `${apiGroup(object.apiVersion)}|${object.kind}|${ns}|${object.metadata.name}`;
}

/**
 * The objects each cluster ends up with. An object placed in no cluster goes to every one.
 * Applying the same object twice leaves one object: the later definition, in the place the
 * first was created (as `kubectl apply` leaves it) — said out loud with a warning at the later one.
 * Plan and policy both read their input through here, so they count the same objects.
 */
export function placeObjects<T extends ModelObject>(clusterNames: readonly string[], objects: readonly T[]): Placement<T> {
  const findings = new Findings();
  const checked = objects.flatMap((o) => (checkKind(o, findings) as T | undefined) ?? []);
  const clusters = [...clusterNames];
  for (const o of checked) if (o.cluster && !clusters.includes(o.cluster)) clusters.push(o.cluster);
  const placed = new Set(checked.flatMap((o) => (o.cluster ? [o.cluster] : [])));
  const warned = new Set<string>();
  const merge = (list: readonly T[]): T[] => {
    const byKey = new Map<string, T>();
    for (const o of list) {
      const key = objectKey(o);
      const earlier = byKey.get(key);
      if (earlier) duplicate(earlier, o, findings, warned);
      byKey.set(key, o);
    }
    return [...byKey.values()];
  };
  const shared = merge(checked.filter((o) => !o.cluster));
  const byCluster = new Map(clusters.map((c) => [c, placed.has(c) ? merge(checked.filter((o) => !o.cluster || o.cluster === c)) : shared]));
  return { clusters, byCluster, diagnostics: findings.list };
}

function duplicate(earlier: ModelObject, later: ModelObject, findings: Findings, warned: Set<string>): void {
  // Once per later object: the same manifest replacing meshwright's own in every cluster is one finding.
  const at = `${objectKey(later)}\u0000${later.source?.file}:${later.source?.at.join('.')}`;
  if (warned.has(at)) return;
  warned.add(at);
  const { kind, metadata } = later.object;
  const name = isNamespaced(kind) ? `${metadata.namespace ?? 'default'}/${metadata.name}` : metadata.name;
  const line = earlier.source ? objectLine(earlier.source) : undefined;
  const where = earlier.source ? `${earlier.source.file}${line ? `:${line}` : ''}` : 'an earlier object';
  const own = earlier.origin === 'platform' && later.origin !== 'platform';
  findings.add(
    findingAt(later, {
      severity: 'warning',
      code: 'DUPLICATE_OBJECT',
      message: own ? `${kind} ${name} replaces meshwright's own (${where}); this one is used, as kubectl apply would leave it` : `${kind} ${name} is also defined in ${where}; this later one is used, as kubectl apply would leave it`,
      hint: own ? "leave meshwright's own manifests out with --no-platform-manifests, or rename this object" : 'give each object once, or pass only the files you mean',
    }, ['metadata', 'name']),
  );
}

/** Every object some cluster holds, once, in input order: what policies are read from. */
export function placedObjects<T extends ModelObject>(p: Placement<T>): T[] {
  const seen = new Set<T>();
  for (const list of p.byCluster.values()) for (const o of list) seen.add(o);
  return [...seen];
}
