import { stringify } from 'yaml';
import type { LabPki } from './pki.js';

/**
 * The lab's kubeconfig: one cluster, user and context per simulated cluster, each named after
 * the cluster (the names `apply` and the README use), the lab CA and client certificate inline.
 */
export function labKubeconfig(clusters: Array<{ name: string; port: number }>, pki: LabPki): string {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    'current-context': clusters[0]?.name ?? '',
    clusters: clusters.map((c) => ({ name: c.name, cluster: { server: `https://127.0.0.1:${c.port}`, 'certificate-authority-data': b64(pki.caPem) } })),
    users: clusters.map((c) => ({ name: c.name, user: { 'client-certificate-data': b64(pki.clientCertPem), 'client-key-data': b64(pki.clientKeyPem) } })),
    contexts: clusters.map((c) => ({ name: c.name, context: { cluster: c.name, user: c.name } })),
  };
  return `# meshwright lab kubeconfig: every cluster here is SIMULATED on 127.0.0.1 (meshwright lab status)\n${stringify(doc)}`;
}
