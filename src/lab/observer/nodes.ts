import type { LabCluster } from '../runtime.js';
import type { ObserverNode } from './server.js';

/** The nodes of a lab cluster as its Hubble peers: name and InternalIP from the Node objects. */
export function observerNodes(cluster: LabCluster | undefined): ObserverNode[] {
  if (!cluster?.running) return [];
  const def = cluster.api.catalog.find('', 'v1', 'nodes');
  if (!def) return [];
  return cluster.api.list(def, undefined).items.map((n) => {
    const addresses = ((n as { status?: { addresses?: { type: string; address: string }[] } }).status?.addresses ?? []);
    return { cluster: cluster.name, name: n.metadata.name, address: addresses.find((a) => a.type === 'InternalIP')?.address ?? '' };
  });
}
