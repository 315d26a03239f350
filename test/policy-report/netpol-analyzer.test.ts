/**
 * `policy matrix -o connlist` against np-guard netpol-analyzer's own `list` expectations, on
 * every one of its public test folders whose inputs are plain Kubernetes objects and whose
 * semantics Cilium shares (test/fixtures/upstream/netpol-analyzer/README.md lists the others,
 * each with its reason). The expected text is netpol-analyzer's file, byte for byte.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, test } from 'node:test';
import { cli } from '../helpers/cli.js';

const UP = 'test/fixtures/upstream/netpol-analyzer';
const folders = readdirSync(`${UP}/tests`).sort();

describe('connlist equals netpol-analyzer list output', () => {
  test('the vendored folders are the 21 the README includes', () => {
    const readme = readFileSync(`${UP}/README.md`, 'utf8');
    const included = [...readme.split('## Excluded')[0]!.matchAll(/^- `([^`]+)`$/gm)].map((m) => m[1]).sort();
    assert.deepEqual(folders, included);
    assert.equal(folders.length, 21);
  });

  for (const name of folders) {
    test(name, async () => {
      const r = await cli(['policy', 'matrix', '-f', `${UP}/tests/${name}`, '-o', 'connlist']);
      assert.equal(r.code, 0, r.stderr);
      const want = readFileSync(`${UP}/test_outputs/connlist/${name}_connlist_output.txt`, 'utf8');
      assert.deepEqual(r.stdout.trim().split('\n'), want.trim().split('\n'));
    });
  }
});
