import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { formatDiagnostic } from '../../src/diag/index.js';
import { validatePlatformText } from '../../src/spec/index.js';
import { assertGolden, TEST_ROOT } from '../helpers/golden.js';

/**
 * What a person reads for every rule: each fixture's findings with their messages and hints, as
 * `validate` prints them (without the source excerpt). Review the diff when a message changes.
 */
test('every fixture\'s messages and hints (golden)', () => {
  const out: string[] = [];
  for (const dir of ['platforms', 'platforms-valid']) {
    const folder = join(TEST_ROOT, 'fixtures', dir);
    for (const name of readdirSync(folder).filter((f) => f.endsWith('.yaml')).sort()) {
      const file = `${dir}/${name}`;
      const result = validatePlatformText(file, readFileSync(join(folder, name), 'utf8'));
      if (result.diagnostics.length === 0) continue;
      out.push(`== ${file}`, ...result.diagnostics.map((d) => formatDiagnostic(d)), '');
    }
  }
  assertGolden('validate-fixtures.txt', out.join('\n'));
});
