import { closeSync, existsSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { MeshwrightError } from '../diag/index.js';
import type { RenderedFile } from '../render/index.js';

/** Marks a folder as meshwright's own output, so re-rendering may replace it wholesale. */
export const OUTPUT_MARKER = '.meshwright-output';

/**
 * Folders others write inside the output and a new render must carry over: Kubespray puts the
 * admin kubeconfig (artifacts/) and generated credentials (credentials/) beside its inventory.
 */
const KEPT = /^[^/]+\/kubespray\/(artifacts|credentials)$/;

/**
 * Writes the rendered files as one new tree and swaps it in with two renames, so a failed
 * render leaves the previous output whole: either every file is the new one, or none is.
 */
export function writeTree(outDir: string, files: RenderedFile[]): void {
  assertOurs(outDir);
  const staging = `${outDir}.new-${process.pid}`;
  const previous = `${outDir}.old-${process.pid}`;
  try {
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true, mode: 0o755 });
    for (const f of [...files, { path: OUTPUT_MARKER, content: 'rendered by meshwright; this folder is replaced on every render\n', secret: false }]) {
      const target = join(staging, ...f.path.split('/'));
      mkdirSync(dirname(target), { recursive: true, mode: 0o755 });
      writeDurably(target, f.content, f.secret ? 0o600 : 0o644);
    }
    if (existsSync(outDir)) renameSync(outDir, previous);
    renameSync(staging, outDir);
    // Only once the new tree is in place; should a move fail, the previous tree is not deleted.
    carryOver(previous, outDir);
    rmSync(previous, { recursive: true, force: true });
  } catch (err) {
    quietly(() => rmSync(staging, { recursive: true, force: true }));
    quietly(() => !existsSync(outDir) && existsSync(previous) && renameSync(previous, outDir));
    if (err instanceof MeshwrightError) throw err;
    throw new MeshwrightError({ severity: 'error', code: 'OUTPUT_UNWRITABLE', message: `cannot write ${outDir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, hint: 'choose another folder with -o, or fix its permissions; the previous output is unchanged' });
  }
}

/** Reads back what a previous render wrote (for --diff); missing folder = nothing. Kept folders are not ours to show. */
export function readTree(outDir: string): Map<string, string> {
  assertOurs(outDir);
  const out = new Map<string, string>();
  if (!existsSync(outDir)) return out;
  const walk = (dir: string, prefix: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      const rel = prefix ? `${prefix}/${name}` : name;
      if (KEPT.test(rel)) continue;
      if (lstatSync(full).isDirectory()) walk(full, rel);
      else if (name !== OUTPUT_MARKER) out.set(rel, readFileSync(full, 'utf8'));
    }
  };
  walk(outDir, '');
  return out;
}

/** Moves the kept folders of the previous output into the new one, untouched. */
function carryOver(previous: string, outDir: string): void {
  if (!existsSync(previous)) return;
  for (const cluster of readdirSync(previous)) {
    for (const kept of ['artifacts', 'credentials']) {
      const from = join(previous, cluster, 'kubespray', kept);
      if (!KEPT.test(`${cluster}/kubespray/${kept}`) || !existsSync(from)) continue;
      mkdirSync(join(outDir, cluster, 'kubespray'), { recursive: true, mode: 0o755 });
      renameSync(from, join(outDir, cluster, 'kubespray', kept));
    }
  }
}

/** The checks writeTree makes before anything is written anywhere (the state folder included). */
export function assertWritableOutput(outDir: string): void {
  assertOurs(outDir);
  let dir = dirname(outDir);
  while (!existsSync(dir)) dir = dirname(dir);
  if (!lstatSync(dir).isDirectory()) {
    throw new MeshwrightError({ severity: 'error', code: 'OUTPUT_UNWRITABLE', message: `cannot write ${outDir}: ${dir} is not a folder`, hint: 'choose another folder with -o; nothing was written' });
  }
}

function assertOurs(outDir: string): void {
  if (!existsSync(outDir)) return;
  if (!lstatSync(outDir).isDirectory()) {
    throw new MeshwrightError({ severity: 'error', code: 'OUTPUT_NOT_A_FOLDER', message: `${outDir} exists and is not a folder`, hint: 'choose another output folder with -o' });
  }
  const entries = readdirSync(outDir);
  if (entries.length > 0 && !entries.includes(OUTPUT_MARKER)) {
    throw new MeshwrightError({ severity: 'error', code: 'OUTPUT_NOT_OURS', message: `${outDir} holds files meshwright did not write; render replaces its output folder wholesale`, hint: `choose an empty or new folder with -o (not ${basename(outDir)})` });
  }
}

function quietly(f: () => unknown): void {
  try {
    f();
  } catch {
    // Cleanup after a failure must not hide the failure itself.
  }
}

/** Write, flush to disk, and only then make visible (the rename happens in writeTree). */
function writeDurably(file: string, content: string, mode: number): void {
  const fd = openSync(file, 'wx', mode);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
