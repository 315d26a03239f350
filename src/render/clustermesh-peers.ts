import type { ClusterSpec, Platform } from '../spec/index.js';
import { meshEndpoint } from '../model/index.js';

export interface ClustermeshPeer {
  name: string;
  ips: string[];
  port: number;
}

/**
 * Every other cluster of the mesh, as `clustermesh.config.clusters` wants it. Agents (or
 * KVStoreMesh) dial `<name>.mesh.cilium.io`, which the chart maps to these IPs and the
 * server certificate covers with `*.mesh.cilium.io`.
 */
export function clustermeshPeers(platform: Platform, self: ClusterSpec): ClustermeshPeer[] {
  return platform.spec.clusters
    .filter((c) => c.name !== self.name)
    .map((peer) => {
      const e = meshEndpoint(platform, peer);
      return { name: peer.name, ips: e.addresses, port: e.port };
    });
}
