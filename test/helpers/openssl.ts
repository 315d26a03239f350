import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StoredPair } from '../../src/pki/index.js';

/**
 * Certificates made with OpenSSL, not with meshwright: what a user, cilium-certgen or an older
 * state folder could have left in `.meshwright/state/pki`. `openssl ca` (not `openssl x509`)
 * because it takes an explicit validity (-startdate/-enddate), so nothing depends on today.
 */

const INSTALL = 'openssl is not installed: apt-get install openssl';

export function openssl(args: string[], cwd?: string): string {
  try {
    return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...(cwd ? { cwd } : {}) });
  } catch (err) {
    const e = err as { code?: string; stdout?: string; stderr?: string };
    if (e.code === 'ENOENT') assert.fail(INSTALL);
    assert.fail(`openssl ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

/** `openssl verify` that may refuse: exit status and everything it printed. */
export function opensslVerify(args: string[]): { ok: boolean; output: string } {
  const r = spawnSync('openssl', ['verify', ...args], { encoding: 'utf8' });
  assert.equal(r.error, undefined, INSTALL);
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

export interface HandMade {
  /** As `openssl req -subj` takes it: "/CN=remote". */
  subject: string;
  notBefore: Date;
  notAfter: Date;
  /** Lines of an x509v3_config section: "basicConstraints = critical,CA:FALSE", ... */
  extensions: string[];
  /** Sign with this key instead of a new P-256 one (PKCS#8 PEM). */
  keyPem?: string;
}

/** 20250301115500Z: the GeneralizedTime `openssl ca -startdate/-enddate` take. */
const asn1Time = (d: Date) => `${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;

const CA_CONFIG = `[ ca ]
default_ca = hand
[ hand ]
database = index.txt
new_certs_dir = .
rand_serial = yes
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[ any ]
commonName = optional
organizationName = optional
`;

/**
 * A certificate OpenSSL signs: self-signed when `issuer` is undefined (a CA of one's own),
 * signed by `issuer`'s key and named after its certificate otherwise. Works in a new folder
 * under `dir` (the caller removes `dir`).
 */
export function handMade(dir: string, cert: HandMade, issuer?: StoredPair): StoredPair {
  const work = mkdtempSync(join(dir, 'openssl-'));
  writeFileSync(join(work, 'ca.cnf'), CA_CONFIG);
  writeFileSync(join(work, 'index.txt'), '');
  writeFileSync(join(work, 'ext.cnf'), `[ hand_ext ]\n${cert.extensions.join('\n')}\n`);
  if (cert.keyPem) writeFileSync(join(work, 'subject.key'), cert.keyPem, { mode: 0o600 });
  else openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'subject.key'], work);
  openssl(['req', '-new', '-key', 'subject.key', '-subj', cert.subject, '-out', 'subject.csr'], work);
  const signer = issuer ? ['-cert', 'issuer.crt', '-keyfile', 'issuer.key'] : ['-selfsign', '-keyfile', 'subject.key'];
  if (issuer) {
    writeFileSync(join(work, 'issuer.crt'), issuer.certPem);
    writeFileSync(join(work, 'issuer.key'), issuer.keyPem, { mode: 0o600 });
  }
  openssl(['ca', '-config', 'ca.cnf', '-batch', '-notext', ...signer, '-in', 'subject.csr', '-out', 'subject.crt',
    '-startdate', asn1Time(cert.notBefore), '-enddate', asn1Time(cert.notAfter), '-extfile', 'ext.cnf', '-extensions', 'hand_ext'], work);
  return { certPem: readFileSync(join(work, 'subject.crt'), 'utf8'), keyPem: readFileSync(join(work, 'subject.key'), 'utf8') };
}

/** What `openssl x509 -ext` prints for these extensions of a PEM certificate, "critical" marks included. */
export function extensionText(dir: string, certPem: string, names: string[]): string {
  const work = mkdtempSync(join(dir, 'ext-'));
  writeFileSync(join(work, 'cert.pem'), certPem);
  return openssl(['x509', '-in', join(work, 'cert.pem'), '-noout', '-ext', names.join(',')]);
}

/** A leaf's extensions as the Cilium chart's own (Helm genSignedCert) carry them, for a given purpose. */
export const leafExtensions = (eku: string, san?: string): string[] => [
  'basicConstraints = critical,CA:FALSE',
  'keyUsage = critical,digitalSignature',
  `extendedKeyUsage = ${eku}`,
  ...(san ? [`subjectAltName = ${san}`] : []),
  'subjectKeyIdentifier = hash',
  'authorityKeyIdentifier = keyid',
];
