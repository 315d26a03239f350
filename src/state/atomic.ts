import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { errnoOf } from '../source/index.js';
// modes.js, not permissions.js: that one reads the state layout, which loads pki (apply's no-op never needs it)
import { FILE_MODE } from './modes.js';

/** A file written in full beside its target, waiting to be renamed over it. */
export interface Staged {
  target: string;
  temp: string;
}

/**
 * Writes `content` to a fresh temp file in the target's folder — created 0600, so a key is never
 * readable by others even for a moment — and flushes it to disk. rename() in the same folder then
 * replaces the target in one step: readers see the old file or the new one, never half of one.
 */
export function stage(target: string, content: string): Staged {
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', FILE_MODE);
  try {
    writeFileSync(fd, content);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw err;
  }
  closeSync(fd);
  return { target, temp };
}

/** Renames every staged file into place, then flushes the folders so the renames survive a crash. */
export function commit(staged: Staged[]): void {
  for (const s of staged) renameSync(s.temp, s.target);
  for (const dir of new Set(staged.map((s) => dirname(s.target)))) syncFolder(dir);
}

/** Removes temp files after a failure, so nothing but whole files remains; never hides that failure. */
export function discard(staged: Staged[]): void {
  for (const s of staged) {
    try {
      rmSync(s.temp, { force: true });
    } catch {
      // The failure being reported matters more than a temp file left behind (named .*.tmp).
    }
  }
}

/**
 * What a folder fsync may answer where folders can't be flushed: Windows can't open a folder
 * (EISDIR) or fsync it (EPERM), and some file systems (network, FUSE) refuse fsync on a folder
 * (EINVAL, ENOTSUP). The rename itself is atomic either way; any other error is a real fault.
 */
const UNSYNCABLE = new Set(['EINVAL', 'EISDIR', 'EPERM', 'ENOTSUP']);

export function syncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch (err) {
    if (!UNSYNCABLE.has(errnoOf(err) ?? '')) throw err;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** One file replaced whole or not at all: stage, then commit; the temp file is removed on failure. */
export function writeFileAtomic(target: string, content: string): void {
  const staged = [stage(target, content)];
  try {
    commit(staged);
  } catch (err) {
    discard(staged);
    throw err;
  }
}
