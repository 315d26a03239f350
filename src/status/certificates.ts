import { X509Certificate } from 'node:crypto';
import type { CertificateStatus } from './document.js';
import type { ClusterObservation } from './observe.js';

const DAY_MS = 86_400_000;

/** The public facts of one certificate PEM (node's X509Certificate; nothing private is ever parsed). */
export function certificateFacts(pem: string, now: Date): { cert: X509Certificate; subject: string; issuer: string; notAfter: string; daysLeft: number; sha256: string } | undefined {
  try {
    const cert = new X509Certificate(pem);
    const notAfter = new Date(cert.validTo);
    return { cert, subject: oneLine(cert.subject), issuer: oneLine(cert.issuer), notAfter: notAfter.toISOString().replace('.000Z', 'Z'), daysLeft: Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS), sha256: cert.fingerprint256 };
  } catch {
    return undefined;
  }
}

/** "CN=x\nO=y" (node's form) as "CN=x, O=y". */
const oneLine = (dn: string): string => dn.split('\n').filter(Boolean).join(', ');

/**
 * The mesh certificates of one cluster: each Secret's ca.crt and tls.crt with their expiry. A leaf
 * is trusted when its own Secret's ca.crt issued it; a CA when it is the platform's mesh CA (the
 * state folder's ca.crt, cilium-cli's validateCAMatch compares the CAs of two clusters the same
 * way), or, with no mesh CA known, always.
 */
export function clusterCertificates(o: ClusterObservation, meshCa: X509Certificate | undefined, now: Date): CertificateStatus[] {
  const out: CertificateStatus[] = [];
  for (const [secret, pems] of Object.entries(o.certs)) {
    const ca = pems['ca.crt'] ? certificateFacts(pems['ca.crt'], now) : undefined;
    if (ca) out.push({ secret, key: 'ca.crt', subject: ca.subject, issuer: ca.issuer, notAfter: ca.notAfter, daysLeft: ca.daysLeft, trusted: meshCa ? ca.sha256 === meshCa.fingerprint256 : true, sha256: ca.sha256 });
    const leaf = pems['tls.crt'] ? certificateFacts(pems['tls.crt'], now) : undefined;
    if (leaf) out.push({ secret, key: 'tls.crt', subject: leaf.subject, issuer: leaf.issuer, notAfter: leaf.notAfter, daysLeft: leaf.daysLeft, trusted: Boolean(ca && issuedBy(leaf.cert, ca.cert)), sha256: leaf.sha256 });
  }
  return out.sort((a, b) => a.secret.localeCompare(b.secret) || a.key.localeCompare(b.key));
}

function issuedBy(leaf: X509Certificate, ca: X509Certificate): boolean {
  try {
    return leaf.checkIssued(ca) && leaf.verify(ca.publicKey);
  } catch {
    return false;
  }
}

/** What is wrong with a cluster's certificates, one line each (Secrets that share a foreign CA on one line). */
export function certificateProblems(certs: CertificateStatus[]): string[] {
  const out: string[] = [];
  for (const c of certs) {
    const what = `${c.secret} ${c.key}`;
    if (c.daysLeft < 0) out.push(`${what} expired on ${c.notAfter}`);
    else if (c.daysLeft < 30) out.push(`${what} expires in ${c.daysLeft} days (${c.notAfter})`);
    if (!c.trusted && c.key === 'tls.crt') out.push(`${what} is not issued by the ca.crt beside it (issuer ${c.issuer})`);
  }
  const foreign = new Map<string, CertificateStatus[]>();
  for (const c of certs.filter((x) => x.key === 'ca.crt' && !x.trusted)) foreign.set(c.sha256, [...(foreign.get(c.sha256) ?? []), c]);
  for (const group of foreign.values()) {
    const ca = group[0]!;
    out.push(`${group.map((c) => c.secret).join(', ')}: certificates from another CA (${ca.subject}, sha256 ${ca.sha256.slice(0, 11)}…), not the platform's mesh CA — peers refuse them ("CA certificates do not match"); hint: reinstall with the mesh CA (meshwright apply)`);
  }
  return out;
}
