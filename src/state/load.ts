import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MeshwrightError } from '../diag/index.js';
import type { PkiState } from '../pki/index.js';
import { checkCaPair } from './ca-check.js';
import { errnoOf, stateError } from './errors.js';
import { listStateFiles, type StateFile } from './layout.js';
import { permissionProblems } from './permissions.js';

export interface LoadOptions {
  /** The CA is about to be replaced: don't insist that the stored one is sound. */
  rotateCa?: boolean;
}

/**
 * Reads the state folder into a PkiState. A folder that does not exist yet is an empty state
 * (the first render creates it). Keys open to others, or a broken or foreign CA, are errors;
 * a certificate without its key (or the reverse) is left out, so it is issued again.
 */
export function loadPkiState(dir: string, opts: LoadOptions = {}): PkiState {
  if (!isFolder(dir)) return {};
  const files = guard(dir, () => listStateFiles(dir));
  const problems = guard(dir, () => permissionProblems(dir, files));
  if (problems.length) throw stateError(problems);
  const text = new Map(files.map((f) => [f.rel, read(dir, f)]));
  const state: PkiState = {};
  for (const f of files) {
    if (f.kind !== 'cert') continue;
    const keyRel = f.rel.replace(/\.crt$/, '.key');
    const keyPem = text.get(keyRel);
    if (keyPem !== undefined) state[f.id] = { certPem: text.get(f.rel)!, keyPem };
  }
  if (!opts.rotateCa) checkCaPair(dir, text.get('ca.crt'), text.get('ca.key'));
  return state;
}

function isFolder(dir: string): boolean {
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return false;
    if (errnoOf(err) === 'ENOTDIR') throw notAFolder(dir, 'lies under a file, not a folder');
    throw readError(dir, err);
  }
  if (!isDir) throw notAFolder(dir, 'is a file, not a folder');
  return true;
}

function notAFolder(dir: string, what: string) {
  return stateError({ code: 'STATE_UNWRITABLE', file: dir, message: `the state folder ${dir} ${what}`, hint: 'choose another folder with --state, or move what is in the way' });
}

function read(dir: string, f: StateFile): string {
  return guard(join(dir, f.rel), () => readFileSync(join(dir, f.rel), 'utf8'));
}

/** fs failures while reading become STATE_UNREADABLE naming the path; our own errors pass through. */
function guard<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw readError(path, err);
  }
}

function readError(path: string, err: unknown): MeshwrightError {
  if (err instanceof MeshwrightError) return err;
  return stateError({ code: 'STATE_UNREADABLE', file: path, message: `cannot read ${path} (${errnoOf(err)})`, hint: 'check that the state folder and its files are yours and readable' });
}
