import { statSync } from 'node:fs';
import { join } from 'node:path';
import { clusterFolders, type StateFile } from './layout.js';
import type { StateProblem } from './errors.js';
import { DIR_MODE, FILE_MODE } from './modes.js';

export { DIR_MODE, FILE_MODE };

/** Any group or other bit. Windows has no such bits: nothing to check there. */
const LOOSE = process.platform === 'win32' ? 0 : 0o077;

/**
 * A key that others can read is already compromised: refuse to use it, say which files and the
 * chmod that fixes them. Checked before any key is read.
 */
export function permissionProblems(dir: string, files: StateFile[]): StateProblem[] {
  const keys = files.filter((f) => f.kind === 'key');
  if (keys.length === 0) return [];
  const problems: StateProblem[] = [];
  for (const folder of ['.', ...clusterFolders(dir)]) {
    const path = folder === '.' ? dir : join(dir, folder);
    const mode = statSync(path).mode & 0o777;
    if (mode & LOOSE) problems.push({ code: 'PKI_KEY_PERMISSIONS', file: path, message: `the state folder ${path} is open to group or others (mode ${octal(mode)}) and holds private keys`, hint: `chmod 700 ${shellQuote(path)}` });
  }
  for (const key of keys) {
    const path = join(dir, key.rel);
    const mode = statSync(path).mode & 0o777;
    if (mode & LOOSE) problems.push({ code: 'PKI_KEY_PERMISSIONS', file: path, message: `private key ${key.rel} is accessible to group or others (mode ${octal(mode)})`, hint: `chmod 600 ${shellQuote(path)}` });
  }
  return problems;
}

export function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, '0')}`;
}

/** Paths are pasted into a shell by the user: quote anything that is not plainly safe. */
function shellQuote(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}
