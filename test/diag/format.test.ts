import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDiagnostic, LineIndex } from '../../src/diag/index.js';

const SOURCE = 'spec:\n  clusters:\n    - podCIDR: 10.1.0.0/16\n';

test('line index maps offsets to 1-based line and column', () => {
  const idx = new LineIndex(SOURCE);
  assert.deepEqual(idx.position(0), { line: 1, column: 1 });
  assert.deepEqual(idx.position(SOURCE.indexOf('10.1')), { line: 3, column: 16 });
  assert.equal(idx.line(3), '    - podCIDR: 10.1.0.0/16');
});

test('a diagnostic shows its place, the source line and a caret under the culprit', () => {
  const idx = new LineIndex(SOURCE);
  const start = SOURCE.indexOf('10.1');
  const text = formatDiagnostic(
    { severity: 'error', code: 'POD_CIDR_OVERLAP', message: 'overlaps', hint: 'move it', file: 'p.yaml', start: idx.position(start), end: idx.position(start + 11) },
    idx,
  );
  assert.equal(text, ['p.yaml:3:16: error[POD_CIDR_OVERLAP]: overlaps', '   3 |     - podCIDR: 10.1.0.0/16', '     |                ^^^^^^^^^^^', '  hint: move it'].join('\n'));
});

test('long lines are cut around the caret', () => {
  const long = `key: ${'x'.repeat(400)}BAD${'y'.repeat(400)}`;
  const idx = new LineIndex(long);
  const start = long.indexOf('BAD');
  const text = formatDiagnostic({ severity: 'warning', code: 'X', message: 'm', file: 'f', start: idx.position(start), end: idx.position(start + 3) }, idx);
  const [, excerpt, caret] = text.split('\n');
  assert.ok(excerpt!.length < 200);
  assert.equal(excerpt!.indexOf('BAD'), caret!.indexOf('^^^'));
});
