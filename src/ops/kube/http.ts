import * as http from 'node:http';
import * as https from 'node:https';

/**
 * What a plain GET to one cluster's API needs: its server and TLS/auth request options. Both the
 * full client-node client and the light endpoint (kube/endpoint.ts) are one, so the reads a no-op
 * apply makes (/version, kube-system, cilium-config) do not load client-node (826 modules, most of
 * a CLI run's start-up).
 */
export interface ApiEndpoint {
  cluster: string;
  context: string;
  server: string;
  /** Keep-alive connections for getJson's reads, closed by `close`. */
  agent: https.Agent;
  /** TLS and credentials for a request (certificates, token), as client-node's applyToHTTPSOptions fills them. */
  requestOptions(): Promise<https.RequestOptions>;
  close(): void;
}

/** The status code of a client-node ApiException or of getJson's error (undefined for a transport error). */
export function statusOf(err: unknown): number | undefined {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

/** The API's Status in a client-node ApiException's body (a string or parsed), when it holds one. */
export function apiStatusOf(err: unknown): { reason?: string; message?: string } | undefined {
  const body = (err as { body?: unknown }).body;
  if (typeof body !== 'string') return body && typeof body === 'object' ? (body as { reason?: string; message?: string }) : undefined;
  try {
    return JSON.parse(body) as { reason?: string; message?: string };
  } catch {
    return undefined;
  }
}

/** apimachinery errors.IsNotFound, as apply needs it: the reason, else the code (runtime anchors #9). */
export function isNotFound(err: unknown): boolean {
  const reason = apiStatusOf(err)?.reason;
  return reason === 'NotFound' || (reason === undefined && statusOf(err) === 404);
}

/** GET a path of the API as JSON (lists of any group, CRDs included), without discovery; undefined on 404. */
export async function getJson(c: ApiEndpoint, path: string): Promise<any> {
  const url = new URL(c.server + path);
  const opts: https.RequestOptions = { ...(await c.requestOptions()), method: 'GET', host: url.hostname, port: url.port, path: url.pathname + url.search };
  opts.headers = { ...(opts.headers ?? {}), Accept: 'application/json' };
  // a plain-HTTP server (kubectl allows one) gets node's default agent; TLS ones the keep-alive agent
  const plain = url.protocol === 'http:';
  if (!plain) opts.agent = c.agent;
  const res = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = (plain ? http.request : https.request)(opts, (r) => {
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

/** The API server's /version (gitVersion says whether it is a meshwright lab: `+meshwright-lab`). */
export async function serverVersion(c: ApiEndpoint): Promise<{ gitVersion: string }> {
  const v = await getJson(c, '/version');
  return { gitVersion: String(v?.gitVersion ?? '') };
}

export const isLabVersion = (gitVersion: string): boolean => gitVersion.includes('+meshwright-lab');

/**
 * What identifies a cluster across runs: the kube-system namespace's UID (the cluster ID
 * Kubernetes tooling conventionally uses). A lab reset or a rebuilt cluster gets a new one, so
 * journal entries of the old cluster no longer count.
 */
export async function clusterUid(c: ApiEndpoint): Promise<string> {
  const ns = await getJson(c, '/api/v1/namespaces/kube-system');
  return String(ns?.metadata?.uid ?? '');
}
