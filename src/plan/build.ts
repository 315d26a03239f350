import { sortDiagnostics } from '../diag/index.js';
import type { LoadedObject } from '../manifests/index.js';
import { clusterIpam, Findings, identityRange, meshEndpoint, networkPlan, placeObjects, predictClusterMesh } from '../model/index.js';
import type { Platform } from '../spec/index.js';
import { apiServerUrl } from '../render/index.js';
import type { ReadyOverride } from './inputs.js';
import { planLoadBalancers } from './load-balancers.js';
import { planServices } from './global-services.js';
import { notModelled } from './not-modelled.js';
import { PLAN_SCHEMA_VERSION, type Plan } from './types.js';

export interface PlanInput {
  platform: Platform;
  /** User manifests or live objects, plus the platform's own (ingress app, global-service demo). */
  objects: readonly LoadedObject[];
  overrides?: readonly ReadyOverride[];
  /** Clusters down in a what-if: no ready backend, no client, not connected to their peers. */
  down?: readonly string[];
  /** The what-if as the user wrote it, for the plan's header. */
  whatIf?: string[];
  /** 'aggregate': per service and cluster, not per client/backend pair (large meshes). */
  detail?: 'pairs' | 'aggregate';
}

/** Every cluster's endpoint is computed once, not once per peer (n² on a 255-cluster mesh). */
function meshPredictions(platform: Platform, globalCount: Map<string, number>, down: ReadonlySet<string>) {
  const endpoints = new Map(platform.spec.clusters.map((c) => [c.name, meshEndpoint(platform, c)]));
  return platform.spec.clusters.map((c) => predictClusterMesh(platform, c, globalCount.get(c.name) ?? 0, { endpoints, down }));
}

/** What Cilium will do on this platform, predicted from the spec and manifests alone. */
export function buildPlan(input: PlanInput): Plan {
  const { platform } = input;
  const findings = new Findings();
  const placement = placeObjects(platform.spec.clusters.map((c) => c.name), input.objects);
  const detail = input.detail ?? 'pairs';
  const down = new Set(input.down ?? []);
  const services = planServices(platform, placement, { overrides: input.overrides ?? [], down, detail }, findings);
  const lbs = platform.spec.clusters.map((c) => planLoadBalancers(platform, c, placement.byCluster.get(c.name) ?? [], findings));
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
      clusters: platform.spec.mesh.enabled ? meshPredictions(platform, services.globalCount, down) : [],
    },
    globalServices: services.predictions,
    ...(detail === 'aggregate'
      ? {
          serviceAggregates: services.aggregates.map((a) => ({ namespace: a.namespace, name: a.name, exported: Object.fromEntries(a.exported), clients: a.clients })),
        }
      : {}),
    network: networkPlan(platform),
    notModelled: notModelled(input.objects),
    warnings: sortDiagnostics([...placement.diagnostics, ...findings.list]),
  };
}
