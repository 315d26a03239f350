import { webcrypto } from 'node:crypto';
import type { Obj } from '../store/log-store.js';

/** The clustermesh Secrets whose certificates the drill replaces (helm method names, cilium-mesh.md §1.7). */
export const CLUSTERMESH_SECRETS = ['clustermesh-apiserver-server-cert', 'clustermesh-apiserver-remote-cert', 'clustermesh-apiserver-admin-cert', 'clustermesh-apiserver-local-cert'] as const;

const b64 = (s: string) => Buffer.from(s).toString('base64');

/**
 * New data for a cluster's clustermesh Secrets, every certificate from a CA made just now: what a
 * cluster installed with its own "Cilium CA" holds (the chart's genCA when tls.ca is not shared;
 * cilium-cli's "Cilium CA certificates do not match between clusters"). The names and usages are
 * the chart's: server CN clustermesh-apiserver.cilium.io with *.mesh.cilium.io; remote, admin-,
 * local- client certificates.
 */
export async function foreignCaSecrets(cluster: string, now: Date): Promise<Record<string, Obj['data']>> {
  // loaded only for the drill: @peculiar/x509 costs a second of start-up
  const { currentCa, issueCertificate } = await import('../../pki/index.js');
  const crypto = webcrypto as unknown as Crypto;
  const ca = await currentCa(undefined, { id: 'ca', kind: 'ca', commonName: `another Cilium CA (lab fault drill on ${cluster})`, dnsNames: [], ipAddresses: [], usages: [], lifetimeDays: 1095 }, { now, crypto });
  const leaves: Record<(typeof CLUSTERMESH_SECRETS)[number], { cn: string; dns: string[]; ips: string[]; usages: Array<'server' | 'client'> }> = {
    'clustermesh-apiserver-server-cert': { cn: 'clustermesh-apiserver.cilium.io', dns: ['clustermesh-apiserver.cilium.io', '*.mesh.cilium.io', 'clustermesh-apiserver.kube-system.svc'], ips: ['127.0.0.1'], usages: ['server', 'client'] },
    'clustermesh-apiserver-remote-cert': { cn: 'remote', dns: [], ips: [], usages: ['client'] },
    'clustermesh-apiserver-admin-cert': { cn: `admin-${cluster}`, dns: ['localhost'], ips: [], usages: ['client'] },
    'clustermesh-apiserver-local-cert': { cn: `local-${cluster}`, dns: [], ips: [], usages: ['client'] },
  };
  const out: Record<string, Obj['data']> = {};
  for (const [secret, l] of Object.entries(leaves)) {
    const leaf = await issueCertificate({ id: `${cluster}/${secret}`, kind: 'leaf', commonName: l.cn, dnsNames: l.dns, ipAddresses: l.ips, usages: l.usages, lifetimeDays: 1095 }, { now, crypto, issuer: ca.signer });
    out[secret] = { 'ca.crt': b64(ca.pair.certPem), 'tls.crt': b64(leaf.certPem), 'tls.key': b64(leaf.keyPem) };
  }
  return out;
}
