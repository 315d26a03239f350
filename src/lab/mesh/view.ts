import type { Obj } from '../store/log-store.js';

/**
 * What one cluster's Cilium knows of the mesh, as Cilium's API models hold it
 * (models.RemoteCluster JSON: name, ready, connected, status, num-*, config, synced). The agent
 * reads the remote clusters through the local KVStoreMesh when it is enabled; KVStoreMesh
 * dials the peers itself.
 */
export interface MeshView {
  remoteClusters(cluster: string, who: 'agent' | 'kvstoremesh'): Obj[];
  /** Global services this cluster's agents know (cluster-mesh.num-global-services). */
  globalServices(cluster: string): number;
}

/** Before the mesh runs: nobody is connected. */
export const NO_MESH: MeshView = { remoteClusters: () => [], globalServices: () => 0 };
