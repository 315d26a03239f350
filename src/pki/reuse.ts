import { canonicalIP, certFacts, importPrivateKey, keyMatches, parseCertificate, signedBy, type CertFacts } from './inspect.js';
import type { Signer } from './issue.js';
import type { CertRequest } from './plan.js';
import type { StoredPair } from './types.js';
import { DAY_MS, daysUntil } from './time.js';
import type { WebCrypto } from './web-crypto.js';

/** Renew a month ahead at the latest: time to roll the new values out to every cluster. */
const MIN_REMAINING_MS = 30 * DAY_MS;

/**
 * Why a stored leaf can't be kept, or undefined when it can: it must be readable, signed by the
 * current CA, hold its own key, say exactly what the request asks, and not be due for renewal.
 * Any other answer re-issues it; a leaf is cheap, a wrong one breaks a TLS handshake far away.
 */
export async function reissueReason(stored: StoredPair, req: CertRequest, ca: Signer, now: Date, crypto: WebCrypto): Promise<string | undefined> {
  const cert = parseCertificate(stored.certPem);
  if (!cert) return 'unreadable certificate';
  if (!(await signedBy(cert, ca.cert, crypto))) return 'signed by another CA';
  const key = await importPrivateKey(stored.keyPem, crypto);
  if (!key || !(await keyMatches(cert, key, crypto))) return 'key does not match the certificate';
  const facts = certFacts(cert);
  return requestMismatch(req, facts) ?? expiryReason(facts, now);
}

/** What a stored leaf says that the request does not (the CA is never compared: it is kept as it is). */
function requestMismatch(req: CertRequest, facts: CertFacts): string | undefined {
  if (facts.isCa) return 'is a CA certificate';
  if (facts.commonName !== req.commonName) return 'common name changed';
  if (!sameSet(facts.dnsNames, req.dnsNames) || !sameSet(facts.ipAddresses, req.ipAddresses.map(canonicalIP))) return 'SANs changed';
  if (!sameSet(facts.usages, req.usages)) return 'usages changed';
  return undefined;
}

/** Due when 30 days or less, or a third of its lifetime or less, remain (cert-manager's default renewal point). */
export function expiryReason(facts: Pick<CertFacts, 'notBefore' | 'notAfter'>, now: Date): string | undefined {
  const remaining = facts.notAfter.getTime() - now.getTime();
  const lifetime = facts.notAfter.getTime() - facts.notBefore.getTime();
  if (facts.notBefore.getTime() > now.getTime()) return 'not yet valid (clock moved back?)';
  if (remaining > MIN_REMAINING_MS && remaining > lifetime / 3) return undefined;
  return expiresIn(facts.notAfter, now);
}

/** "expires in 12 days", "expires today", "expired 3 days ago". */
export function expiresIn(notAfter: Date, now: Date): string {
  const days = daysUntil(notAfter, now);
  if (days < 0) return `expired ${-days} day${days === -1 ? '' : 's'} ago`;
  if (days === 0) return 'expires today';
  return `expires in ${days} day${days === 1 ? '' : 's'}`;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const x = [...new Set(a)].sort();
  const y = [...new Set(b)].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}
