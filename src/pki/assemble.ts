import 'reflect-metadata';
import { X509Certificate } from '@peculiar/x509';
import { certFacts } from './inspect.js';
import { CA_ID, type CertRequest, type LeafName } from './plan.js';
import { daysUntil } from './time.js';
import type { CertUsage, ClusterCerts, IssuedCert, MeshPki, StoredPair } from './types.js';

/** Where each state-folder certificate goes in ClusterCerts (the chart's tls.* values). */
const FIELD: Record<LeafName, keyof ClusterCerts> = {
  'clustermesh-server': 'clustermeshServer',
  'clustermesh-admin': 'clustermeshAdmin',
  'clustermesh-remote': 'clustermeshRemote',
  'clustermesh-local': 'clustermeshLocal',
  'hubble-server': 'hubbleServer',
  'hubble-relay-client': 'hubbleRelayClient',
};

/**
 * The MeshPki render consumes, read back from the reconciled state (the certificate is the
 * truth, not the request). Clusters in plan order.
 */
export function assemblePki(state: Record<string, StoredPair>, plan: CertRequest[]): MeshPki {
  const clusters: Record<string, ClusterCerts> = {};
  for (const req of plan) {
    // Only leaves name a cluster.
    if (!req.cluster || !req.name) continue;
    const certs = (clusters[req.cluster] ??= {});
    // reconcilePki put every planned id in the state, each one it issued or read back.
    certs[FIELD[req.name]] = issuedCert(req.id, state[req.id]!);
  }
  return { ca: issuedCert(CA_ID, state[CA_ID]!), clusters };
}

function issuedCert(id: string, pair: StoredPair): IssuedCert {
  // Parsed before (reused) or just made (issued): a throw here is a bug, and exits as one.
  const f = certFacts(new X509Certificate(pair.certPem));
  return {
    id,
    cert: pair.certPem,
    key: pair.keyPem,
    commonName: f.commonName,
    dnsNames: f.dnsNames,
    ipAddresses: f.ipAddresses,
    usages: f.usages,
    notBefore: f.notBefore.toISOString(),
    notAfter: f.notAfter.toISOString(),
  };
}

/** A certificate's public facts (never its key), for `render` to print as a table or as data. */
export interface CertificateRow {
  id: string;
  commonName: string;
  dnsNames: string[];
  ipAddresses: string[];
  usages: CertUsage[];
  /** ISO 8601 UTC. */
  notBefore: string;
  notAfter: string;
  /** Whole days from `now`; negative once expired. */
  daysLeft: number;
}

/** Every certificate with its expiry, CA first, for `render` to print. */
export function certificateSummary(pki: MeshPki, now: Date): CertificateRow[] {
  const all = [pki.ca, ...Object.values(pki.clusters).flatMap((c) => Object.values(c))];
  return all.map((c) => ({
    id: c.id,
    commonName: c.commonName,
    dnsNames: c.dnsNames,
    ipAddresses: c.ipAddresses,
    usages: c.usages,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    daysLeft: daysUntil(new Date(c.notAfter), now),
  }));
}
