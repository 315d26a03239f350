import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { validatePlatformText } from '../../src/spec/index.js';
import { REPO_ROOT, TEST_ROOT } from '../helpers/golden.js';

const SOURCES = [
  readFileSync(join(REPO_ROOT, 'examples', 'reference-lab', 'platform.yaml'), 'utf8'),
  readFileSync(join(TEST_ROOT, 'fixtures', 'platforms-valid', 'three-clusters.yaml'), 'utf8'),
];

/** Values a careless edit puts in a platform file. */
const junk = fc.oneof(
  fc.constantFrom('10.1.0.0/16', '10.1.0.0/33', '172.26.0.141', '172.26.0.999', 'default', 'K8S', '', '255', 'yes', '1.16.5', 'v1.30.4', '::1', '10.0.0.0/8', 'LoadBalancer', 'a-b'),
  fc.integer({ min: -5, max: 600 }),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 12 }),
  fc.array(fc.constantFrom('172.26.0.101', '10.2.0.0/30', 'x', 7), { maxLength: 3 }),
  fc.dictionary(fc.constantFrom('name', 'id', 'podCIDR', 'address', 'role', 'zzz'), fc.constantFrom('a', 1, '10.9.0.0/16', 'worker')),
);

function assertWellFormed(text: string): void {
  const r = validatePlatformText('platform.yaml', text);
  const lines = text.split('\n').length;
  if (r.platform) assert.equal(r.diagnostics.filter((d) => d.severity === 'error').length, 0);
  else assert.ok(r.diagnostics.some((d) => d.severity === 'error'), 'invalid without an error');
  for (const d of r.diagnostics) {
    assert.match(d.code, /^[A-Z_]+$/);
    assert.ok(d.message.length > 0);
    assert.ok(d.start, `${d.code} has no position`);
    assert.ok(d.start.line >= 1 && d.start.line <= lines + 1, `${d.code} line ${d.start.line}`);
    assert.ok(d.start.column >= 1, `${d.code} column ${d.start.column}`);
  }
  // Each finding once: the schema and the rules never say the same thing at the same place.
  const keys = r.diagnostics.map((d) => `${d.code}@${d.range?.[0]}:${d.message}`);
  assert.equal(new Set(keys).size, keys.length, `a finding reported twice: ${keys.join('\n')}`);
}

/** Sets, deletes or replaces a value somewhere in the parsed platform. */
function mutate(doc: unknown, picks: number[], value: unknown, op: 'set' | 'delete'): void {
  let node = doc as Record<string | number, unknown>;
  for (const pick of picks) {
    const keys = Object.keys(node);
    if (keys.length === 0) return;
    const key = keys[pick % keys.length]!;
    const child = node[key];
    if (!child || typeof child !== 'object' || pick % 3 === 0) {
      if (op === 'delete') delete node[key];
      else node[key] = value;
      return;
    }
    node = child as Record<string | number, unknown>;
  }
}

test('random edits of a valid platform never crash the validator', () => {
  fc.assert(
    fc.property(fc.constantFrom(...SOURCES), fc.array(fc.nat(50), { minLength: 1, maxLength: 6 }), junk, fc.constantFrom('set', 'delete'), (src, picks, value, op) => {
      const doc = parse(src) as unknown;
      mutate(doc, picks, value, op as 'set' | 'delete');
      assertWellFormed(stringify(doc));
    }),
    { numRuns: 400 },
  );
});

test('random text damage never crashes the validator', () => {
  fc.assert(
    fc.property(fc.constantFrom(...SOURCES), fc.nat(), fc.nat(), fc.constantFrom('delete-line', 'duplicate-line', 'insert', 'dedent', 'truncate'), fc.string({ maxLength: 8 }), (src, a, b, op, ins) => {
      const lines = src.split('\n');
      const i = a % lines.length;
      if (op === 'delete-line') lines.splice(i, 1);
      else if (op === 'duplicate-line') lines.splice(i, 0, lines[i]!);
      else if (op === 'dedent') lines[i] = lines[i]!.replace(/^ {2}/, '');
      else if (op === 'insert') lines[i] = lines[i]!.slice(0, b % (lines[i]!.length + 1)) + ins + lines[i]!.slice(b % (lines[i]!.length + 1));
      const text = op === 'truncate' ? src.slice(0, b % src.length) : lines.join('\n');
      if (text.trim() === '' || text.replace(/#.*$/gm, '').trim() === '') return;
      assertWellFormed(text);
    }),
    { numRuns: 400 },
  );
});
