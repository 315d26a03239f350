/**
 * What a person reads when their policies hold mistakes: every finding of
 * test/fixtures/policy/mistakes (one mistake per policy) as `meshwright policy` prints it, with
 * its line, caret and hint. A golden file (UPDATE_GOLDEN=1 to accept a change) so a word lost
 * from a message, a shape named wrongly or a finding dropped shows up as a diff.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cli } from '../helpers/cli.js';
import { assertGolden } from '../helpers/golden.js';

test('policy findings for a file of typical mistakes, as printed', async () => {
  const r = await cli(['policy', 'matrix', '-f', 'test/fixtures/policy/mistakes']);
  assert.equal(r.code, 1, 'errors in policies make the command fail');
  assert.equal(r.stdout, '');
  assertGolden('policy-diagnostics.txt', r.stderr);
});
