import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TEST_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = resolve(TEST_ROOT, '..');

/**
 * Compares `actual` with test/golden/<name>; UPDATE_GOLDEN=1 rewrites the file instead
 * (helm's golden files). Line endings are normalised so a checkout on Windows still passes.
 */
export function assertGolden(name: string, actual: string, file = resolve(TEST_ROOT, 'golden', name)): void {
  const normalised = actual.replace(/\r\n/g, '\n');
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, normalised);
    return;
  }
  let expected: string;
  try {
    expected = readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
  } catch {
    assert.fail(`golden file ${file} is missing; run UPDATE_GOLDEN=1 npm test to create it`);
  }
  assert.equal(normalised, expected, `output differs from golden file ${name} (UPDATE_GOLDEN=1 to accept)`);
}
