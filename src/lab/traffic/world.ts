import type { FlowRing } from '../../observe/index.js';
import type { ClusterApi } from '../service/cluster-api.js';

/** What traffic sees of the lab: each cluster's state, whether it runs, and the mesh's links. */
export interface TrafficWorld {
  clusters: readonly { name: string; api: ClusterApi; running: boolean }[];
  /** Whether `from`'s Cilium is connected to `to` through the mesh (LabMesh.linkReady). */
  linkReady(from: string, to: string): boolean;
  /** The 127.0.0.1 port of the clustermesh-apiserver endpoint a Service address "ip:port" maps to (LabMesh.endpointPortFor). */
  meshEndpoint?(address: string): number | undefined;
  /** Where the flows of the requests go (the running lab's ring); none in pure traffic tests. */
  flows?: FlowRing;
}

export function clusterOf(world: TrafficWorld, name: string) {
  return world.clusters.find((c) => c.name === name && c.running);
}
