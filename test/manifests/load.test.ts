import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { locate, objectLine, parseManifestText } from '../../src/manifests/index.js';
import { REPO_ROOT } from '../helpers/golden.js';

/** A comment holding an anchor-like token: values unchanged, but the file takes the positioned path. */
const POSITIONED = '\n# &positioned-path\n';

function manifestFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return manifestFiles(full);
    return /\.(ya?ml|json)$/.test(name) ? [full] : [];
  });
}

describe('reading manifests', () => {
  test('every fixture gives the same objects and findings read fast as read with positions', () => {
    const files = manifestFiles(join(REPO_ROOT, 'test/fixtures/manifests')).concat(manifestFiles(join(REPO_ROOT, 'test/fixtures/live')));
    assert.ok(files.length > 20);
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      const fast = parseManifestText(f, text);
      // a file with a syntax error takes the positioned path anyway, where the appended line moves the error
      if (fast.diagnostics.some((d) => d.code.startsWith('YAML_'))) continue;
      const slow = parseManifestText(f, text + POSITIONED);
      assert.deepEqual(fast.objects.map((o) => o.object), slow.objects.map((o) => o.object), f);
      assert.deepEqual(fast.diagnostics.map((d) => [d.code, d.start]), slow.diagnostics.map((d) => [d.code, d.start]), f);
      assert.deepEqual(fast.objects.map((o) => objectLine(o.source)), slow.objects.map((o) => objectLine(o.source)), f);
    }
  });

  test('a finding points at its line in a stream with empty and comment-only documents and a List', () => {
    const text = [
      '# rendered by a CI job',
      '---',
      '---',
      '# nothing here either',
      '---',
      'apiVersion: v1',
      'kind: List',
      'items:',
      '- apiVersion: v1',
      '  kind: ConfigMap',
      '  metadata: {name: a}',
      '- apiVersion: v1',
      '  kind: ConfigMap',
      '  metadata:',
      '    namespace: default',
      '---',
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: web',
      '',
    ].join('\n');
    const r = parseManifestText('stream.yaml', text);
    assert.deepEqual(r.objects.map((o) => `${o.object.kind}/${o.object.metadata.name}`), ['ConfigMap/a', 'Deployment/web']);
    assert.deepEqual(r.diagnostics.map((d) => [d.code, d.message, d.start?.line]), [['MANIFEST_INVALID', 'ConfigMap has no metadata.name', 12]]);
    assert.equal(objectLine(r.objects[1]!.source), 17);
    const at = locate({ severity: 'warning', code: 'X', message: '' }, r.objects[1]!.source, ['metadata', 'name']);
    assert.deepEqual([at.start?.line, at.start?.column], [20, 9]);
  });

  test("kubectl get -o json output reads as the same objects, positioned in the JSON", () => {
    const json = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'rebel-base', namespace: 'default' }, spec: { ports: [{ port: 80 }] } }, { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'default' } }] }, null, 4);
    const r = parseManifestText('get.json', json);
    assert.equal(r.objects[0]!.object.metadata.name, 'rebel-base');
    assert.deepEqual(r.diagnostics.map((d) => [d.code, d.start?.line]), [['MANIFEST_INVALID', 20]]);
  });

  test('a duplicate key and a syntax error are reported at their place, as before', () => {
    const dup = parseManifestText('dup.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n');
    assert.deepEqual(dup.diagnostics.map((d) => [d.code, d.start?.line]), [['YAML_SYNTAX', 5]]);
    assert.equal(dup.objects.length, 0);
    const bad = parseManifestText('bad.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [a\n');
    assert.equal(bad.diagnostics[0]?.code, 'YAML_SYNTAX');
  });

  test('aliases are expanded within limits: a billion laughs is refused, not walked', () => {
    const laughs = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: lol}', 'data:', '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) laughs.push(`  ${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const r = parseManifestText('lol.yaml', laughs.join('\n'));
    assert.deepEqual(r.diagnostics.map((d) => d.code), ['YAML_TOO_COMPLEX']);
  });
});
