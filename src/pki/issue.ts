// @peculiar/x509 resolves its ASN.1 schemas through decorators: reflect-metadata must load first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import type { CertRequest } from './plan.js';
import type { CertUsage } from './types.js';
import { DAY_MS, wholeSeconds } from './time.js';
import type { WebCrypto, WebCryptoKey } from './web-crypto.js';

/** ECDSA P-256: what etcd 3.4 (the clustermesh-apiserver's kvstore) and Go's TLS accept everywhere. */
export const EC_KEY = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNATURE = { name: 'ECDSA', hash: 'SHA-256' } as const;
/** notBefore lies a little in the past, so a node whose clock runs behind still accepts a fresh cert. */
export const CLOCK_SKEW_MS = 5 * 60_000;

/** The CA as a signer: its certificate (for the issuer name and key id) and its private key. */
export interface Signer {
  cert: x509.X509Certificate;
  key: WebCryptoKey;
}

export interface IssuedPem {
  certPem: string;
  keyPem: string;
}

/** A new key pair and a certificate for it; self-signed for the CA, signed by `issuer` otherwise. */
export async function issueCertificate(req: CertRequest, opts: { now: Date; crypto: WebCrypto; issuer?: Signer }): Promise<IssuedPem> {
  const { crypto, issuer } = opts;
  const now = wholeSeconds(opts.now);
  const keys = (await crypto.subtle.generateKey(EC_KEY, true, ['sign', 'verify'])) as { publicKey: WebCryptoKey; privateKey: WebCryptoKey };
  const subject = [{ CN: [req.commonName] }];
  const extensions = req.kind === 'ca' ? await caExtensions(keys.publicKey, crypto) : await leafExtensions(req, keys.publicKey, issuer, crypto);
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: serialNumber(crypto),
      subject,
      issuer: issuer ? issuer.cert.subjectName : subject,
      notBefore: new Date(now - CLOCK_SKEW_MS),
      notAfter: new Date(now + req.lifetimeDays * DAY_MS),
      publicKey: keys.publicKey,
      signingKey: issuer ? issuer.key : keys.privateKey,
      signingAlgorithm: SIGNATURE,
      extensions,
    },
    crypto,
  );
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { certPem: `${cert.toString('pem')}\n`, keyPem: `${x509.PemConverter.encode(pkcs8, 'PRIVATE KEY')}\n` };
}

async function caExtensions(publicKey: WebCryptoKey, crypto: WebCrypto): Promise<x509.Extension[]> {
  return [
    // pathLength 0: the mesh CA signs leaves only, never another CA.
    new x509.BasicConstraintsExtension(true, 0, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    await x509.SubjectKeyIdentifierExtension.create(publicKey, false, crypto),
  ];
}

async function leafExtensions(req: CertRequest, publicKey: WebCryptoKey, issuer: Signer | undefined, crypto: WebCrypto): Promise<x509.Extension[]> {
  if (!issuer) throw new Error(`leaf ${req.id} needs an issuer`);
  const names = [...req.dnsNames.map((value) => ({ type: 'dns' as const, value })), ...req.ipAddresses.map((value) => ({ type: 'ip' as const, value }))];
  return [
    new x509.BasicConstraintsExtension(false, undefined, true),
    // RFC 5480: an EC key signs (ECDHE); keyEncipherment belongs to RSA.
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension(req.usages.map(usageOid)),
    ...(names.length ? [new x509.SubjectAlternativeNameExtension(names)] : []),
    await x509.SubjectKeyIdentifierExtension.create(publicKey, false, crypto),
    await authorityKeyId(issuer, crypto),
  ];
}

/** The CA's own subject key id, so chain builders (Go, OpenSSL) find the issuer by key. */
async function authorityKeyId(issuer: Signer, crypto: WebCrypto): Promise<x509.Extension> {
  const ski = issuer.cert.getExtension(x509.SubjectKeyIdentifierExtension);
  if (ski) return new x509.AuthorityKeyIdentifierExtension(ski.keyId);
  return x509.AuthorityKeyIdentifierExtension.create(issuer.cert.publicKey, false, crypto);
}

export function usageOid(usage: CertUsage): string {
  return usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth;
}

/** 128 random bits, positive and without a leading zero byte (RFC 5280 §4.1.2.2: at most 20 octets). */
function serialNumber(crypto: WebCrypto): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = bytes[0]! & 0x7f || 0x01;
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
