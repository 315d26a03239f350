import type { ModelPod } from '../../model/index.js';
import type { ClusterApi } from '../service/cluster-api.js';
import type { Obj } from '../store/log-store.js';
import { def, ownerRef } from './kit.js';

/** A pod made from a controller's template (controller.GetPodFromTemplate), not yet scheduled. */
export function podFromTemplate(owner: Obj, template: Obj, name: string, generateName: string, extraLabels: Record<string, string> = {}): Obj {
  const spec = structuredClone(template.spec ?? {});
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      generateName,
      namespace: owner.metadata.namespace,
      labels: { ...(template.metadata?.labels ?? {}), ...extraLabels },
      ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
      ownerReferences: [ownerRef(owner)],
    },
    spec,
  };
}

/**
 * Pod names for a controller, in the model's order: the first unused ones. A name the model
 * gives that is taken (or was used before in this lab process) is skipped, so a replacement
 * pod gets a new name, as the API server's generateName gives one.
 */
export class PodNamer {
  private readonly used = new Map<string, Set<string>>();

  next(api: ClusterApi, owner: Obj, count: number, names: (n: number) => ModelPod[]): string[] {
    const uid = owner.metadata.uid as string;
    const used = this.used.get(uid) ?? new Set<string>();
    this.used.set(uid, used);
    const pods = def(api, '', 'v1', 'pods');
    const out: string[] = [];
    let n = count + used.size + 4;
    for (let attempt = 0; attempt < 8 && out.length < count; attempt++, n *= 2) {
      for (const p of names(n)) {
        if (out.length >= count) break;
        if (out.includes(p.name) || used.has(p.name) || api.store.get(api.key(pods, owner.metadata.namespace, p.name))) continue;
        out.push(p.name);
      }
    }
    for (const name of out) used.add(name);
    return out;
  }

  forget(uid: string): void {
    this.used.delete(uid);
  }
}
