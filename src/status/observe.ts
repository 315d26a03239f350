import { getJson, isLabVersion, readAgentStatus, readKvstoremeshStatus, serverVersion, type AgentStatus, type ClusterClient, type KvstoremeshStatus } from '../ops/kube/index.js';

const NS = 'kube-system';

/** The kube-system Secrets whose certificates status shows (helm method names, cilium-mesh.md §1.7). */
export const CERT_SECRETS = ['cilium-ca', 'clustermesh-apiserver-server-cert', 'clustermesh-apiserver-remote-cert', 'clustermesh-apiserver-admin-cert', 'clustermesh-apiserver-local-cert'] as const;

/** Only public PEMs leave observe: a Secret's tls.key is dropped the moment it is read. */
export interface PublicCerts {
  'ca.crt'?: string;
  'tls.crt'?: string;
}

/** Everything read from one cluster, before any judgement (status is built from it, purely). */
export interface ClusterObservation {
  name: string;
  context: string;
  server: string;
  reachable: boolean;
  error?: string;
  version: string;
  nodes: any[];
  workloads: Record<'cilium' | 'cilium-envoy' | 'cilium-operator' | 'clustermesh-apiserver', any | undefined>;
  apiserverPods: any[];
  /** Helm release Secrets (owner=helm), all namespaces, data.release kept (no key material in it). */
  helmSecrets: any[];
  /** Remote clusters named by cilium-clustermesh / cilium-kvstoremesh (keys whose value holds `endpoints:`); undefined when the Secret is absent. */
  clustermeshConfig?: string[];
  kvstoremeshConfig?: string[];
  certs: Partial<Record<(typeof CERT_SECRETS)[number], PublicCerts>>;
  agents: AgentStatus[];
  kvstoremesh: KvstoremeshStatus[];
  /** Commands that failed in a pod: `pod/container: message`. */
  execErrors: string[];
}

/** Reads one cluster: the objects, then Cilium's own answers through exec, all reads in parallel. */
export async function observeCluster(c: ClusterClient): Promise<ClusterObservation> {
  const server = c.kc.getCurrentCluster()?.server ?? '';
  const base = { name: c.cluster, context: c.context, server };
  let version: string;
  try {
    version = (await serverVersion(c)).gitVersion;
  } catch (err) {
    return { ...base, ...EMPTY, reachable: false, error: (err as Error).message || String(err), version: '' };
  }
  const get = (path: string) => getJson(c, path);
  const [nodes, ds, envoy, operator, apiserver, agentPods, apiserverPods, helm, meshSecret, kvSecret, ...certSecrets] = await Promise.all([
    get('/api/v1/nodes'),
    get(`/apis/apps/v1/namespaces/${NS}/daemonsets/cilium`),
    get(`/apis/apps/v1/namespaces/${NS}/daemonsets/cilium-envoy`),
    get(`/apis/apps/v1/namespaces/${NS}/deployments/cilium-operator`),
    get(`/apis/apps/v1/namespaces/${NS}/deployments/clustermesh-apiserver`),
    get(`/api/v1/namespaces/${NS}/pods?labelSelector=${encodeURIComponent('k8s-app=cilium')}`),
    get(`/api/v1/namespaces/${NS}/pods?labelSelector=${encodeURIComponent('k8s-app=clustermesh-apiserver')}`),
    get(`/api/v1/secrets?labelSelector=${encodeURIComponent('owner=helm')}`),
    get(`/api/v1/namespaces/${NS}/secrets/cilium-clustermesh`),
    get(`/api/v1/namespaces/${NS}/secrets/cilium-kvstoremesh`),
    ...CERT_SECRETS.map((s) => get(`/api/v1/namespaces/${NS}/secrets/${s}`)),
  ]);
  const execErrors: string[] = [];
  const running = (pods: any, container: string) => ((pods?.items ?? []) as any[]).filter((p) => p.status?.phase === 'Running' && (p.status?.containerStatuses ?? []).some((s: any) => s.name === container && s.ready));
  const agents = await settle(
    running(agentPods, 'cilium-agent').map((p) => readAgentStatus(c, { name: p.metadata.name, node: p.spec?.nodeName ?? '' })),
    (i, e) => execErrors.push(`${running(agentPods, 'cilium-agent')[i].metadata.name}/cilium-agent: ${e}`),
  );
  const kvPods = running(apiserverPods, 'kvstoremesh');
  const kvstoremesh = await settle(
    kvPods.map((p) => readKvstoremeshStatus(c, p.metadata.name)),
    (i, e) => execErrors.push(`${kvPods[i].metadata.name}/kvstoremesh: ${e}`),
  );
  const certs: ClusterObservation['certs'] = {};
  CERT_SECRETS.forEach((name, i) => {
    const d = certSecrets[i]?.data as Record<string, string> | undefined;
    if (!d) return;
    const pem = (k: 'ca.crt' | 'tls.crt') => (d[k] ? { [k]: Buffer.from(d[k], 'base64').toString() } : {});
    certs[name] = { ...pem('ca.crt'), ...pem('tls.crt') };
  });
  return {
    ...base,
    reachable: true,
    version,
    nodes: nodes?.items ?? [],
    workloads: { cilium: ds, 'cilium-envoy': envoy, 'cilium-operator': operator, 'clustermesh-apiserver': apiserver },
    apiserverPods: apiserverPods?.items ?? [],
    helmSecrets: helm?.items ?? [],
    ...(meshSecret ? { clustermeshConfig: peerKeys(meshSecret) } : {}),
    ...(kvSecret ? { kvstoremeshConfig: peerKeys(kvSecret) } : {}),
    certs,
    agents,
    kvstoremesh,
    execErrors,
  };
}

export const labObservation = (o: ClusterObservation): boolean => isLabVersion(o.version);

const EMPTY = { nodes: [], workloads: { cilium: undefined, 'cilium-envoy': undefined, 'cilium-operator': undefined, 'clustermesh-apiserver': undefined }, apiserverPods: [], helmSecrets: [], certs: {}, agents: [], kvstoremesh: [], execErrors: [] };

/**
 * The peers an etcd-config Secret names: keys whose value holds `endpoints:` (cilium-cli
 * clustermesh.go reads cilium-clustermesh so; degraded-mode keys like `<name>.etcd-client.key`
 * are certificate files, not peers, and are never decoded past that test).
 */
function peerKeys(secret: any): string[] {
  return Object.entries<string>(secret?.data ?? {})
    .filter(([, v]) => Buffer.from(v, 'base64').toString().includes('endpoints:'))
    .map(([k]) => k)
    .sort();
}

async function settle<T>(promises: Array<Promise<T>>, onError: (index: number, message: string) => void): Promise<T[]> {
  const results = await Promise.allSettled(promises);
  const out: T[] = [];
  results.forEach((r, i) => (r.status === 'fulfilled' ? out.push(r.value) : onError(i, r.reason instanceof Error ? r.reason.message : String(r.reason))));
  return out;
}
