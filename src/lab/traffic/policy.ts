import { parseManifestText, type LoadedObject } from '../../manifests/index.js';
import { buildPolicyEngine, type PeerRef, type PolicyEndpoint, type PolicyEngine } from '../../model/policy-engine/index.js';
import { listOf } from '../controllers/kit.js';
import type { TrafficWorld } from './world.js';

/** What the policy engine reads of a cluster: pods (live, with their owners), namespaces and policies. */
const RESOURCES = ['core/namespaces', 'core/pods', 'apps/replicasets', 'apps/deployments', 'apps/daemonsets', 'apps/statefulsets', 'batch/jobs', 'networking.k8s.io/networkpolicies', 'cilium.io/ciliumnetworkpolicies', 'cilium.io/ciliumclusterwidenetworkpolicies'];

export interface LabPolicy {
  engine: PolicyEngine;
  endpoint(cluster: string, namespace: string, pod: string): PolicyEndpoint | undefined;
}

/** The last engine built per lab (keyed by its first cluster), with what it was built from. */
const built = new WeakMap<object, { key: string; policy: LabPolicy }>();

/**
 * The policy engine `policy explain` uses (src/model/policy-engine), over the objects the running
 * clusters hold now. Each object is read as a one-document manifest named
 * `lab:<cluster>/<resource>/<namespace>/<name>`, so a verdict's rule points there. Built again
 * only when one of those lists changed (count or newest resourceVersion): at 32 clusters a build
 * takes the lab's one thread for a second or more, and verify sends ~100 curl batches (issue 16).
 */
export function labPolicy(world: TrafficWorld): LabPolicy {
  const running = world.clusters.filter((c) => c.running);
  const lists = running.map((c) => RESOURCES.map((r) => ({ r, items: listOf(c.api, r) })));
  const key = running.map((c, i) => `${c.name}:${lists[i]!.map(({ items }) => `${items.length}.${Math.max(0, ...items.map((o) => Number(o.metadata.resourceVersion ?? 0)))}`).join(',')}`).join(';');
  const owner = world.clusters[0]?.api ?? world;
  const last = built.get(owner);
  if (last?.key === key) return last.policy;
  const objects: LoadedObject[] = [];
  running.forEach((c, i) => {
    for (const { r, items } of lists[i]!) {
      for (const o of items) {
        const { managedFields: _m, ...metadata } = o.metadata;
        const text = JSON.stringify({ ...o, metadata }, null, 1);
        objects.push(...parseManifestText(`lab:${c.name}/${r}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, text, c.name).objects);
      }
    }
  });
  const build = buildPolicyEngine({ objects, clusters: running.map((c) => c.name), options: { policyDefaultLocalCluster: false } });
  const byKey = new Map(build.endpoints.map((e) => [`${e.cluster}/${e.namespace}/${e.name}`, e]));
  const policy: LabPolicy = { engine: build.engine, endpoint: (cluster, namespace, pod) => byKey.get(`${cluster}/${namespace}/${pod}`) };
  built.set(owner, { key, policy });
  return policy;
}

export type { PeerRef };
