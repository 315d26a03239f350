import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { MeshwrightError } from '../diag/index.js';
import { processAlive } from '../lab/index.js';
import { makeFolder } from '../source/index.js';

export const LOCK_FILE = 'apply.lock';

interface Holder {
  pid: number;
  host: string;
  startedAt: string;
}

/**
 * One apply at a time per state folder: `apply.lock` created exclusively (as kubectl's
 * `<kubeconfig>.lock`), holding who took it. A lock left by a process that no longer runs on this
 * machine (kill -9) is taken over; a live holder is named in the refusal.
 */
export function takeApplyLock(stateDir: string, now: Date): () => void {
  makeFolder(stateDir, 0o700);
  const file = join(stateDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), startedAt: now.toISOString() } satisfies Holder));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readHolder(file);
      if (holder && (holder.host !== hostname() || processAlive(holder.pid))) {
        throw new MeshwrightError({
          severity: 'error',
          code: 'APPLY_LOCKED',
          file,
          message: `another meshwright apply holds ${file}: pid ${holder.pid} on ${holder.host}, started ${holder.startedAt}`,
          hint: holder.host === hostname() ? 'wait for it to finish' : `wait for it; remove ${file} only if no apply runs on ${holder.host}`,
        });
      }
      rmSync(file, { force: true });
    }
  }
  throw new MeshwrightError({ severity: 'error', code: 'APPLY_LOCKED', file, message: `could not take ${file}`, hint: `remove ${file} if no meshwright apply is running` });
}

function readHolder(file: string): Holder | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Holder;
  } catch {
    return undefined;
  }
}
