import { webcrypto } from 'node:crypto';
import { resolve } from 'node:path';
import { MeshwrightError } from '../diag/index.js';
import { certificatePlan, certificateSummary, newIpsecKeys, reconcilePki, type CertificateRow, type PkiEvent, type WebCrypto } from '../pki/index.js';
import { diffTree, readTree, stageTree, type TreeChange } from '../render-output/index.js';
import { renderPlatform, type RenderedFile, type RenderOptions } from '../render/index.js';
import type { Platform } from '../spec/index.js';
import { caFiles, loadIpsecKeys, loadPkiState, saveIpsecKeys, savePkiState } from '../state/index.js';

export interface RenderRequest {
  /** A platform that passed validation. */
  platform: Platform;
  outDir: string;
  stateDir: string;
  now: Date;
  rotateCa?: boolean;
  /** Compare with the last render and write nothing. */
  diff?: boolean;
  options: RenderOptions;
  /** WebCrypto for new keys and serial numbers (node's by default; tests may inject their own). */
  crypto?: WebCrypto;
}

export interface RenderOutcome {
  files: RenderedFile[];
  events: PkiEvent[];
  certificates: CertificateRow[];
  /** Only with diff: what would change. */
  changes?: TreeChange[];
}

/**
 * The render pipeline, for `render`, `demo` and later `apply`: load the state folder → reconcile
 * the mesh certificates (reused, issued where missing or due) → render every file in memory →
 * either compare with the last output, or write: the new output staged in full first, then the
 * state saved, then the output swapped in. A refused output folder or a full disk therefore
 * leaves both the previous output and the state as they were.
 */
export async function runRender(req: RenderRequest): Promise<RenderOutcome> {
  if (!req.diff) assertSeparate(req.outDir, req.stateDir);
  const rotateCa = req.rotateCa ?? false;
  const crypto = req.crypto ?? webcrypto;
  // A CA being replaced is not checked: --rotate-ca is the way out of a foreign or corrupted one.
  const state = loadPkiState(req.stateDir, { rotateCa });
  const { state: next, pki, events } = await reconcilePki(state, certificatePlan(req.platform), { now: req.now, crypto, rotateCa, caFiles: caFiles(req.stateDir) });
  const ipsecKeys = req.platform.spec.cilium.encryption.type === 'ipsec' ? (loadIpsecKeys(req.stateDir) ?? newIpsecKeys(crypto)) : undefined;
  const files = renderPlatform(req.platform, { ...pki, ...(ipsecKeys ? { ipsecKeys } : {}) }, req.options);
  const certificates = certificateSummary(pki, req.now);
  if (req.diff) return { files, events, certificates, changes: diffTree(readTree(req.outDir), files) };
  const staged = stageTree(req.outDir, files);
  try {
    savePkiState(req.stateDir, next);
    if (ipsecKeys) saveIpsecKeys(req.stateDir, ipsecKeys);
  } catch (err) {
    staged.discard();
    throw err;
  }
  staged.commit();
  return { files, events, certificates };
}

/** The output folder is replaced wholesale: it may not hold the state folder (nor be it). */
function assertSeparate(outDir: string, stateDir: string): void {
  const out = resolve(outDir);
  const state = resolve(stateDir);
  if (out === state || state.startsWith(`${out}/`)) {
    throw new MeshwrightError({ severity: 'error', code: 'OUTPUT_OVERLAPS_STATE', file: outDir, message: `the output folder ${outDir} may not hold the state folder ${stateDir}: render replaces its output wholesale`, hint: 'use separate folders for --output-dir and --state' });
  }
}
