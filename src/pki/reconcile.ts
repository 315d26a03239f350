import { basename } from 'node:path';
import { assemblePki } from './assemble.js';
import { CA_FILE_NAMES, caError, currentCa, type CaFiles } from './ca.js';
import { certFacts, parseCertificate, signedBy } from './inspect.js';
import { issueCertificate, type Signer } from './issue.js';
import { CA_ID, type CertRequest } from './plan.js';
import { expiresIn, reissueReason } from './reuse.js';
import type { MeshPki, StoredPair } from './types.js';
import { DAY_MS } from './time.js';
import type { WebCrypto } from './web-crypto.js';

/** The state folder's contents: id ("ca", "<cluster>/<name>") → PEM certificate and PKCS#8 key. */
export type PkiState = Record<string, StoredPair>;

export type PkiAction = 'created' | 'reused' | 'reissued' | 'removed';

/** What happened to one certificate, for the CLI to print. Never holds key material. */
export interface PkiEvent {
  id: string;
  action: PkiAction;
  /** Why: "SANs changed", "expires in 12 days", "CA rotated", ... */
  reason?: string;
}

export interface ReconcileOptions {
  now: Date;
  /** WebCrypto (globalThis.crypto in the CLI): the only source of keys and serial numbers. */
  crypto: WebCrypto;
  rotateCa?: boolean;
  /** Where the stored CA came from, so a broken one is named (default: ca.crt and ca.key). */
  caFiles?: CaFiles;
}

export interface ReconcileResult {
  state: PkiState;
  pki: MeshPki;
  events: PkiEvent[];
}

/** Below this the CA's own reuse event carries a warning: leaves can't outlive it usefully. */
const CA_WARN_DAYS = 3 * 365;

/**
 * Makes the state match the plan: one CA, kept; each leaf kept byte for byte while it is still
 * right (so renders are byte-identical), (re)issued otherwise; certificates of clusters that left
 * the platform dropped. Leaves are handled one at a time, in plan order, so an injected
 * deterministic crypto gives deterministic output.
 */
export async function reconcilePki(state: PkiState, plan: CertRequest[], opts: ReconcileOptions): Promise<ReconcileResult> {
  const caReq = plan.find((r) => r.kind === 'ca');
  if (!caReq) throw new Error('certificate plan has no CA');
  const files = opts.caFiles ?? CA_FILE_NAMES;
  const caRotated = opts.rotateCa === true;
  if (!state[CA_ID] && !caRotated) assertNoOrphans(state, files);
  const ca = await currentCa(state[CA_ID], caReq, opts);
  if (!ca.fresh) await assertLeavesFromCa(state, plan, ca.signer, opts.crypto, files);
  const next: PkiState = { [CA_ID]: ca.pair };
  const events: PkiEvent[] = [caEvent(state[CA_ID], ca.fresh, ca.pair, opts)];
  const leaves = plan.filter((r) => r.kind === 'leaf');
  // Checking what is stored only reads, so it runs concurrently; issuing stays in plan order (deterministic with an injected crypto).
  const reasons = await Promise.all(leaves.map((req) => (state[req.id] && !caRotated ? reissueReason(state[req.id]!, req, ca.signer, opts.now, opts.crypto) : Promise.resolve(undefined))));
  for (const [i, req] of leaves.entries()) {
    const { pair, event } = await reconcileLeaf(state[req.id], req, ca.signer, caRotated, reasons[i], opts);
    next[req.id] = pair;
    events.push(event);
  }
  for (const id of Object.keys(state).sort()) if (!(id in next)) events.push({ id, action: 'removed', reason: 'no longer in the platform' });
  return { state: next, pki: assemblePki(next, plan), events };
}

/**
 * Leaves without their CA: ca.crt and ca.key were deleted or lost. A new CA would be no better
 * than a foreign one (every cluster still trusts the old), so it takes --rotate-ca, as that does.
 */
function assertNoOrphans(state: PkiState, files: CaFiles): void {
  // Called only when the state holds no CA: every id in it is a leaf.
  const leaves = Object.keys(state).length;
  if (leaves === 0) return;
  const [cert, key] = [basename(files.cert), basename(files.key)];
  throw caError('PKI_CA_CORRUPT', files.cert, `${cert} and ${key} are missing beside ${leaves} certificates they issued`);
}

/**
 * A state folder whose certificates none come from its CA had its CA replaced: the clusters still
 * trust the old one, so quietly re-issuing everything would split the mesh (the very CA mismatch
 * meshwright exists to prevent). One odd leaf is merely re-issued.
 */
async function assertLeavesFromCa(state: PkiState, plan: CertRequest[], ca: Signer, crypto: WebCrypto, files: CaFiles): Promise<void> {
  const stored = plan.filter((r) => r.kind === 'leaf' && state[r.id]).map((r) => state[r.id]!);
  if (stored.length === 0) return;
  for (const leaf of stored) {
    const cert = parseCertificate(leaf.certPem);
    if (cert && (await signedBy(cert, ca.cert, crypto))) return;
  }
  throw caError('PKI_CA_FOREIGN', files.cert, `no certificate in the state folder was issued by ${basename(files.cert)}: the mesh CA was replaced`);
}

async function reconcileLeaf(stored: StoredPair | undefined, req: CertRequest, ca: Signer, caRotated: boolean, checked: string | undefined, opts: ReconcileOptions): Promise<{ pair: StoredPair; event: PkiEvent }> {
  if (!stored) return { pair: await issueCertificate(req, { ...opts, issuer: ca }), event: { id: req.id, action: 'created' } };
  const reason = caRotated ? 'CA rotated' : checked;
  if (!reason) return { pair: stored, event: { id: req.id, action: 'reused' } };
  return { pair: await issueCertificate(req, { ...opts, issuer: ca }), event: { id: req.id, action: 'reissued', reason } };
}

function caEvent(stored: StoredPair | undefined, fresh: boolean, pair: StoredPair, opts: ReconcileOptions): PkiEvent {
  if (!stored) return { id: CA_ID, action: 'created' };
  if (fresh) return { id: CA_ID, action: 'reissued', reason: 'rotation requested' };
  const cert = parseCertificate(pair.certPem);
  const notAfter = cert ? certFacts(cert).notAfter : undefined;
  if (notAfter && notAfter.getTime() - opts.now.getTime() < CA_WARN_DAYS * DAY_MS) {
    return { id: CA_ID, action: 'reused', reason: `${expiresIn(notAfter, opts.now)}: plan a --rotate-ca` };
  }
  return { id: CA_ID, action: 'reused' };
}
