import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { errnoOf } from './fs-error.js';

/**
 * `mkdir -p` that reports the errno the system gave. Node's own `{ recursive: true }` turns
 * EROFS and ENOSPC into ENOENT (nodejs/node#47098, #42808), which would tell a user with a
 * read-only or full disk that a path is missing.
 */
export function makeFolder(path: string, mode: number): void {
  try {
    mkdirSync(path, { mode });
  } catch (err) {
    if (errnoOf(err) === 'EEXIST' && isFolder(path)) return;
    if (errnoOf(err) !== 'ENOENT' || dirname(path) === path) throw err;
    makeFolder(dirname(path), mode);
    try {
      mkdirSync(path, { mode });
    } catch (again) {
      if (errnoOf(again) === 'EEXIST' && isFolder(path)) return;
      throw again;
    }
  }
}

/** Follows links, as mkdir -p does; a dangling link or a loop answers with its own errno. */
function isFolder(path: string): boolean {
  return statSync(path).isDirectory();
}
