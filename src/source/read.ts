import { readFileSync, statSync } from 'node:fs';
import { MeshwrightError } from '../diag/index.js';
import { classifyFsError } from './fs-error.js';

/** Platform files and manifests are small; anything larger is a mistake (a log, an image, a dump). */
export const MAX_SOURCE_BYTES = 16 * 1024 * 1024;

export interface SourceText {
  file: string;
  text: string;
}

function fail(file: string, code: string, message: string, hint?: string): never {
  throw new MeshwrightError({ severity: 'error', code, message, file, ...(hint ? { hint } : {}) });
}

/** Reads a UTF-8 text file, refusing what cannot be a YAML document, each with a one-line reason. */
export function readSourceFile(path: string, what = 'file', file = path): SourceText {
  const st = guard(path, what, file, () => statSync(path));
  if (st.isDirectory()) fail(file, 'FILE_IS_DIRECTORY', `${file} is a directory, not a ${what}`);
  // A device or a FIFO reports size 0 and never ends: only regular files are read.
  if (!st.isFile()) fail(file, 'FILE_NOT_REGULAR', `${file} is not a regular file (a device, socket or pipe); expected a ${what}`);
  if (st.size > MAX_SOURCE_BYTES) {
    fail(file, 'FILE_TOO_LARGE', `${file} is ${mib(st.size)}, larger than the ${mib(MAX_SOURCE_BYTES)} a ${what} may be`);
  }
  const bytes = guard(path, what, file, () => readFileSync(path));
  return { file, text: decodeText(file, bytes, what) };
}

/** stat and read failures as one line each: missing, unreadable, a loop, a dangling link, ... */
function guard<T>(path: string, what: string, file: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    const fault = classifyFsError(err, path);
    if (!fault) throw err;
    // A plain "no such file" says it all; a dangling link says which link, and what to do.
    if (fault.errno === 'ENOENT' && fault.reason === 'no such file or folder') fail(file, 'FILE_NOT_FOUND', `no such ${what}: ${file}`);
    if (fault.errno === 'ENOENT') fail(file, 'FILE_NOT_FOUND', `no such ${what}: ${file} (${fault.reason})`, fault.hint);
    if (fault.errno === 'EISDIR') fail(file, 'FILE_IS_DIRECTORY', `${file} is a directory, not a ${what}`);
    fail(file, 'FILE_UNREADABLE', `cannot read ${what} ${file}: ${fault.reason} (${fault.errno})`, fault.hint);
  }
}

export function decodeText(file: string, bytes: Buffer, what = 'file'): string {
  if (bytes.length === 0) fail(file, 'FILE_EMPTY', `${file} is empty; expected a ${what}`);
  if (bytes.includes(0)) fail(file, 'FILE_NOT_TEXT', `${file} is not a text file (it contains NUL bytes); expected a YAML ${what}`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    fail(file, 'FILE_NOT_TEXT', `${file} is not valid UTF-8 text; expected a YAML ${what}`);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function mib(n: number): string {
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
