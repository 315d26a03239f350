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
  const r = await execCommand(c, namespace, pod, container, command, timeoutMs);
  if (r.exitCode !== 0) throw new Error(`${command.join(' ')} in ${namespace}/${pod}: ${(r.stderr || r.message || 'failed').trim()}`);
  return r.stdout;
}

export interface ExecOutcome {
  stdout: string;
  stderr: string;
  /** The command's exit code: 0 on Success, else the ExitCode cause of the error channel's Status (1 when it names none). */
  exitCode: number;
  /** The Status message when it was not a Success. */
  message?: string;
}

/**
 * A command run through the API's exec, its output and exit code whatever the code (a probe's
 * curl exits non-zero for a denied request). The exit code is the one the kubelet puts on the
 * error channel (a NonZeroExitCode Status with an ExitCode cause), as kubectl reads it.
 */
export async function execCommand(c: ClusterClient, namespace: string, pod: string, container: string, command: string[], timeoutMs = 15_000): Promise<ExecOutcome> {
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
  return new Promise<ExecOutcome>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`exec ${command.join(' ')} in ${namespace}/${pod} gave no answer within ${timeoutMs / 1000}s`)), timeoutMs);
    let status: K8s.V1Status | undefined;
    exec
      .exec(namespace, pod, container, command, sink((s) => (out += s)), sink((s) => (err += s)), null, false, (s) => (status = s))
      .then((ws) => {
        ws.on('close', () => {
          clearTimeout(timer);
          if (!status || status.status === 'Success') return resolve({ stdout: out, stderr: err, exitCode: 0 });
          const cause = status.details?.causes?.find((x) => x.reason === 'ExitCode')?.message;
          resolve({ stdout: out, stderr: err, exitCode: cause !== undefined && /^\d+$/.test(cause) ? Number(cause) : 1, message: status.message ?? '' });
        });
      })
      .catch((e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      });
  });
}
