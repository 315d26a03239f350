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

/**
 * The policy engine `policy explain` uses (src/model/policy-engine), over the objects the running
 * clusters hold now. Each object is read as a one-document manifest named
 * `lab:<cluster>/<resource>/<namespace>/<name>`, so a verdict's rule points there.
 */
export function labPolicy(world: TrafficWorld): LabPolicy {
  const objects: LoadedObject[] = [];
  const running = world.clusters.filter((c) => c.running);
  for (const c of running) {
    for (const r of RESOURCES) {
      for (const o of listOf(c.api, r)) {
        const { managedFields: _m, ...metadata } = o.metadata;
        const text = JSON.stringify({ ...o, metadata }, null, 1);
        objects.push(...parseManifestText(`lab:${c.name}/${r}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, text, c.name).objects);
      }
    }
  }
  const build = buildPolicyEngine({ objects, clusters: running.map((c) => c.name), options: { policyDefaultLocalCluster: false } });
  const byKey = new Map(build.endpoints.map((e) => [`${e.cluster}/${e.namespace}/${e.name}`, e]));
  return { engine: build.engine, endpoint: (cluster, namespace, pod) => byKey.get(`${cluster}/${namespace}/${pod}`) };
}

export type { PeerRef };
