import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { CA_HINT, stateError } from './errors.js';
import { CA_FILES } from './layout.js';

/**
 * The stored CA must be a PEM CA certificate and the PKCS#8 key that belongs to it. Anything
 * else stops the command: issuing with the wrong CA, or quietly making a new one, would cut the
 * clusters already running off the mesh. (Leaves are the reconciler's business: a bad one is
 * simply re-issued.)
 */
export function checkCaPair(dir: string, certPem: string | undefined, keyPem: string | undefined): void {
  const certFile = join(dir, CA_FILES.cert);
  const keyFile = join(dir, CA_FILES.key);
  if (certPem === undefined && keyPem === undefined) return;
  if (certPem === undefined) throw corrupt(certFile, `${CA_FILES.cert} is missing beside ${CA_FILES.key}`);
  if (keyPem === undefined) throw corrupt(keyFile, `${CA_FILES.key} is missing beside ${CA_FILES.cert}`);
  const cert = parseCert(certPem);
  if (!cert) throw corrupt(certFile, `${CA_FILES.cert} is not a PEM certificate`);
  const key = parseKey(keyPem);
  if (!key) throw corrupt(keyFile, `${CA_FILES.key} is not a PEM PKCS#8 private key`);
  if (!cert.ca) throw foreign(certFile, `${CA_FILES.cert} is not a CA certificate (basicConstraints CA:FALSE or absent)`);
  if (!cert.checkPrivateKey(key)) throw foreign(keyFile, `${CA_FILES.key} does not belong to ${CA_FILES.cert} (the key of another CA)`);
}

function parseCert(pem: string): X509Certificate | undefined {
  // X509Certificate also takes DER; the folder holds PEM, so ask for the armour too.
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) return undefined;
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
}

function parseKey(pem: string): KeyObject | undefined {
  if (!pem.includes('-----BEGIN PRIVATE KEY-----')) return undefined;
  try {
    return createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    return undefined;
  }
}

const corrupt = (file: string, message: string) => stateError({ code: 'PKI_CA_CORRUPT', file, message, hint: CA_HINT });
const foreign = (file: string, message: string) => stateError({ code: 'PKI_CA_FOREIGN', file, message, hint: CA_HINT });
