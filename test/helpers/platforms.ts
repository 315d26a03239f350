import assert from 'node:assert/strict';
import { join } from 'node:path';
import { validatePlatformFile, validatePlatformText, type Platform, type ValidationResult } from '../../src/spec/index.js';
import { REPO_ROOT, TEST_ROOT } from './golden.js';

export const loadPlatform = (file: string): Platform => valid(validatePlatformFile(file));

/** A platform a test writes out inline; any error it has fails the test. */
export const platformFromText = (text: string): Platform => valid(validatePlatformText('platform.yaml', text));

function valid(r: ValidationResult): Platform {
  assert.ok(r.platform, r.diagnostics.map((d) => d.message).join('\n'));
  return r.platform;
}

/** examples/reference-lab/platform.yaml: the notebook's two clusters. */
export const referenceLab = (): Platform => loadPlatform(join(REPO_ROOT, 'examples', 'reference-lab', 'platform.yaml'));

/** test/fixtures/platforms-valid/<name>. */
export const validFixture = (name: string): Platform => loadPlatform(join(TEST_ROOT, 'fixtures', 'platforms-valid', name));
