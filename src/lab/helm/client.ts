import { request } from 'node:https';
import type { LabPki } from '../pki.js';

export interface ApiResponse {
  status: number;
  body: any;
}

/** JSON over HTTPS to one lab API server, with the lab's client certificate (127.0.0.1 only). */
export function labRequest(port: number, pki: LabPki, method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<ApiResponse> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const req = request(
      { host: '127.0.0.1', port, path, method, ca: pki.caPem, cert: pki.clientCertPem, key: pki.clientKeyPem, headers: { Accept: 'application/json', 'User-Agent': 'helm/v3.16.4 (meshwright lab)', ...(data !== undefined ? { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(data) } : {}) } },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
          } catch (err) {
            reject(err as Error);
          }
        });
      },
    );
    req.on('error', reject);
    if (data !== undefined) req.write(data);
    req.end();
  });
}

const RESOURCES: Record<string, { path: string; namespaced: boolean }> = {
  'v1/ConfigMap': { path: '/api/v1', namespaced: true },
  'v1/Secret': { path: '/api/v1', namespaced: true },
  'v1/Service': { path: '/api/v1', namespaced: true },
  'v1/ServiceAccount': { path: '/api/v1', namespaced: true },
  'v1/Namespace': { path: '/api/v1', namespaced: false },
  'apps/v1/Deployment': { path: '/apis/apps/v1', namespaced: true },
  'apps/v1/DaemonSet': { path: '/apis/apps/v1', namespaced: true },
  'networking.k8s.io/v1/IngressClass': { path: '/apis/networking.k8s.io/v1', namespaced: false },
};

/** The REST path of an object of the kinds the lab's charts make. */
export function objectPath(o: Record<string, any>, withName = true): string {
  const r = RESOURCES[`${o.apiVersion}/${o.kind}`];
  if (!r) throw new Error(`the lab's helm does not know ${o.apiVersion} ${o.kind}`);
  const plural = `${o.kind.toLowerCase()}${o.kind.endsWith('s') ? 'es' : 's'}`.replace(/ys$/, 'ies').replace(/sss$/, 'sses');
  const resource = o.kind === 'IngressClass' ? 'ingressclasses' : plural;
  return `${r.path}${r.namespaced ? `/namespaces/${o.metadata.namespace}` : ''}/${resource}${withName ? `/${o.metadata.name}` : ''}`;
}
