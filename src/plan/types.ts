import type { Diagnostic } from '../diag/index.js';
import type { ClientView, ClusterIpam, ClusterMeshPrediction, IdentityRange, NetworkPlan, PoolStatus } from '../model/index.js';

/** Version of the plan's JSON/YAML shape; bumped on any incompatible change (docs/plan.md). */
export const PLAN_SCHEMA_VERSION = 1;

export interface LoadBalancerPrediction {
  cluster: string;
  namespace: string;
  name: string;
  /** null while the Service stays <pending>. */
  ip: string | null;
  /** Services sharing this address through lbipam.cilium.io/sharing-key. */
  sharedWith?: string[];
}

export interface PendingLoadBalancer extends Omit<LoadBalancerPrediction, 'ip' | 'sharedWith'> {
  reason: string;
  message: string;
}

export interface PoolStage {
  cluster: string;
  stage: string;
  pool: PoolStatus;
}

export interface ClusterPlan {
  name: string;
  id: number;
  apiServer: string;
  nodes: { name: string; address: string; role: string }[];
  ipam: ClusterIpam;
  identities: IdentityRange;
}

export interface GlobalServicePrediction {
  namespace: string;
  name: string;
  /** The cluster the client runs in. */
  client: string;
  global: boolean;
  shared: boolean;
  affinity: ClientView['affinity'];
  headless: boolean;
  /** Ready backends the client can reach, per cluster (its own plus those exported to it). */
  backends: Record<string, number>;
  /** Expected share of requests per cluster, 0..1, summing to 1 (empty when nothing answers). */
  share: Record<string, number>;
  note?: string;
  /**
   * Fixes this row rests on, as `file:line:column: fix`: something the API server would refuse
   * as written (an unquoted annotation, replicas: "3" …), planned as its author evidently meant it.
   */
  dependsOn?: string[];
}

/** Per service, in aggregate: per-cluster exports once, then each client's local/remote split. */
export interface ServiceAggregatePrediction {
  namespace: string;
  name: string;
  /** Ready backends each exporting cluster (global and shared) offers the mesh. */
  exported: Record<string, number>;
  clients: ClientView[];
}

export interface NotModelled {
  file: string;
  line?: number;
  kind: string;
  name: string;
  reason: string;
}

export interface Plan {
  apiVersion: 'meshwright/v1alpha1';
  kind: 'Plan';
  schemaVersion: number;
  platform: string;
  whatIf: string[];
  clusters: ClusterPlan[];
  loadBalancers: LoadBalancerPrediction[];
  pending: PendingLoadBalancer[];
  pools: PoolStage[];
  clustermesh: { enabled: boolean; clusters: ClusterMeshPrediction[] };
  /** One object per (service, client cluster); empty with --aggregate. */
  globalServices: GlobalServicePrediction[];
  /** Only with --aggregate: one object per service (for meshes too big for the per-pair list). */
  serviceAggregates?: ServiceAggregatePrediction[];
  network: NetworkPlan;
  notModelled: NotModelled[];
  warnings: Diagnostic[];
}
