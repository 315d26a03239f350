import { closeSync, existsSync, openSync, rmSync, writeSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { MeshwrightError } from '../../diag/index.js';
import { fsError, makeFolder, type FsAction, type FsSite } from '../../source/index.js';
// state/atomic.js itself, not state's index: that one loads pki, which a no-op apply never needs
import { writeFileAtomic } from '../../state/atomic.js';

/**
 * The file kubectl would write to (client-go config.go GetDefaultFilename): --kubeconfig, else
 * the only or the first existing KUBECONFIG entry (the last one when none exists yet), else
 * ~/.kube/config.
 */
export function defaultKubeconfig(env: NodeJS.ProcessEnv, cwd: string): string {
  const list = (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean).map((p) => resolve(cwd, p));
  if (list.length > 0) return list.find((p) => existsSync(p)) ?? list[list.length - 1]!;
  return join(env.HOME ?? '/root', '.kube', 'config');
}

/**
 * Writes the kubeconfig whole or not at all: 0600 temp file, fsync, rename over the target,
 * under kubectl's own lock (`<file>.lock` created exclusively, client-go loader.go lockFile),
 * so a concurrent `kubectl config use-context` can't interleave with this write.
 */
export function writeKubeconfig(file: string, content: string): void {
  try {
    makeFolder(dirname(file), 0o700);
  } catch (err) {
    throw fsError(err, SITE(dirname(file), 'create'));
  }
  const lock = `${file}.lock`;
  let fd: number;
  try {
    fd = openSync(lock, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new MeshwrightError({ severity: 'error', code: 'KUBECONFIG_LOCKED', message: `${lock} exists: kubectl or another program is writing ${file}`, file: lock, hint: `wait and run again; remove ${lock} only if no kubectl is running` });
    }
    throw fsError(err, SITE(lock, 'create'));
  }
  try {
    writeSync(fd, String(process.pid));
    closeSync(fd);
    try {
      writeFileAtomic(file, content);
    } catch (err) {
      throw fsError(err, SITE(file, 'replace'));
    }
  } finally {
    rmSync(lock, { force: true });
  }
}

const SITE = (path: string, action: FsAction): FsSite => ({ path, action, code: 'KUBECONFIG_UNWRITABLE', outcome: 'the kubeconfig was left as it was' });
