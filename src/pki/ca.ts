import { basename } from 'node:path';
import { MeshwrightError } from '../diag/index.js';
import { certFacts, importPrivateKey, keyMatches, parseCertificate } from './inspect.js';
import { issueCertificate, type Signer } from './issue.js';
import type { CertRequest } from './plan.js';
import type { StoredPair } from './types.js';
import type { WebCrypto } from './web-crypto.js';

export interface CaOutcome {
  pair: StoredPair;
  signer: Signer;
  /** True when this run made a new CA: every leaf signed by the old one is re-issued. */
  fresh: boolean;
}

/** Where the stored CA's two halves live, to name them in errors (the state folder's paths). */
export interface CaFiles {
  cert: string;
  key: string;
}

/** The names the state folder gives the CA (ca.crt / ca.key, as kubeadm names its CA). */
export const CA_FILE_NAMES: CaFiles = { cert: 'ca.crt', key: 'ca.key' };

export type CaErrorCode = 'PKI_CA_CORRUPT' | 'PKI_CA_FOREIGN';

/** Nothing automatic: a new CA disconnects every cluster that trusts the old one. */
export const CA_HINT = 'restore the state folder this mesh was built with, or start a new CA explicitly with --rotate-ca (every cluster then needs re-rendered values)';

/**
 * The one CA of the mesh: kept as long as it exists, because every cluster trusts it; a new one
 * only when there is none or rotation is asked for. A stored CA that is broken or foreign is an
 * error, never silently replaced: replacing it cuts every running cluster off the mesh.
 */
export async function currentCa(stored: StoredPair | undefined, req: CertRequest, opts: { now: Date; crypto: WebCrypto; rotateCa?: boolean; caFiles?: CaFiles }): Promise<CaOutcome> {
  if (stored && !opts.rotateCa) return { pair: stored, signer: await storedSigner(stored, opts.crypto, opts.caFiles ?? CA_FILE_NAMES), fresh: false };
  const pair = await issueCertificate(req, opts);
  return { pair, signer: await storedSigner(pair, opts.crypto, CA_FILE_NAMES), fresh: true };
}

/**
 * The check of a stored CA, the only one: a PEM CA certificate and the PKCS#8 P-256 key that
 * belongs to it. One message per problem, naming the file it is in.
 */
async function storedSigner(pair: StoredPair, crypto: WebCrypto, files: CaFiles): Promise<Signer> {
  const [cert, key] = [basename(files.cert), basename(files.key)];
  // X509Certificate also takes bare base64 DER; the folder holds PEM, so ask for the armour too.
  const parsed = pair.certPem.includes('-----BEGIN CERTIFICATE-----') ? parseCertificate(pair.certPem) : undefined;
  if (!parsed) throw caError('PKI_CA_CORRUPT', files.cert, `${cert} is not a PEM certificate`);
  const privateKey = await importPrivateKey(pair.keyPem, crypto);
  if (!privateKey) throw caError('PKI_CA_CORRUPT', files.key, `${key} is not a PEM PKCS#8 P-256 private key`);
  if (!certFacts(parsed).isCa) throw caError('PKI_CA_FOREIGN', files.cert, `${cert} is not a CA certificate (basicConstraints CA:FALSE or absent)`);
  if (!(await keyMatches(parsed, privateKey, crypto))) throw caError('PKI_CA_FOREIGN', files.key, `${key} does not belong to ${cert} (the key of another CA)`);
  return { cert: parsed, key: privateKey };
}

export function caError(code: CaErrorCode, file: string, message: string): MeshwrightError {
  return new MeshwrightError({ severity: 'error', code, file, message, hint: CA_HINT });
}
