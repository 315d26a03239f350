import * as https from 'node:https';
import * as k8s from '@kubernetes/client-node';

/** One cluster as apply reaches it: a kubeconfig file and the context named after the cluster (or --context). */
export interface ClusterClient {
  cluster: string;
  context: string;
  kc: k8s.KubeConfig;
  objects: k8s.KubernetesObjectApi;
  core: k8s.CoreV1Api;
  /** Keep-alive connections for getJson's reads, closed by `close`. */
  agent: https.Agent;
  close(): void;
}

export function clusterClient(kubeconfig: string, cluster: string, context: string): ClusterClient {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfig);
  if (!kc.getContextObject(context)) throw new MissingContext(cluster, context, kubeconfig);
  kc.setCurrentContext(context);
  const agent = new https.Agent({ keepAlive: true, maxSockets: 4 });
  return { cluster, context, kc, objects: k8s.KubernetesObjectApi.makeApiClient(kc), core: kc.makeApiClient(k8s.CoreV1Api), agent, close: () => agent.destroy() };
}

export class MissingContext extends Error {
  constructor(
    readonly cluster: string,
    readonly context: string,
    readonly kubeconfig: string,
  ) {
    super(`${kubeconfig} has no context ${context} for cluster ${cluster}`);
  }
}

/** The API server's /version (gitVersion says whether it is a meshwright lab: `+meshwright-lab`). */
export async function serverVersion(c: ClusterClient): Promise<{ gitVersion: string }> {
  const v = await c.kc.makeApiClient(k8s.VersionApi).getCode();
  return { gitVersion: v.gitVersion };
}

export const isLabVersion = (gitVersion: string): boolean => gitVersion.includes('+meshwright-lab');

/**
 * What identifies a cluster across runs: the kube-system namespace's UID (the cluster ID
 * Kubernetes tooling conventionally uses). A lab reset or a rebuilt cluster gets a new one, so
 * journal entries of the old cluster no longer count.
 */
export async function clusterUid(c: ClusterClient): Promise<string> {
  const ns = await c.core.readNamespace({ name: 'kube-system' });
  return ns.metadata?.uid ?? '';
}

/** The status code of a client-node ApiException (or undefined for a transport error). */
export function statusOf(err: unknown): number | undefined {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

/** apimachinery errors.IsNotFound, as apply needs it: the reason, else the code (runtime anchors #9). */
export function isNotFound(err: unknown): boolean {
  const body = (err as { body?: unknown }).body;
  const reason = typeof body === 'string' ? safeReason(body) : (body as { reason?: string } | undefined)?.reason;
  return reason === 'NotFound' || (reason === undefined && statusOf(err) === 404);
}

function safeReason(text: string): string | undefined {
  try {
    return (JSON.parse(text) as { reason?: string }).reason;
  } catch {
    return undefined;
  }
}

/** GET a path of the API as JSON (lists of any group, CRDs included), without discovery; undefined on 404. */
export async function getJson(c: ClusterClient, path: string): Promise<any> {
  const cluster = c.kc.getCurrentCluster();
  if (!cluster) throw new Error(`context ${c.context} has no cluster`);
  const url = new URL(cluster.server + path);
  const opts: https.RequestOptions = { method: 'GET', host: url.hostname, port: url.port, path: url.pathname + url.search, headers: { Accept: 'application/json' } };
  await c.kc.applyToHTTPSOptions(opts);
  opts.agent = c.agent;
  const res = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = https.request(opts, (r) => {
      let text = '';
      r.setEncoding('utf8');
      r.on('data', (chunk: string) => (text += chunk));
      r.on('end', () => resolve({ status: r.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end();
  });
  if (res.status === 404) return undefined;
  if (res.status >= 300) throw Object.assign(new Error(`GET ${path}: HTTP ${res.status} ${res.text.slice(0, 200)}`), { code: res.status });
  return JSON.parse(res.text);
}
