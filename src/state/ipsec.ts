import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MeshwrightError } from '../diag/index.js';
import { isIpsecKeys } from '../pki/index.js';
import { commit, stage } from './atomic.js';
import { DIR_MODE, octal } from './permissions.js';

/** Beside the CA: the mesh-wide IPsec key line, 0600, never printed. */
export const IPSEC_FILE = 'ipsec.keys';

export function loadIpsecKeys(dir: string): string | undefined {
  const file = join(dir, IPSEC_FILE);
  if (!existsSync(file)) return undefined;
  const mode = statSync(file).mode & 0o777;
  if (mode & 0o077) throw new MeshwrightError({ severity: 'error', code: 'PKI_KEY_PERMISSIONS', file, message: `the IPsec key ${file} is accessible to group or others (mode ${octal(mode)})`, hint: `chmod 600 ${file}` });
  const text = readFileSync(file, 'utf8').trim();
  if (!isIpsecKeys(text)) throw new MeshwrightError({ severity: 'error', code: 'PKI_IPSEC_CORRUPT', file, message: `${file} is not a Cilium IPsec key line`, hint: `restore it from a backup, or delete it to make a new key (then roll it out to every cluster at once)` });
  return text;
}

export function saveIpsecKeys(dir: string, keys: string): void {
  mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  const file = join(dir, IPSEC_FILE);
  if (existsSync(file) && readFileSync(file, 'utf8').trim() === keys) return;
  commit([stage(file, `${keys}\n`)]);
}
