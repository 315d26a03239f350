import assert from 'node:assert/strict';
import { join } from 'node:path';
import { validatePlatformFile, type Platform } from '../../src/spec/index.js';
import { REPO_ROOT, TEST_ROOT } from './golden.js';

export function loadPlatform(file: string): Platform {
  const r = validatePlatformFile(file);
  assert.ok(r.platform, r.diagnostics.map((d) => d.message).join('\n'));
  return r.platform;
}

/** examples/reference-lab/platform.yaml: the notebook's two clusters. */
export const referenceLab = (): Platform => loadPlatform(join(REPO_ROOT, 'examples', 'reference-lab', 'platform.yaml'));

/** test/fixtures/platforms-valid/<name>. */
export const validFixture = (name: string): Platform => loadPlatform(join(TEST_ROOT, 'fixtures', 'platforms-valid', name));
