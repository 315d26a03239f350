import { readFileSync, statSync } from 'node:fs';
import { MeshwrightError } from '../diag/index.js';

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
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) fail(file, 'FILE_IS_DIRECTORY', `${file} is a directory, not a ${what}`);
    // A device or a FIFO reports size 0 and never ends: only regular files are read.
    if (!st.isFile()) fail(file, 'FILE_NOT_REGULAR', `${file} is not a regular file (a device, socket or pipe); expected a ${what}`);
    size = st.size;
  } catch (err) {
    if (err instanceof MeshwrightError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') fail(file, 'FILE_NOT_FOUND', `no such ${what}: ${file}`);
    if (code === 'EACCES') fail(file, 'FILE_UNREADABLE', `permission denied reading ${file}`);
    fail(file, 'FILE_UNREADABLE', `cannot read ${file}: ${(err as Error).message}`);
  }
  if (size > MAX_SOURCE_BYTES) {
    fail(file, 'FILE_TOO_LARGE', `${file} is ${mib(size)}, larger than the ${mib(MAX_SOURCE_BYTES)} a ${what} may be`);
  }
  const bytes = readFileSync(path);
  return { file, text: decodeText(file, bytes, what) };
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
