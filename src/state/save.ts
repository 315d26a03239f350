import { chmodSync, existsSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PkiState } from '../pki/index.js';
import { makeFolder } from '../source/index.js';
import { commit, discard, stage, syncFolder, type Staged } from './atomic.js';
import { unwritable } from './errors.js';
import { listStateFiles, pairPaths } from './layout.js';
import { DIR_MODE, FILE_MODE } from './permissions.js';

/**
 * Writes the state folder: only files whose bytes changed, each atomically, and every new file
 * staged before any is renamed — a failure while writing (disk full, a folder in the way) leaves
 * the previous state whole, never ca.crt of one CA beside ca.key of another. Only a crash between
 * two renames could mix them, and the next load then stops with PKI_CA_FOREIGN instead of going on.
 * Then removes the files of dropped ids.
 */
export function savePkiState(dir: string, state: PkiState): void {
  const wanted = wantedFiles(state);
  const staged: Staged[] = [];
  let existing: Set<string>;
  try {
    ensureFolder(dir);
    existing = new Set(listStateFiles(dir).map((f) => f.rel));
    for (const [rel, content] of wanted) {
      const path = join(dir, rel);
      if (existing.has(rel) && readFileSync(path, 'utf8') === content) continue;
      ensureFolder(dirname(path));
      staged.push(stage(path, content));
    }
  } catch (err) {
    discard(staged);
    throw unwritable(dir, err);
  }
  try {
    commit(staged);
    for (const rel of wanted.keys()) tighten(join(dir, rel), FILE_MODE);
    removeDropped(dir, existing, wanted);
  } catch (err) {
    discard(staged);
    throw unwritable(dir, err, true);
  }
}

function wantedFiles(state: PkiState): Map<string, string> {
  const out = new Map<string, string>();
  for (const id of Object.keys(state).sort()) {
    const paths = pairPaths(id);
    out.set(paths.cert, state[id]!.certPem);
    out.set(paths.key, state[id]!.keyPem);
  }
  return out;
}

function ensureFolder(path: string): void {
  makeFolder(path, DIR_MODE);
  // mkdir's mode is cut by the umask, and an existing folder keeps its own: set it outright.
  tighten(path, DIR_MODE);
}

function tighten(path: string, mode: number): void {
  if (process.platform !== 'win32' && (statSync(path).mode & 0o777) !== mode) chmodSync(path, mode);
}

/** Files of ids no longer in the state go, then cluster folders left empty. */
function removeDropped(dir: string, existing: Set<string>, wanted: Map<string, string>): void {
  const emptied = new Set<string>();
  for (const rel of existing) {
    if (wanted.has(rel)) continue;
    rmSync(join(dir, rel), { force: true });
    if (rel.includes('/')) emptied.add(dirname(rel));
  }
  for (const sub of emptied) {
    const path = join(dir, sub);
    if (existsSync(path) && readdirSync(path).length === 0) rmdirSync(path);
  }
  if (existing.size) syncFolder(dir);
}
