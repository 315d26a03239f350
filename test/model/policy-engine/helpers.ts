import { parseManifestText, type LoadedObject } from '../../../src/manifests/index.js';
import { buildPolicyEngine, type HttpRequest, type PeerRef, type PolicyBuild, type PolicyInput, type Protocol, type Verdict } from '../../../src/model/policy-engine/index.js';
import { referenceDecision } from '../../helpers/reference-verdict.js';

export interface World {
  input: PolicyInput;
  build: PolicyBuild;
  /** A pod by name (first match), optionally in a cluster. */
  pod(name: string, cluster?: string): PeerRef;
  /** explain, also checked against the per-pod reference evaluator. */
  check(from: PeerRef, to: PeerRef, port: number, protocol?: Protocol, http?: HttpRequest): Verdict;
}

/** Manifests per cluster (key '' = every cluster), built into an engine. */
export function world(docs: Record<string, string> | string, clusters = ['c1'], policyDefaultLocalCluster = false): World {
  const byCluster = typeof docs === 'string' ? { '': docs } : docs;
  const objects: LoadedObject[] = [];
  for (const [cluster, text] of Object.entries(byCluster)) {
    const r = parseManifestText(cluster ? `${cluster}.yaml` : 'all.yaml', text, cluster || undefined);
    if (r.diagnostics.length) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
    objects.push(...r.objects);
  }
  const input: PolicyInput = { objects, clusters, options: { policyDefaultLocalCluster } };
  const build = buildPolicyEngine(input);
  return {
    input,
    build,
    pod(name, cluster) {
      const endpoint = build.endpoints.find((e) => e.name === name && (!cluster || e.cluster === cluster));
      if (!endpoint) throw new Error(`no pod ${name}`);
      return { kind: 'endpoint', endpoint };
    },
    check(from, to, port, protocol = 'TCP', http) {
      const req = { from, to, port, protocol, ...(http ? { http } : {}) };
      const v = build.engine.explain(req);
      const ref = referenceDecision(input, req);
      if (ref.verdict !== v.verdict || (ref.stage ?? 'none') !== (v.verdict === 'denied' ? v.stage : 'none')) throw new Error(`engine ${v.verdict}/${v.stage} but reference ${ref.verdict}/${ref.stage}`);
      return v;
    },
  };
}

export const pod = (name: string, labels: Record<string, string>, ns = 'default', ports = '[]') => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${ns}, labels: ${JSON.stringify(labels)}}
spec: {containers: [{name: c, ports: ${ports}}]}
---
`;

export const get = (method: string, path: string, headers: Record<string, string> = {}): HttpRequest => ({ method, path, headers });

export function codes(b: PolicyBuild): string[] {
  return b.diagnostics.map((d) => d.code);
}
