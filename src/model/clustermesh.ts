import type { ClusterSpec, Platform } from '../spec/index.js';
import { meshEndpoint, type MeshEndpoint } from './mesh-endpoints.js';

export interface MeshConnection {
  /** Who dials: the agents of every node, or the KVStoreMesh replicas. */
  from: 'agents' | 'kvstoremesh';
  peer: string;
  address: string | null;
  port: number;
}

export interface ClusterMeshPrediction {
  cluster: string;
  endpoint: MeshEndpoint;
  /** Agents always dial the local clustermesh-apiserver when KVStoreMesh caches the peers. */
  agentsDial: string;
  connections: MeshConnection[];
  nodes: number;
  kvstoremeshReplicas: number;
  peers: number;
  globalServices: number;
  /** What `cilium clustermesh status --context <cluster>` should print once everything is up. */
  expectedStatus: string[];
}

/**
 * The connections of one cluster: with KVStoreMesh only its replicas dial the peers and the
 * agents read the local cache (chart: every cilium-clustermesh entry points at
 * clustermesh-apiserver.kube-system.svc:2379); without it every agent dials every peer.
 */
export function predictClusterMesh(platform: Platform, cluster: ClusterSpec, globalServices: number, endpoints?: ReadonlyMap<string, MeshEndpoint>): ClusterMeshPrediction {
  const { mesh } = platform.spec;
  const peers = platform.spec.clusters.filter((c) => c.name !== cluster.name);
  const kvstoremesh = mesh.kvstoremesh;
  const endpointOf = (c: ClusterSpec) => endpoints?.get(c.name) ?? meshEndpoint(platform, c);
  const endpoint = endpointOf(cluster);
  const connections = peers.map((p): MeshConnection => {
    const e = endpointOf(p);
    return { from: kvstoremesh ? 'kvstoremesh' : 'agents', peer: p.name, address: e.addresses[0] ?? null, port: e.port };
  });
  const replicas = kvstoremesh ? 1 : 0;
  const n = cluster.nodes.length;
  const k = peers.length;
  const avg = k.toFixed(1);
  const status = [
    `✅ Service "clustermesh-apiserver" of type "${mesh.apiserverService}" found`,
    '✅ Cluster access information is available:',
    // For a NodePort service cilium-cli shows the first node's address only.
    ...(mesh.apiserverService === 'NodePort' ? endpoint.addresses.slice(0, 1) : endpoint.addresses).map((a) => `  - ${a}:${endpoint.port}`),
    '✅ Deployment clustermesh-apiserver is ready',
    `ℹ️  KVStoreMesh is ${kvstoremesh ? 'enabled' : 'disabled'}`,
    '',
    `✅ All ${n} nodes are connected to all clusters [min:${k} / avg:${avg} / max:${k}]`,
    ...(kvstoremesh ? [`✅ All ${replicas} KVStoreMesh replicas are connected to all clusters [min:${k} / avg:${avg} / max:${k}]`] : []),
    '',
    '🔌 Cluster Connections:',
    ...peers.map((p) => `  - ${p.name}: ${n}/${n} configured, ${n}/${n} connected${kvstoremesh ? ` - KVStoreMesh: ${replicas}/${replicas} configured, ${replicas}/${replicas} connected` : ''}`),
    '',
    `🔀 Global services: [ min:${globalServices} / avg:${globalServices.toFixed(1)} / max:${globalServices} ]`,
  ];
  return {
    cluster: cluster.name,
    endpoint,
    agentsDial: kvstoremesh ? 'clustermesh-apiserver.kube-system.svc:2379 (local KVStoreMesh cache)' : `${peers.length} remote clustermesh-apiservers`,
    connections,
    nodes: n,
    kvstoremeshReplicas: replicas,
    peers: k,
    globalServices,
    expectedStatus: status,
  };
}
