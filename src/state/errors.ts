import { MeshwrightError } from '../diag/index.js';
import { fsError } from '../source/index.js';

/** The state folder's failures: each names the file, says how to fix it, and never quotes a key. */
export type StateErrorCode = 'PKI_KEY_PERMISSIONS' | 'PKI_CA_CORRUPT' | 'STATE_UNWRITABLE' | 'STATE_UNREADABLE';

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

/** A file-system fault while reading the state folder; our own errors and bugs pass through. */
export function unreadable(path: string, err: unknown): unknown {
  return fsError(err, { path, action: 'read', code: 'STATE_UNREADABLE', hint: 'the state folder and its files must be yours and readable' });
}

/** `partial`: the failure came after files were renamed into place (each file is still whole). */
export function unwritable(dir: string, err: unknown, partial = false): unknown {
  return fsError(err, {
    path: dir,
    action: 'write',
    code: 'STATE_UNWRITABLE',
    outcome: partial ? 'some files may already be updated (each one whole)' : 'nothing in it was changed',
    hint: 'or choose another folder with --state',
  });
}
