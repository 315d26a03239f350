import { lstatSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CA_HINT, type PkiState } from '../pki/index.js';
import { errnoOf } from '../source/index.js';
import { stateError, unreadable } from './errors.js';
import { CA_FILES, listStateFiles, type StateFile } from './layout.js';
import { permissionProblems } from './permissions.js';

export interface LoadOptions {
  /** The CA is about to be replaced: a CA half without the other is no reason to stop. */
  rotateCa?: boolean;
}

/**
 * Reads the state folder into a PkiState. A folder that does not exist yet is an empty state
 * (the first render creates it). Keys open to others, or half a CA, are errors; a leaf
 * certificate without its key (or the reverse) is left out, so it is issued again. Whether the CA
 * pair is sound is pki's one check (reconcilePki), which names these files through `files`.
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
  if (!opts.rotateCa) assertWholeCa(dir, text);
  return state;
}

/** The paths of the CA's two files in `dir`, as pki's CA check names them. */
export function caFiles(dir: string): { cert: string; key: string } {
  return { cert: join(dir, CA_FILES.cert), key: join(dir, CA_FILES.key) };
}

/** A CA certificate without its key (or the reverse) cannot sign, and a new CA would split the mesh. */
function assertWholeCa(dir: string, text: Map<string, string>): void {
  const has = { cert: text.has(CA_FILES.cert), key: text.has(CA_FILES.key) };
  if (has.cert === has.key) return;
  const [present, missing] = has.cert ? [CA_FILES.cert, CA_FILES.key] : [CA_FILES.key, CA_FILES.cert];
  throw stateError({ code: 'PKI_CA_CORRUPT', file: join(dir, missing), message: `${missing} is missing beside ${present}`, hint: CA_HINT });
}

function isFolder(dir: string): boolean {
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch (err) {
    // Not there yet: the first render makes it. A dangling link is not "not there": it is reported.
    if (errnoOf(err) === 'ENOENT' && !isLink(dir)) return false;
    if (errnoOf(err) === 'ENOTDIR') throw notAFolder(dir, 'lies under a file, not a folder');
    throw unreadable(dir, err);
  }
  if (!isDir) throw notAFolder(dir, 'is a file, not a folder');
  return true;
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function notAFolder(dir: string, what: string) {
  return stateError({ code: 'STATE_UNWRITABLE', file: dir, message: `the state folder ${dir} ${what}`, hint: 'choose another folder with --state, or move what is in the way' });
}

function read(dir: string, f: StateFile): string {
  return guard(join(dir, f.rel), () => readFileSync(join(dir, f.rel), 'utf8'));
}

/** fs failures while reading become STATE_UNREADABLE naming the path; our own errors and bugs pass through. */
function guard<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw unreadable(path, err);
  }
}
