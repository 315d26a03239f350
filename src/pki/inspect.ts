import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { formatAddress, parseAddress } from '../net/index.js';
import { EC_KEY } from './issue.js';
import type { CertUsage } from './types.js';
import type { WebCrypto, WebCryptoKey } from './web-crypto.js';

/** What a certificate says about itself, in the terms of a CertRequest. */
export interface CertFacts {
  commonName: string;
  dnsNames: string[];
  ipAddresses: string[];
  usages: CertUsage[];
  isCa: boolean;
  notBefore: Date;
  notAfter: Date;
}

/** Undefined when the text is not one PEM certificate. */
export function parseCertificate(pem: string): x509.X509Certificate | undefined {
  try {
    return new x509.X509Certificate(pem);
  } catch {
    return undefined;
  }
}

export function certFacts(cert: x509.X509Certificate): CertFacts {
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension)?.names.items ?? [];
  const eku = cert.getExtension(x509.ExtendedKeyUsageExtension)?.usages ?? [];
  const usages: CertUsage[] = [];
  if (eku.includes(x509.ExtendedKeyUsage.serverAuth)) usages.push('server');
  if (eku.includes(x509.ExtendedKeyUsage.clientAuth)) usages.push('client');
  return {
    commonName: cert.subjectName.getField('CN')[0] ?? '',
    dnsNames: san.filter((n) => n.type === 'dns').map((n) => n.value),
    ipAddresses: san.filter((n) => n.type === 'ip').map((n) => canonicalIP(n.value)),
    usages,
    isCa: cert.getExtension(x509.BasicConstraintsExtension)?.ca === true,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
  };
}

/** One spelling per address (`::1`, not `0:0:…:1`), so SAN lists compare as sets of addresses. */
export function canonicalIP(text: string): string {
  const r = parseAddress(text);
  return r ? formatAddress(r.family, r.first) : text;
}

/** Signed by this CA: the issuer name is the CA's subject and the CA's key verifies the signature. */
export async function signedBy(cert: x509.X509Certificate, ca: x509.X509Certificate, crypto: WebCrypto): Promise<boolean> {
  if (cert.issuer !== ca.subject) return false;
  try {
    return await cert.verify({ publicKey: ca.publicKey, signatureOnly: true }, crypto);
  } catch {
    return false;
  }
}

/**
 * A PKCS#8 P-256 private key, or undefined when the text is anything else. WebCrypto decides:
 * a SEC1 ("EC PRIVATE KEY") body, another curve or anything but a key fails its import. The
 * PEM label is not checked, as OpenSSL and Go do not check it either.
 */
export async function importPrivateKey(pem: string, crypto: WebCrypto): Promise<WebCryptoKey | undefined> {
  try {
    return await crypto.subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(pem), EC_KEY, true, ['sign']);
  } catch {
    return undefined;
  }
}

/** The private key's public half is the certificate's key (compared as SubjectPublicKeyInfo bytes). */
export async function keyMatches(cert: x509.X509Certificate, key: WebCryptoKey, crypto: WebCrypto): Promise<boolean> {
  // No catch: the key comes from importPrivateKey (an extractable P-256 key), whose export cannot fail.
  const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', key);
  const pub = await crypto.subtle.importKey('jwk', { kty, crv, x, y }, EC_KEY, true, ['verify']);
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pub));
  return Buffer.from(spki).equals(Buffer.from(cert.publicKey.rawData));
}
