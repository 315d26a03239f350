import { sortDiagnostics } from '../diag/index.js';
import type { LoadedObject } from '../manifests/index.js';
import { clusterIpam, identityRange, meshEndpoint, networkPlan, predictClusterMesh } from '../model/index.js';
import type { Platform } from '../spec/index.js';
import { apiServerUrl } from '../render/index.js';
import { objectsByCluster, type ReadyOverride } from './inputs.js';
import { planLoadBalancers } from './load-balancers.js';
import { planServices } from './global-services.js';
import { notModelled } from './not-modelled.js';
import { PLAN_SCHEMA_VERSION, type Plan } from './types.js';

export interface PlanInput {
  platform: Platform;
  /** User manifests, plus the platform's own (ingress app, global-service demo). */
  objects: readonly LoadedObject[];
  overrides?: readonly ReadyOverride[];
  whatIf?: string[];
  /** 'aggregate': per service and cluster, not per client/backend pair (large meshes). */
  detail?: 'pairs' | 'aggregate';
}

/** Every cluster's endpoint is computed once, not once per peer (n² on a 255-cluster mesh). */
function meshPredictions(platform: Platform, globalCount: Map<string, number>) {
  const endpoints = new Map(platform.spec.clusters.map((c) => [c.name, meshEndpoint(platform, c)]));
  return platform.spec.clusters.map((c) => predictClusterMesh(platform, c, globalCount.get(c.name) ?? 0, endpoints));
}

/** What Cilium will do on this platform, predicted from the spec and manifests alone. */
export function buildPlan(input: PlanInput): Plan {
  const { platform } = input;
  const byCluster = objectsByCluster(platform, input.objects);
  const detail = input.detail ?? 'pairs';
  const services = planServices(platform, byCluster, input.overrides ?? [], detail);
  const lbs = platform.spec.clusters.map((c) => planLoadBalancers(platform, c, byCluster.get(c.name) ?? []));
  return {
    apiVersion: 'meshwright/v1alpha1',
    kind: 'Plan',
    schemaVersion: PLAN_SCHEMA_VERSION,
    platform: platform.metadata.name,
    whatIf: input.whatIf ?? [],
    clusters: platform.spec.clusters.map((c) => ({
      name: c.name,
      id: c.id,
      apiServer: apiServerUrl(c),
      nodes: c.nodes.map((n) => ({ name: n.name, address: n.address, role: n.role })),
      ipam: clusterIpam(c),
      identities: identityRange(c.id, platform.spec.mesh.maxConnectedClusters),
    })),
    loadBalancers: lbs.flatMap((l) => l.loadBalancers),
    pending: lbs.flatMap((l) => l.pending),
    pools: lbs.flatMap((l) => l.pools),
    clustermesh: {
      enabled: platform.spec.mesh.enabled,
      clusters: platform.spec.mesh.enabled ? meshPredictions(platform, services.globalCount) : [],
    },
    globalServices: services.predictions,
    ...(detail === 'aggregate'
      ? {
          serviceAggregates: services.aggregates.map((a) => ({ namespace: a.namespace, name: a.name, exported: Object.fromEntries(a.exported), clients: a.clients })),
        }
      : {}),
    network: networkPlan(platform),
    notModelled: notModelled(input.objects),
    warnings: sortDiagnostics(services.warnings),
  };
}
