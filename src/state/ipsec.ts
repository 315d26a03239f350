import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MeshwrightError } from '../diag/index.js';
import { isIpsecKeys } from '../pki/index.js';
import { errnoOf, makeFolder } from '../source/index.js';
import { commit, discard, stage, type Staged } from './atomic.js';
import { unreadable, unwritable } from './errors.js';
import { DIR_MODE, octal } from './permissions.js';

/** Beside the CA: the mesh-wide IPsec key line, 0600, never printed. */
export const IPSEC_FILE = 'ipsec.keys';

export function loadIpsecKeys(dir: string): string | undefined {
  const file = join(dir, IPSEC_FILE);
  const st = stat(file);
  if (!st) return undefined;
  const mode = st.mode & 0o777;
  if (mode & 0o077) throw new MeshwrightError({ severity: 'error', code: 'PKI_KEY_PERMISSIONS', file, message: `the IPsec key ${file} is accessible to group or others (mode ${octal(mode)})`, hint: `chmod 600 ${file}` });
  const text = read(file);
  if (!isIpsecKeys(text)) throw new MeshwrightError({ severity: 'error', code: 'PKI_IPSEC_CORRUPT', file, message: `${file} is not a Cilium IPsec key line`, hint: `restore it from a backup, or delete it to make a new key (then roll it out to every cluster at once)` });
  return text;
}

export function saveIpsecKeys(dir: string, keys: string): void {
  const file = join(dir, IPSEC_FILE);
  if (stat(file) && read(file) === keys) return;
  const staged: Staged[] = [];
  try {
    makeFolder(dir, DIR_MODE);
    staged.push(stage(file, `${keys}\n`));
    commit(staged);
  } catch (err) {
    discard(staged);
    throw unwritable(dir, err);
  }
}

/** Undefined when there is no key file yet (a missing state folder included); other faults are the user's. */
function stat(file: string) {
  try {
    return statSync(file);
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return undefined;
    throw unreadable(file, err);
  }
}

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw unreadable(file, err);
  }
}
