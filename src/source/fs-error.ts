import { lstatSync, readlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import { MeshwrightError } from '../diag/index.js';

/**
 * File-system faults on a user's path are the user's to fix, not bugs: each becomes one line that
 * names the path, the errno and what to do. Everything here turns a Node system error
 * (`err.code` like EACCES, `err.syscall`) into that line; an error without an errno (a TypeError,
 * a failed assertion) is not a file-system fault and is handed back untouched, stack and all.
 */
export type FsAction = 'read' | 'write' | 'create' | 'list' | 'replace';

/** What failed, in the user's terms. */
export interface FsFault {
  errno: string;
  /** The path the system call failed on (a file inside the folder the user named, say). */
  path: string;
  /** "permission denied", "no space left on the device", ... */
  reason: string;
  hint: string;
}

/** Where a fault happened, and what the diagnostic should say beyond the errno's own advice. */
export interface FsSite {
  /** The path as the user gave it (a file, or the folder that holds what failed). */
  path: string;
  action: FsAction;
  /** The diagnostic code: FILE_UNREADABLE, OUTPUT_UNWRITABLE, STATE_UNWRITABLE, ... */
  code: string;
  /** Advice that belongs to the site ("choose another folder with --state"). */
  hint?: string;
  /** What the failure left behind ("nothing was written"). */
  outcome?: string;
}

const REASONS: Record<string, [reason: string, hint: string]> = {
  EACCES: ['permission denied', 'check the permissions of the path and of every folder above it (ls -ld)'],
  EPERM: ['operation not permitted', 'check the permissions and attributes of the path and of every folder above it (ls -ld, lsattr)'],
  ENOENT: ['no such file or folder', 'check the path'],
  ENOTDIR: ['a part of the path is a file, not a folder', 'check the path: every part but the last must be a folder'],
  EISDIR: ['it is a folder, not a file', 'give the path of a file'],
  ELOOP: ['a loop of symbolic links (too many levels)', 'fix the symbolic links on this path (ls -l shows where each points)'],
  ENOSPC: ['no space left on the device', 'free some space (df -h shows how much is left)'],
  EDQUOT: ['disk quota exceeded', 'free some space (quota -s shows the limit)'],
  EROFS: ['the file system is read-only', 'write to a file system mounted read-write'],
  EMFILE: ['too many open files in this process', 'raise the open-file limit (ulimit -n) and run it again'],
  ENFILE: ['too many open files on this system', 'close other programs, or raise the system-wide limit (fs.file-max)'],
  ENAMETOOLONG: ['the path is too long', 'choose a shorter path'],
  EEXIST: ['something already exists there', 'move it out of the way'],
  EBUSY: ['the file or folder is busy (in use, or a mount point)', 'choose another path'],
  EIO: ['an input/output error (a failing disk or network file system)', 'check the disk (dmesg) and run it again'],
  EXDEV: ['it is on another file system than its folder', 'choose a folder on one file system'],
};

/** The errno of a Node system error, or undefined for anything else. */
export function errnoOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { code, syscall } = err as { code?: unknown; syscall?: unknown };
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) && typeof syscall === 'string' ? code : undefined;
}

/** Classifies a system error on `path`; undefined when `err` is no file-system fault. */
export function classifyFsError(err: unknown, path: string): FsFault | undefined {
  const errno = errnoOf(err);
  if (!errno) return undefined;
  const failed = typeof (err as { path?: unknown }).path === 'string' ? (err as { path: string }).path : path;
  const [reason, hint] = REASONS[errno] ?? [`the system refused (${(err as Error).message.split(',')[0]})`, 'check the path and run it again'];
  const target = errno === 'ENOENT' ? danglingTarget(failed) : undefined;
  if (target !== undefined) return { errno, path: failed, reason: `a dangling symbolic link: its target ${target} does not exist`, hint: 'point the link at something that exists, or remove it' };
  return { errno, path: failed, reason, hint };
}

/** The error a site reports for `err`: our own errors pass, a system error becomes the user's, a bug stays a bug. */
export function fsError(err: unknown, site: FsSite): unknown {
  if (err instanceof MeshwrightError) return err;
  const fault = classifyFsError(err, site.path);
  if (!fault) return err;
  const at = resolve(fault.path) !== resolve(site.path) ? ` at ${fault.path}` : '';
  return new MeshwrightError({
    severity: 'error',
    code: site.code,
    file: site.path,
    message: `cannot ${site.action} ${site.path}: ${fault.reason} (${fault.errno}${at})${site.outcome ? `; ${site.outcome}` : ''}`,
    hint: site.hint ? `${fault.hint}; ${site.hint}` : fault.hint,
  });
}

/** Runs `fn`, reporting a file-system fault as `site` says. */
export function onFs<T>(site: FsSite, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw fsError(err, site);
  }
}

/** A link whose target is gone fails with ENOENT, like a missing file; say which it is. */
function danglingTarget(path: string): string | undefined {
  try {
    return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : undefined;
  } catch {
    // Nothing there at all (or not even lstat-able): a plain ENOENT.
    return undefined;
  }
}
