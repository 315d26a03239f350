import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * One file replaced whole or not at all (0600 temp file beside it, fsync, rename, folder fsync),
 * as state/atomic.ts does it. apply's own files (journal, applied platform, render stamp) are
 * written with this copy because state/index also loads pki and its x509 library, which a no-op
 * apply otherwise never needs (a fifth of its start-up).
 */
export function writeFileAtomic(target: string, content: string): void {
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeFileSync(fd, content);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp, target);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
  try {
    const dir = openSync(dirname(target), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch {
    // some file systems refuse a folder fsync (state/atomic.ts UNSYNCABLE); the rename is atomic either way
  }
}
