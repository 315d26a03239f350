/**
 * The edges of what each cluster holds (src/model/placement.ts), by how `kubectl apply` keys an
 * object (API group, kind, namespace for namespaced kinds, name; a namespaced object without
 * metadata.namespace lands in "default"): one finding per later definition, each naming the
 * earlier one, and the clusters as asked, each once.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseManifestText, type LoadedObject } from '../../src/manifests/index.js';
import { placedObjects, placeObjects } from '../../src/model/index.js';

const configMap = (name: string, namespace: string | undefined, value: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ''}data: {LOG_LEVEL: ${value}}\n`;

function load(file: string, text: string, cluster?: string): LoadedObject[] {
  const r = parseManifestText(file, text, cluster);
  assert.deepEqual(r.diagnostics, []);
  return r.objects;
}

describe('duplicates', () => {
  test('no metadata.namespace is "default": the same ConfigMap written both ways is one, named default/app-config', () => {
    const p = placeObjects(['c1'], [...load('a.yaml', configMap('app-config', undefined, 'info')), ...load('b.yaml', configMap('app-config', 'default', 'debug'))]);
    assert.equal(p.byCluster.get('c1')!.length, 1);
    assert.deepEqual(p.diagnostics.map((d) => [d.code, d.message, d.hint]), [
      ['DUPLICATE_OBJECT', 'ConfigMap default/app-config is also defined in a.yaml:1; this later one is used, as kubectl apply would leave it', 'give each object once, or pass only the files you mean'],
    ]);
    const back = placeObjects(['c1'], [...load('a.yaml', configMap('app-config', 'default', 'info')), ...load('b.yaml', configMap('app-config', undefined, 'debug'))]);
    assert.match(back.diagnostics[0]!.message, /^ConfigMap default\/app-config is also defined in a\.yaml:1;/);
  });

  test("Kubernetes' NetworkPolicy and Calico's of the same name are two objects (another API group)", () => {
    const text = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: default-deny, namespace: shop}\nspec: {podSelector: {}}\n---\napiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: default-deny, namespace: shop}\nspec: {selector: all()}\n';
    const p = placeObjects(['c1'], load('deny.yaml', text));
    assert.deepEqual(p.byCluster.get('c1')!.map((o) => o.object.apiVersion), ['networking.k8s.io/v1', 'projectcalico.org/v3']);
    assert.deepEqual(p.diagnostics, []);
  });

  test('three definitions: a finding at the second and one at the third, each naming the one before', () => {
    const objects = [...load('base.yaml', configMap('app-config', 'shop', 'info')), ...load('staging.yaml', configMap('app-config', 'shop', 'debug')), ...load('prod.yaml', configMap('app-config', 'shop', 'warn'))];
    const p = placeObjects(['c1'], objects);
    assert.deepEqual(p.byCluster.get('c1')!.map((o) => o.source!.file), ['prod.yaml']);
    assert.deepEqual(p.diagnostics.map((d) => [d.file, d.message.replace(/;.*/, '')]), [
      ['staging.yaml', 'ConfigMap shop/app-config is also defined in base.yaml:1'],
      ['prod.yaml', 'ConfigMap shop/app-config is also defined in staging.yaml:1'],
    ]);
  });

  test('two objects each given twice: two findings', () => {
    const text = `${configMap('app-config', 'shop', 'info')}---\n${configMap('feature-flags', 'shop', 'info')}`;
    const p = placeObjects(['c1'], [...load('a.yaml', text), ...load('b.yaml', text)]);
    assert.deepEqual(p.diagnostics.map((d) => [d.file, d.start?.line]), [['b.yaml', 4], ['b.yaml', 11]]);
  });

  test('a cluster-scoped object is named without a namespace; the earlier one on its own line of its file', () => {
    const ns = (team: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {team: ${team}}\n`;
    const p = placeObjects(['c1'], [...load('a.yaml', `${configMap('x', 'shop', 'info')}---\n${ns('a')}`), ...load('b.yaml', ns('b'))]);
    assert.equal(p.diagnostics[0]!.message, 'Namespace shop is also defined in a.yaml:8; this later one is used, as kubectl apply would leave it');
  });

  test('an earlier object that came from no file (built in memory) is named as such', () => {
    const [built] = load('a.yaml', configMap('app-config', 'shop', 'info'));
    const { source: _drop, ...bare } = built!;
    const p = placeObjects(['c1'], [bare, ...load('b.yaml', configMap('app-config', 'shop', 'debug'))]);
    assert.equal(p.diagnostics[0]!.message, 'ConfigMap shop/app-config is also defined in an earlier object; this later one is used, as kubectl apply would leave it');
  });
});

describe('clusters', () => {
  test('an object placed in a cluster that was asked for adds no cluster', () => {
    const objects = [...load('c1.yaml', configMap('a', 'shop', 'info'), 'c1'), ...load('c1b.yaml', configMap('b', 'shop', 'info'), 'c1'), ...load('c3.yaml', configMap('c', 'shop', 'info'), 'c3'), ...load('c3b.yaml', configMap('d', 'shop', 'info'), 'c3')];
    const p = placeObjects(['c1', 'c2'], objects);
    assert.deepEqual(p.clusters, ['c1', 'c2', 'c3']);
    assert.deepEqual([...p.byCluster.keys()], ['c1', 'c2', 'c3']);
    assert.deepEqual(p.byCluster.get('c2'), []);
  });

  test('placedObjects: every object some cluster holds, once, in input order', () => {
    const shared = load('all.yaml', configMap('shared', 'shop', 'info'));
    const objects = [...load('c1.yaml', configMap('only-c1', 'shop', 'info'), 'c1'), ...shared, ...load('c2.yaml', configMap('only-c2', 'shop', 'info'), 'c2')];
    const p = placeObjects(['c1', 'c2', 'c3'], objects);
    assert.deepEqual(placedObjects(p).map((o) => o.object.metadata.name), ['only-c1', 'shared', 'only-c2']);
    assert.deepEqual(['c1', 'c2', 'c3'].map((c) => p.byCluster.get(c)!.map((o) => o.object.metadata.name)), [['only-c1', 'shared'], ['shared', 'only-c2'], ['shared']]);
  });
});
