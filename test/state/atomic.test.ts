import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { discard, stage, syncFolder } from '../../src/state/atomic.js';

const dir = mkdtempSync(join(tmpdir(), 'meshwright-atomic-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('flushing a folder that is gone is an error, not silence (only platforms that cannot fsync a folder are forgiven)', () => {
  assert.throws(() => syncFolder(join(dir, 'gone')), (e: NodeJS.ErrnoException) => e.code === 'ENOENT');
  syncFolder(dir);
});

test('staging into a folder that does not exist fails with its errno; discarding what was staged leaves no temp file', () => {
  assert.throws(() => stage(join(dir, 'missing', 'ca.key'), 'x'), (e: NodeJS.ErrnoException) => e.code === 'ENOENT');
  writeFileSync(join(dir, 'ca.crt'), 'old');
  const staged = [stage(join(dir, 'ca.crt'), 'new')];
  discard(staged);
  discard(staged); // twice: the temp file is already gone, and that is no error
  assert.deepEqual(readdirSync(dir), ['ca.crt']);
});
