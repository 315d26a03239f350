import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { validatePlatformText } from '../../src/spec/index.js';
import { TEST_ROOT } from '../helpers/golden.js';

/**
 * One real-looking platform file per rule. Each names the findings it must produce in its
 * header (`# expect: error CODE line:col`), at the offending value; nothing else may be found.
 */
const DIR = join(TEST_ROOT, 'fixtures', 'platforms');

function expectations(text: string): string[] {
  return [...text.matchAll(/^# expect: (error|warning) ([A-Z_]+) (\d+:\d+)$/gm)].map((m) => `${m[1]} ${m[2]} ${m[3]}`).sort();
}

describe('validate: one fixture per rule', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml'));
  test('fixtures exist', () => assert.ok(files.length >= 40, `only ${files.length} fixtures`));
  for (const name of files) {
    test(name.replace(/\.yaml$/, ''), () => {
      const text = readFileSync(join(DIR, name), 'utf8');
      const expected = expectations(text);
      assert.ok(expected.length > 0, 'fixture declares no expectation');
      const result = validatePlatformText(name, text);
      const actual = result.diagnostics.map((d) => `${d.severity} ${d.code} ${d.start?.line}:${d.start?.column}`).sort();
      assert.deepEqual(actual, expected, result.diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n'));
      const errors = expected.some((e) => e.startsWith('error'));
      assert.equal(result.platform === undefined, errors, 'a platform is returned exactly when there is no error');
      for (const d of result.diagnostics) {
        assert.equal(d.file, name);
        assert.ok(d.message.length > 0 && !d.message.includes('undefined'), d.message);
        if (!d.code.startsWith('YAML_') && d.severity === 'error' && d.code !== 'EMPTY_LIST') assert.ok(d.hint, `${d.code} has no hint`);
      }
    });
  }
});
