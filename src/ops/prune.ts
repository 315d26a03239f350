import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
// state/atomic.js itself, not state's index: that one loads pki, which a no-op apply never needs
import { writeFileAtomic } from '../state/atomic.js';
import { FIELD_MANAGER, objectName, type ObjectChange } from './kube/apply.js';
import type { ClusterEndpoint } from './kube/endpoint.js';
import { isNotFound } from './kube/http.js';
import { manifestObjects } from './steps/manifests.js';

export const APPLIED_OBJECTS_FILE = 'applied-objects.json';

/** An object meshwright applied, by what names it: apiVersion, kind, namespace, name. */
export interface AppliedRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

interface AppliedFile {
  apiVersion: 'meshwright/v1alpha1';
  kind: 'AppliedObjects';
  platform: string;
  clusters: Record<string, AppliedRef[]>;
}

const key = (r: AppliedRef): string => `${r.apiVersion}|${r.kind}|${r.namespace ?? ''}|${r.name}`;

/** Every object apply server-side applies to a cluster: the objects of its rendered manifests (not Helm's: Helm prunes its own). */
export function desiredObjects(files: ReadonlyMap<string, string>, cluster: string): AppliedRef[] {
  const paths = [...files.keys()].filter((p) => p.startsWith(`${cluster}/manifests/`)).sort();
  return paths.flatMap((p) => manifestObjects(files, p)).map(refOf);
}

function refOf(o: KubernetesObject): AppliedRef {
  return { apiVersion: String(o.apiVersion), kind: String(o.kind), ...(o.metadata?.namespace ? { namespace: o.metadata.namespace } : {}), name: String(o.metadata?.name) };
}

/**
 * What meshwright applied to each cluster, in the state folder (as Helm keeps a release's
 * manifest to diff the next one against, pkg/action/upgrade.go; kubectl's ApplySet keeps the
 * list on a parent object instead). Written before objects are applied (with the union of old and
 * new), so a kill mid-apply never forgets an object it made; narrowed once pruning is done.
 */
export class AppliedObjects {
  private constructor(
    private readonly file: string,
    private data: AppliedFile,
  ) {}

  static open(stateDir: string, platform: string): AppliedObjects {
    const file = join(stateDir, APPLIED_OBJECTS_FILE);
    let data: AppliedFile = { apiVersion: 'meshwright/v1alpha1', kind: 'AppliedObjects', platform, clusters: {} };
    if (existsSync(file)) {
      try {
        const read = JSON.parse(readFileSync(file, 'utf8')) as AppliedFile;
        if (read.kind === 'AppliedObjects' && read.platform === platform && read.clusters && typeof read.clusters === 'object') data = read;
      } catch {
        // unreadable: nothing is known to have been applied, so nothing will be pruned (never a guess)
      }
    }
    return new AppliedObjects(file, data);
  }

  recorded(cluster: string): AppliedRef[] {
    return this.data.clusters[cluster] ?? [];
  }

  /** Recorded objects the render no longer has. */
  stale(cluster: string, desired: readonly AppliedRef[]): AppliedRef[] {
    const want = new Set(desired.map(key));
    return this.recorded(cluster).filter((r) => !want.has(key(r)));
  }

  /** Sets a cluster's list (writes only when it changes: a no-op apply writes nothing). */
  set(cluster: string, refs: readonly AppliedRef[]): void {
    const unique = [...new Map(refs.map((r) => [key(r), r])).values()].sort((a, b) => key(a).localeCompare(key(b)));
    const before = this.recorded(cluster);
    if (before.length === unique.length && before.every((r, i) => key(r) === key(unique[i]!))) return;
    this.data = { ...this.data, clusters: { ...this.data.clusters, [cluster]: unique } };
    writeFileAtomic(this.file, `${JSON.stringify(this.data, null, 2)}\n`);
  }
}

/**
 * Deletes the objects meshwright applied before and the render no longer has, like `kubectl apply
 * --prune` with an ApplySet: only what the record lists, and only while the live object still has
 * field manager `meshwright` among its appliers (managedFields, operation Apply) — a user's object
 * of the same name, or one another tool took over, is left alone and named. With dryRun: "would delete".
 */
export async function pruneObjects(endpoint: ClusterEndpoint, stale: readonly AppliedRef[], dryRun: boolean): Promise<{ changes: ObjectChange[]; notes: string[] }> {
  const changes: ObjectChange[] = [];
  const notes: string[] = [];
  if (!stale.length) return { changes, notes };
  const c = await endpoint.full();
  // dependants first, as in the reverse of the order they were applied in
  for (const ref of [...stale].reverse()) {
    const spec = { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) } };
    let live: KubernetesObject;
    try {
      live = await c.objects.read(spec);
    } catch (err) {
      if (isNotFound(err) || /not found|no resource|unknown kind/i.test(String((err as Error).message))) continue;
      throw err;
    }
    const ours = (live.metadata?.managedFields ?? []).some((f) => f.manager === FIELD_MANAGER && f.operation === 'Apply');
    if (!ours) {
      notes.push(`${objectName(spec)} in ${c.cluster} is no longer rendered but meshwright does not manage it now; left as it is`);
      continue;
    }
    if (!dryRun) {
      try {
        await c.objects.delete(spec);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    changes.push({ cluster: c.cluster, object: objectName(spec), action: 'deleted' });
  }
  return { changes, notes };
}
