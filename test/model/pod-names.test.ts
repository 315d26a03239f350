/**
 * Name shapes. FNV-1a 32-bit test vectors are those of the FNV reference (Fowler/Noll/Vo,
 * "FNV hash" test suite: "" → 0x811c9dc5, "a" → 0xe40c292c, "foobar" → 0xbf9cf968).
 * rand.SafeEncodeString maps each character to alphabet[byte % 27] of
 * "bcdfghjklmnpqrstvwxz2456789": the digits '0'…'9' become 4 5 6 7 8 9 b c d f, which is why
 * every real pod-template-hash is made of those ten characters.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fnv32a, nameSuffix, safeEncode, templateHash } from '../../src/model/pod-names.js';

test('FNV-1a 32-bit reference vectors', () => {
  assert.equal(fnv32a(''), 0x811c9dc5);
  assert.equal(fnv32a('a'), 0xe40c292c);
  assert.equal(fnv32a('foobar'), 0xbf9cf968);
});

test('SafeEncodeString of the decimal digits', () => {
  assert.equal(safeEncode(1234567890), '56789bcdf4');
  assert.match(templateHash({ metadata: { labels: { app: 'web' } } }), /^[456789bcdf]{1,10}$/);
});

test('the hash of a template does not depend on key order; another template, another hash', () => {
  assert.equal(templateHash({ a: 1, b: { c: [1, 2], d: null } }), templateHash({ b: { d: null, c: [1, 2] }, a: 1 }));
  assert.notEqual(templateHash({ spec: { containers: [{ image: 'nginx:1.27' }] } }), templateHash({ spec: { containers: [{ image: 'nginx:1.28' }] } }));
});

test('generateName suffixes: 5 characters of the alphabet, stable, different per seed', () => {
  const seeds = Array.from({ length: 200 }, (_, i) => `shop/web-7c5ddbdf54/${i}`);
  const suffixes = seeds.map(nameSuffix);
  assert.ok(suffixes.every((s) => /^[bcdfghjklmnpqrstvwxz2456789]{5}$/.test(s)));
  assert.deepEqual(seeds.map(nameSuffix), suffixes);
  assert.equal(new Set(suffixes).size, 200);
});
