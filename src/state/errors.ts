import { MeshwrightError } from '../diag/index.js';

/** The state folder's failures: each names the file, says how to fix it, and never quotes a key. */
export type StateErrorCode = 'PKI_KEY_PERMISSIONS' | 'PKI_CA_CORRUPT' | 'PKI_CA_FOREIGN' | 'STATE_UNWRITABLE' | 'STATE_UNREADABLE';

export interface StateProblem {
  code: StateErrorCode;
  file: string;
  message: string;
  hint: string;
}

export function stateError(problems: StateProblem | StateProblem[]): MeshwrightError {
  const list = Array.isArray(problems) ? problems : [problems];
  return new MeshwrightError(list.map((p) => ({ severity: 'error' as const, code: p.code, file: p.file, message: p.message, hint: p.hint })));
}

/** The hint for a foreign or broken CA: nothing automatic, because a new CA disconnects every cluster. */
export const CA_HINT = 'restore the state folder this mesh was built with, or start a new CA explicitly with --rotate-ca (every cluster then needs re-rendered values)';

/** An fs error's code (EACCES, ENOTDIR, ...) without its message, which may carry the whole path twice. */
export function errnoOf(err: unknown): string {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : 'error';
}

/** `partial`: the failure came after files were renamed into place (each file is still whole). */
export function unwritable(file: string, err: unknown, partial = false): MeshwrightError {
  return stateError({
    code: 'STATE_UNWRITABLE',
    file,
    message: `cannot write the state folder ${file} (${errnoOf(err)}); ${partial ? 'some files may already be updated' : 'nothing in it was changed'}`,
    hint: 'check that the folder and its parents are yours and writable, or choose another one with --state',
  });
}
