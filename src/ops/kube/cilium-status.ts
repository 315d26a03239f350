import { Writable } from 'node:stream';
import type * as K8s from '@kubernetes/client-node';
import type { ClusterClient } from './client.js';

/**
 * What an agent says of itself and of the mesh: `cilium-dbg status -o json` run in the
 * cilium-agent container, read through exec (the reader `status` reuses). Fields are Cilium's
 * models.StatusResponse (api/v1/models/status_response.go, cluster-mesh = models.ClusterMeshStatus,
 * clusters = []models.RemoteCluster with name, ready, connected, status).
 */
export interface AgentStatus {
  cluster: string;
  pod: string;
  node: string;
  /** `cilium.state` ("Ok" when the agent is healthy). */
  state: string;
  /** `kube-proxy-replacement.mode` ("True", "False"; models.KubeProxyReplacement). */
  kubeProxyReplacement?: string;
  /** `encryption.mode` ("Disabled", "IPsec", "Wireguard"; models.EncryptionStatus). */
  encryption?: string;
  /** `hubble.state` ("Ok", "Warning", "Failure", "Disabled"); absent when Hubble is off. */
  hubble?: string;
  /** Absent when the agent has no mesh configuration (cilium-clustermesh Secret). */
  clusterMesh?: { clusters: RemoteCluster[]; globalServices: number };
}

export interface RemoteCluster {
  name: string;
  ready: boolean;
  connected: boolean;
  status: string;
}

const STATUS_COMMAND = ['cilium-dbg', 'status', '-o', 'json'];

/** Runs `cilium-dbg status -o json` in one agent pod. */
export async function readAgentStatus(c: ClusterClient, pod: { name: string; node: string }, namespace = 'kube-system'): Promise<AgentStatus> {
  const text = await execText(c, namespace, pod.name, 'cilium-agent', STATUS_COMMAND);
  return parseAgentStatus(c.cluster, pod, JSON.parse(text) as Record<string, any>);
}

export function parseAgentStatus(cluster: string, pod: { name: string; node: string }, sr: Record<string, any>): AgentStatus {
  const mesh = sr['cluster-mesh'] as { clusters?: Array<Record<string, any>>; 'num-global-services'?: number } | undefined;
  return {
    cluster,
    pod: pod.name,
    node: pod.node,
    state: String(sr.cilium?.state ?? 'unknown'),
    ...(sr['kube-proxy-replacement']?.mode !== undefined ? { kubeProxyReplacement: String(sr['kube-proxy-replacement'].mode) } : {}),
    ...(sr.encryption?.mode !== undefined ? { encryption: String(sr.encryption.mode) } : {}),
    ...(sr.hubble?.state !== undefined ? { hubble: String(sr.hubble.state) } : {}),
    ...(mesh
      ? {
          clusterMesh: {
            clusters: (mesh.clusters ?? []).map((r) => ({ name: String(r.name ?? ''), ready: r.ready === true, connected: r.connected === true, status: String(r.status ?? '') })),
            globalServices: Number(mesh['num-global-services'] ?? 0),
          },
        }
      : {}),
  };
}

/** Peers an agent does not report connected and ready (cilium-cli's `clustermesh status` criterion). */
export function unconnectedPeers(status: AgentStatus, peers: readonly string[]): string[] {
  const seen = new Map((status.clusterMesh?.clusters ?? []).map((r) => [r.name, r]));
  return peers.filter((p) => {
    const r = seen.get(p);
    return !r || !r.ready || !r.connected;
  });
}

/** stdout of a command run through the API's exec (WebSocket, as kubectl ≥ 1.30); fails on a non-zero exit. */
export async function execText(c: ClusterClient, namespace: string, pod: string, container: string, command: string[], timeoutMs = 15_000): Promise<string> {
  let out = '';
  let err = '';
  const sink = (add: (s: string) => void) =>
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        add(chunk.toString());
        cb();
      },
    });
  const k8s: typeof K8s = await import('@kubernetes/client-node');
  const exec = new k8s.Exec(c.kc);
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`exec ${command.join(' ')} in ${namespace}/${pod} gave no answer within ${timeoutMs / 1000}s`)), timeoutMs);
    let status: K8s.V1Status | undefined;
    exec
      .exec(namespace, pod, container, command, sink((s) => (out += s)), sink((s) => (err += s)), null, false, (s) => (status = s))
      .then((ws) => {
        ws.on('close', () => {
          clearTimeout(timer);
          if (status && status.status !== 'Success') reject(new Error(`${command.join(' ')} in ${namespace}/${pod}: ${(err || status.message || 'failed').trim()}`));
          else resolve(out);
        });
      })
      .catch((e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      });
  });
}
