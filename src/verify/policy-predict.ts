import type { LoadedObject } from '../manifests/index.js';
import { Findings, kubesprayNodes, placeObjects } from '../model/index.js';
import { buildPolicyEngine, defaultLocalClusterFor, type PolicyBuild } from '../model/policy-engine/index.js';
import { planServices, platformObjects } from '../plan/index.js';
import type { Platform } from '../spec/index.js';

export const POLICY_KINDS = new Set(['NetworkPolicy', 'CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy']);

/** What `policy explain|matrix --platform` would be given for this platform: the engine, and where a Service sends a client. */
export interface PolicyPrediction {
  build: PolicyBuild;
  clusters: string[];
  multiCluster: boolean;
  /** The network policies among the inputs (meshwright's own manifests carry none). */
  policies: LoadedObject[];
  /** Which clusters' backends of a Service a client cluster reaches (the plan's global-service model). */
  serviceClusters(namespace: string, name: string, client: string): Set<string>;
}

/**
 * The same inputs `meshwright policy matrix --platform platform.yaml -f …` reads (cli/policy-inputs.ts
 * loadPolicyContext): meshwright's own manifests (the objects `plan` predicts) plus the user's,
 * the platform's nodes, and policy-default-local-cluster as the platform's Cilium version sets it.
 */
export function predictPolicies(platform: Platform, manifests: readonly LoadedObject[]): PolicyPrediction {
  const clusters = platform.spec.clusters.map((c) => c.name);
  const objects = [...platformObjects(platform), ...manifests];
  const nodes = new Map(platform.spec.clusters.map((c) => [c.name, kubesprayNodes(c)]));
  const nodeAddresses = new Map(platform.spec.clusters.map((c) => [c.name, c.nodes.map((n) => ({ cluster: c.name, name: n.name, addresses: [n.address], controlPlane: n.role === 'control-plane' }))]));
  const build = buildPolicyEngine({ objects, clusters, options: { policyDefaultLocalCluster: defaultLocalClusterFor(platform.spec.cilium.version) }, nodes, nodeAddresses });
  const services = planServices(platform, placeObjects(clusters, objects), { overrides: [], down: new Set(), detail: 'pairs' }, new Findings()).predictions;
  return {
    build,
    clusters,
    multiCluster: clusters.length > 1,
    policies: build.objects.filter((o) => POLICY_KINDS.has(o.object.kind)),
    serviceClusters: (namespace, name, client) => {
      const p = services.find((s) => s.namespace === namespace && s.name === name && s.client === client);
      return new Set(p ? Object.keys(p.share) : []);
    },
  };
}
