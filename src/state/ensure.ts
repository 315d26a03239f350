import { certificatePlan, reconcilePki, type MeshPki, type PkiEvent } from '../pki/index.js';
import type { Platform } from '../spec/index.js';
import { loadPkiState } from './load.js';
import { savePkiState } from './save.js';

export interface EnsureMeshPkiRequest {
  platform: Platform;
  /** Normally .meshwright/state/pki. */
  stateDir: string;
  now: Date;
  rotateCa?: boolean;
}

/** The mesh's certificates, from the state folder and back into it: load → plan → reconcile → save. */
export async function ensureMeshPki(req: EnsureMeshPkiRequest): Promise<{ pki: MeshPki; events: PkiEvent[] }> {
  const rotateCa = req.rotateCa ?? false;
  const state = loadPkiState(req.stateDir, { rotateCa });
  const result = await reconcilePki(state, certificatePlan(req.platform), { now: req.now, crypto: globalThis.crypto, rotateCa });
  savePkiState(req.stateDir, result.state);
  return { pki: result.pki, events: result.events };
}
