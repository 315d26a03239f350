import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { MeshwrightError } from '../../src/diag/index.js';
import { diffTree, readTree, writeTree } from '../../src/render-output/index.js';
import type { RenderedFile } from '../../src/render/index.js';

const FILES: RenderedFile[] = [
  { path: 'k8s-cilium-01/helm/cilium-values.yaml', content: 'cluster:\n  name: k8s-cilium-01\n  id: 1\n', secret: false },
  { path: 'k8s-cilium-01/helm/cilium-values.secret.yaml', content: 'tls:\n  ca:\n    cert: QUJD\n', secret: true },
  { path: 'mesh-ca.crt', content: '-----BEGIN CERTIFICATE-----\n', secret: false },
];

const made: string[] = [];
const temp = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
};
const fresh = () => join(temp('meshwright-out-'), 'out');
after(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('output tree', () => {
  test('writes every file, secrets 0600, and reads them back', () => {
    const out = fresh();
    writeTree(out, FILES);
    assert.equal(statSync(join(out, 'k8s-cilium-01/helm/cilium-values.secret.yaml')).mode & 0o777, 0o600);
    assert.equal(statSync(join(out, 'k8s-cilium-01/helm/cilium-values.yaml')).mode & 0o777, 0o644);
    assert.deepEqual([...readTree(out).entries()].sort(), FILES.map((f) => [f.path, f.content]).sort());
  });

  test('a new render replaces the old one wholesale: removed files go, nothing is left half-written', () => {
    const out = fresh();
    writeTree(out, FILES);
    writeTree(out, FILES.slice(0, 1));
    assert.deepEqual([...readTree(out).keys()], [FILES[0]!.path]);
    assert.deepEqual(readdirSync(join(out, '..')).sort(), ['out'], 'no staging or backup folder left behind');
  });

  test('a failed write leaves the previous output intact', () => {
    const out = fresh();
    writeTree(out, FILES);
    const before = readTree(out);
    // A file path that collides with a folder of the same render makes the write fail half-way.
    const clash: RenderedFile[] = [...FILES, { path: 'mesh-ca.crt/inner', content: 'x', secret: false }];
    assert.throws(() => writeTree(out, clash), (e: unknown) => e instanceof MeshwrightError && e.diagnostics[0]!.code === 'OUTPUT_UNWRITABLE');
    assert.deepEqual(readTree(out), before);
    assert.deepEqual(readdirSync(join(out, '..')).sort(), ['out']);
  });

  test('refuses to replace a folder meshwright did not write', () => {
    const out = fresh();
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'notes.txt'), 'mine');
    assert.throws(() => writeTree(out, FILES), (e: unknown) => e instanceof MeshwrightError && e.diagnostics[0]!.code === 'OUTPUT_NOT_OURS');
    assert.equal(readFileSync(join(out, 'notes.txt'), 'utf8'), 'mine');
  });

  test('an unwritable parent gives OUTPUT_UNWRITABLE with a hint', () => {
    const parent = temp('meshwright-ro-');
    const file = join(parent, 'plain-file');
    writeFileSync(file, '');
    assert.throws(() => writeTree(join(file, 'out'), FILES), (e: unknown) => e instanceof MeshwrightError && e.diagnostics[0]!.code === 'OUTPUT_UNWRITABLE' && Boolean(e.diagnostics[0]!.hint));
    chmodSync(parent, 0o755);
    assert.ok(!existsSync(join(file, 'out')));
  });
});

describe('diff against the last render', () => {
  test('added, changed and removed files; secrets never shown', () => {
    const previous = new Map<string, string>([
      [FILES[0]!.path, 'cluster:\n  name: k8s-cilium-01\n  id: 7\n'],
      [FILES[1]!.path, 'tls:\n  ca:\n    cert: OLD\n'],
      ['k8s-cilium-09/helm/cilium-values.yaml', 'gone\n'],
    ]);
    const changes = diffTree(previous, FILES);
    assert.deepEqual(changes.map((c) => `${c.change} ${c.path}`), [
      `changed ${FILES[1]!.path}`,
      `changed ${FILES[0]!.path}`,
      'removed k8s-cilium-09/helm/cilium-values.yaml',
      'added mesh-ca.crt',
    ].sort((a, b) => a.split(' ')[1]!.localeCompare(b.split(' ')[1]!)));
    const values = changes.find((c) => c.path === FILES[0]!.path)!;
    assert.match(values.patch!, /^-  id: 7$/m);
    assert.match(values.patch!, /^\+  id: 1$/m);
    const secret = changes.find((c) => c.path === FILES[1]!.path)!;
    assert.equal(secret.patch, undefined);
  });

  test('no change when the bytes are equal', () => {
    assert.deepEqual(diffTree(new Map(FILES.map((f) => [f.path, f.content])), FILES), []);
  });
});
