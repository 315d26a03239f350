import type { ClusterSpec, Platform } from '../spec/index.js';
import { meshEndpoint, type MeshEndpoint } from './mesh-endpoints.js';

export interface MeshConnection {
  /** Who dials: the agents of every node, or the KVStoreMesh replicas. */
  from: 'agents' | 'kvstoremesh';
  peer: string;
  address: string | null;
  port: number;
  /** The peer is down (what-if): configured, but not connected. */
  connected: boolean;
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
  /** The cluster itself is down (what-if): nothing answers `cilium clustermesh status` there. */
  down?: true;
  /** What `cilium clustermesh status --context <cluster>` should print once everything is up. */
  expectedStatus: string[];
}

export interface MeshScenario {
  /** Clusters that are down (what-if). */
  down?: ReadonlySet<string>;
  endpoints?: ReadonlyMap<string, MeshEndpoint>;
}

/**
 * The connections of one cluster: with KVStoreMesh only its replicas dial the peers and the
 * agents read the local cache (chart: every cilium-clustermesh entry points at
 * clustermesh-apiserver.kube-system.svc:2379); without it every agent dials every peer.
 * The status lines follow cilium-cli's clustermesh.go (outputConnectivityStatus,
 * parseAgentStatus): a pod counts the peers it is connected to, and a pod missing any is
 * "not connected to all clusters"; the errors section has one entry per such pod.
 */
export function predictClusterMesh(platform: Platform, cluster: ClusterSpec, globalServices: number, scenario: MeshScenario = {}): ClusterMeshPrediction {
  const { mesh } = platform.spec;
  const down = scenario.down ?? new Set<string>();
  const peers = platform.spec.clusters.filter((c) => c.name !== cluster.name);
  const kvstoremesh = mesh.kvstoremesh;
  const endpointOf = (c: ClusterSpec) => scenario.endpoints?.get(c.name) ?? meshEndpoint(platform, c);
  const endpoint = endpointOf(cluster);
  const connections = peers.map((p): MeshConnection => {
    const e = endpointOf(p);
    return { from: kvstoremesh ? 'kvstoremesh' : 'agents', peer: p.name, address: e.addresses[0] ?? null, port: e.port, connected: !down.has(p.name) };
  });
  const prediction = {
    cluster: cluster.name,
    endpoint,
    agentsDial: kvstoremesh ? 'clustermesh-apiserver.kube-system.svc:2379 (local KVStoreMesh cache)' : `${peers.length} remote clustermesh-apiservers`,
    connections,
    nodes: cluster.nodes.length,
    kvstoremeshReplicas: kvstoremesh ? 1 : 0,
    peers: peers.length,
    globalServices,
  };
  if (down.has(cluster.name)) return { ...prediction, down: true, expectedStatus: [] };
  return { ...prediction, expectedStatus: statusLines(platform, cluster, endpoint, connections, globalServices) };
}

function statusLines(platform: Platform, cluster: ClusterSpec, endpoint: MeshEndpoint, connections: MeshConnection[], globalServices: number): string[] {
  const { mesh } = platform.spec;
  const kvstoremesh = mesh.kvstoremesh;
  const n = cluster.nodes.length;
  const k = connections.length;
  const lost = connections.filter((c) => !c.connected).map((c) => c.peer);
  // With KVStoreMesh the agents read its cache, which keeps a lost peer's last state: only the
  // KVStoreMesh replica sees the peer go. Without it, every agent does.
  const agentsReady = kvstoremesh ? k : k - lost.length;
  const replicas = kvstoremesh ? 1 : 0;
  const readyLine = (total: number, what: string, ready: number) =>
    ready === k ? `✅ All ${total} ${what} are connected to all clusters [min:${k} / avg:${k.toFixed(1)} / max:${k}]` : `⚠️  ${total}/${total} ${what} are not connected to all clusters [min:${ready} / avg:${ready.toFixed(1)} / max:${ready}]`;
  const connectionLine = (c: MeshConnection) => {
    const agents = `${n}/${n} configured, ${kvstoremesh || c.connected ? n : 0}/${n} connected`;
    return `  - ${c.peer}: ${agents}${kvstoremesh ? ` - KVStoreMesh: ${replicas}/${replicas} configured, ${c.connected ? replicas : 0}/${replicas} connected` : ''}`;
  };
  return [
    `✅ Service "clustermesh-apiserver" of type "${mesh.apiserverService}" found`,
    '✅ Cluster access information is available:',
    // For a NodePort service cilium-cli shows the first node's address only.
    ...(mesh.apiserverService === 'NodePort' ? endpoint.addresses.slice(0, 1) : endpoint.addresses).map((a) => `  - ${a}:${endpoint.port}`),
    '✅ Deployment clustermesh-apiserver is ready',
    `ℹ️  KVStoreMesh is ${kvstoremesh ? 'enabled' : 'disabled'}`,
    '',
    readyLine(n, 'nodes', agentsReady),
    ...(kvstoremesh ? [readyLine(replicas, 'KVStoreMesh replicas', k - lost.length)] : []),
    '',
    '🔌 Cluster Connections:',
    ...[...connections].sort((a, b) => (a.peer < b.peer ? -1 : a.peer > b.peer ? 1 : 0)).map(connectionLine),
    '',
    `🔀 Global services: [ min:${globalServices} / avg:${globalServices.toFixed(1)} / max:${globalServices} ]`,
    ...(lost.length ? ['', ...errorLines(lost, kvstoremesh ? 1 : n, kvstoremesh)] : []),
  ];
}

/**
 * cilium-cli's errors section: "❌ N Errors:" (N pods), then per pod and lost peer the error and
 * how to investigate. Pod names and the etcd error text are only known on the day: shown as <…>.
 */
function errorLines(lost: string[], pods: number, kvstoremesh: boolean): string[] {
  const pod = kvstoremesh ? 'clustermesh-apiserver-<pod>' : 'cilium-<pod>';
  const debug = kvstoremesh ? '-c kvstoremesh -- /usr/bin/clustermesh-apiserver kvstoremesh-dbg troubleshoot' : '-c cilium-agent -- cilium-dbg troubleshoot clustermesh';
  const perPod = lost.flatMap((c) => [`  ❌ ${pod} is not connected to cluster ${c}: <etcd status>`, `     💡 Run 'kubectl exec -it -n kube-system ${pod} ${debug} ${c}' to investigate the cause`]);
  return [`❌ ${pods} Errors:`, ...(kvstoremesh ? perPod : Array.from({ length: pods }, () => perPod).flat())];
}
