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

/**
 * The one CA of the mesh: kept as long as it exists, because every cluster trusts it; a new one
 * only when there is none or rotation is asked for. A stored CA that is broken or foreign is an
 * error, never silently replaced: replacing it cuts every running cluster off the mesh.
 */
export async function currentCa(stored: StoredPair | undefined, req: CertRequest, opts: { now: Date; crypto: WebCrypto; rotateCa?: boolean }): Promise<CaOutcome> {
  if (stored && !opts.rotateCa) return { pair: stored, signer: await storedSigner(stored, opts.crypto), fresh: false };
  const pair = await issueCertificate(req, opts);
  return { pair, signer: await storedSigner(pair, opts.crypto), fresh: true };
}

async function storedSigner(pair: StoredPair, crypto: WebCrypto): Promise<Signer> {
  const cert = parseCertificate(pair.certPem);
  if (!cert) throw caError('PKI_CA_CORRUPT', 'the mesh CA certificate in the state is not a readable PEM certificate');
  const key = await importPrivateKey(pair.keyPem, crypto);
  if (!key) throw caError('PKI_CA_CORRUPT', 'the mesh CA key in the state is not a PKCS#8 P-256 private key');
  if (!certFacts(cert).isCa) throw caError('PKI_CA_FOREIGN', 'the mesh CA certificate in the state is not a CA certificate');
  if (!(await keyMatches(cert, key, crypto))) throw caError('PKI_CA_FOREIGN', 'the mesh CA key in the state does not belong to the CA certificate');
  return { cert, key };
}

function caError(code: string, message: string): MeshwrightError {
  return new MeshwrightError({
    severity: 'error',
    code,
    message,
    hint: `restore the state folder this mesh was built with, or replace the CA explicitly with --rotate-ca (every cluster then needs the new values)`,
  });
}
