import { closeSync, existsSync, fsyncSync, lstatSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { MeshwrightError } from '../diag/index.js';
import { errnoOf, fsError, makeFolder, onFs, type FsAction } from '../source/index.js';
import type { RenderedFile } from '../render/index.js';

/** Marks a folder as meshwright's own output, so re-rendering may replace it wholesale. */
export const OUTPUT_MARKER = '.meshwright-output';

/**
 * Folders others write inside the output and a new render must carry over: Kubespray puts the
 * admin kubeconfig (artifacts/) and generated credentials (credentials/) beside its inventory.
 */
const KEPT = /^[^/]+\/kubespray\/(artifacts|credentials)$/;

/** The mode a rendered file gets: keys and secret values are the owner's alone. */
export function fileMode(file: Pick<RenderedFile, 'secret'>): number {
  return file.secret ? 0o600 : 0o644;
}

/** A new output tree written in full beside the old one, waiting to be swapped in. */
export interface StagedTree {
  /** Swaps the new tree in with two renames; the previous one stays whole should either fail. */
  commit(): void;
  /** Removes the new tree (another step failed): the previous output is as it was. */
  discard(): void;
}

/**
 * Writes the rendered files as one new tree beside `outDir` and flushes them, touching nothing a
 * reader sees: a full disk or a refused folder fails here, before anything else (the state folder
 * included) is changed.
 */
export function stageTree(outDir: string, files: RenderedFile[]): StagedTree {
  assertOurs(outDir);
  assertParentIsFolder(outDir);
  const staging = `${outDir}.new-${process.pid}`;
  try {
    rmSync(staging, { recursive: true, force: true });
    makeFolder(staging, 0o755);
    for (const f of [...files, { path: OUTPUT_MARKER, content: 'rendered by meshwright; this folder is replaced on every render\n', secret: false }]) {
      const target = join(staging, ...f.path.split('/'));
      makeFolder(dirname(target), 0o755);
      writeDurably(target, f.content, fileMode(f));
    }
  } catch (err) {
    quietly(() => rmSync(staging, { recursive: true, force: true }));
    throw unwritable(outDir, err);
  }
  return { commit: () => swapIn(outDir, staging), discard: () => quietly(() => rmSync(staging, { recursive: true, force: true })) };
}

/** Stages and swaps in at once: either every file is the new one, or none is. */
export function writeTree(outDir: string, files: RenderedFile[]): void {
  stageTree(outDir, files).commit();
}

function swapIn(outDir: string, staging: string): void {
  const previous = `${outDir}.old-${process.pid}`;
  try {
    if (existsSync(outDir)) renameSync(outDir, previous);
    renameSync(staging, outDir);
    // Only once the new tree is in place; should a move fail, the previous tree is not deleted.
    carryOver(previous, outDir);
    rmSync(previous, { recursive: true, force: true });
  } catch (err) {
    quietly(() => rmSync(staging, { recursive: true, force: true }));
    quietly(() => !existsSync(outDir) && existsSync(previous) && renameSync(previous, outDir));
    throw unwritable(outDir, err);
  }
}

function unwritable(outDir: string, err: unknown): unknown {
  return fsError(err, { path: outDir, action: 'write', code: 'OUTPUT_UNWRITABLE', outcome: 'the previous output is unchanged', hint: 'or choose another folder with --output-dir' });
}

/** Reads back what a previous render wrote (for --diff); missing folder = nothing. Kept folders are not ours to show. */
export function readTree(outDir: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!assertOurs(outDir)) return out;
  const walk = (dir: string, prefix: string) => {
    for (const name of reading(outDir, 'list', () => readdirSync(dir)).sort()) {
      const full = join(dir, name);
      const rel = prefix ? `${prefix}/${name}` : name;
      if (KEPT.test(rel)) continue;
      if (reading(outDir, 'read', () => lstatSync(full)).isDirectory()) walk(full, rel);
      else if (name !== OUTPUT_MARKER) out.set(rel, reading(outDir, 'read', () => readFileSync(full, 'utf8')));
    }
  };
  walk(outDir, '');
  return out;
}

function reading<T>(outDir: string, action: FsAction, fn: () => T): T {
  return onFs({ path: outDir, action, code: 'OUTPUT_UNREADABLE', hint: 'the output folder and its files must be yours and readable' }, fn);
}

/** Moves the kept folders of the previous output into the new one, untouched. */
function carryOver(previous: string, outDir: string): void {
  if (!existsSync(previous)) return;
  for (const cluster of readdirSync(previous)) {
    for (const kept of ['artifacts', 'credentials']) {
      const from = join(previous, cluster, 'kubespray', kept);
      if (!KEPT.test(`${cluster}/kubespray/${kept}`) || !existsSync(from)) continue;
      makeFolder(join(outDir, cluster, 'kubespray'), 0o755);
      renameSync(from, join(outDir, cluster, 'kubespray', kept));
    }
  }
}

function assertParentIsFolder(outDir: string): void {
  let dir = dirname(outDir);
  while (!existsSync(dir)) dir = dirname(dir);
  if (!reading(outDir, 'read', () => lstatSync(dir)).isDirectory() && !reading(outDir, 'read', () => statSync(dir)).isDirectory()) {
    throw new MeshwrightError({ severity: 'error', code: 'OUTPUT_UNWRITABLE', file: outDir, message: `cannot write ${outDir}: ${dir} is not a folder`, hint: 'choose another folder with --output-dir; nothing was written' });
  }
}

/** True when `outDir` is meshwright's output, false when there is none yet; anything else is refused. */
function assertOurs(outDir: string): boolean {
  const st = statIfThere(outDir);
  if (!st) return false;
  if (!st.isDirectory()) {
    throw new MeshwrightError({ severity: 'error', code: 'OUTPUT_NOT_A_FOLDER', file: outDir, message: `${outDir} exists and is not a folder`, hint: 'choose another output folder with --output-dir' });
  }
  const entries = reading(outDir, 'list', () => readdirSync(outDir));
  if (entries.length > 0 && !entries.includes(OUTPUT_MARKER)) {
    throw new MeshwrightError({ severity: 'error', code: 'OUTPUT_NOT_OURS', file: outDir, message: `${outDir} holds files meshwright did not write; render replaces its output folder wholesale`, hint: `choose an empty or new folder with --output-dir (not ${basename(outDir)})` });
  }
  return true;
}

/** Not there yet is fine (the first render makes it); a dangling link or a loop in its place is not. */
function statIfThere(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (err) {
    if (errnoOf(err) === 'ENOENT' && !isLink(path)) return undefined;
    throw fsError(err, { path, action: 'read', code: 'OUTPUT_UNWRITABLE', hint: 'or choose another folder with --output-dir' });
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function quietly(f: () => unknown): void {
  try {
    f();
  } catch {
    // Cleanup after a failure must not hide the failure itself.
  }
}

/** Write, flush to disk, and only then make visible (the rename happens in swapIn). */
function writeDurably(file: string, content: string, mode: number): void {
  const fd = openSync(file, 'wx', mode);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
