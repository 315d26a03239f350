import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before } from 'node:test';
import { MeshwrightError } from '../../src/diag/index.js';
import { runRender, type RenderOutcome } from '../../src/ops/index.js';
import type { ReconcileResult } from '../../src/pki/index.js';
import { DEFAULT_RENDER_OPTIONS } from '../../src/render/index.js';
import type { Platform } from '../../src/spec/index.js';
import { keyBodies, reconcile, T0, tempDir } from './pki.js';
import { referenceLab } from './platforms.js';

/** Every file under `dir` (relative path → inode, bytes), temp files included. */
export function snapshot(dir: string): Map<string, { ino: number; bytes: string }> {
  const out = new Map<string, { ino: number; bytes: string }>();
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const path = join(e.parentPath, e.name);
    out.set(path.slice(dir.length + 1), { ino: statSync(path).ino, bytes: readFileSync(path, 'utf8') });
  }
  return out;
}

/** The error `fn` throws, checked to be a MeshwrightError with `code` that quotes no key. */
export async function stateFailure(fn: () => unknown, code: string, keys: string[]): Promise<MeshwrightError> {
  let caught: unknown;
  try {
    await fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof MeshwrightError, `expected MeshwrightError ${code}, got ${String(caught)}`);
  const d = caught.diagnostics[0]!;
  assert.equal(d.code, code, d.message);
  assert.ok(d.file && d.hint, 'names the file and gives a hint');
  assert.doesNotMatch(d.message, /\n/, 'one line');
  for (const text of [d.message, d.hint ?? '', caught.message]) {
    assert.ok(!text.includes('-----BEGIN') && !keys.some((k) => text.includes(k)), `no key material in: ${text}`);
  }
  return caught;
}

/**
 * Two independent reconciled PKIs of the reference lab (made before the suite's tests), fresh
 * state folders that are removed after it, and every key body of both, to check messages against.
 */
export function stateSuite(): { pkis: () => { lab1: ReconcileResult; other: ReconcileResult }; fresh: (name: string) => string; keys: () => string[] } {
  const lab = referenceLab();
  let lab1: ReconcileResult | undefined;
  let other: ReconcileResult | undefined;
  const cleanups: (() => void)[] = [];
  before(async () => {
    lab1 = await reconcile(lab);
    other = await reconcile(lab);
  });
  after(() => cleanups.forEach((c) => c()));
  return {
    pkis: () => ({ lab1: lab1!, other: other! }),
    fresh: (name) => {
      const t = tempDir(name);
      cleanups.push(t.cleanup);
      return join(t.dir, '.meshwright', 'state', 'pki');
    },
    keys: () => [...keyBodies(lab1!.state), ...keyBodies(other!.state)],
  };
}

/** The render pipeline over a state folder, writing the output beside it (…/state/pki → …/state/out). */
export function renderWithState(platform: Platform, stateDir: string, opts: { rotateCa?: boolean; now?: Date } = {}): Promise<RenderOutcome> {
  return runRender({ platform, stateDir, outDir: join(dirname(stateDir), 'out'), now: opts.now ?? T0, rotateCa: opts.rotateCa ?? false, options: DEFAULT_RENDER_OPTIONS });
}
