import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseDocument } from 'yaml';
import { platformJsonSchema, validatePlatformText } from '../../src/spec/index.js';
import { REPO_ROOT } from '../helpers/golden.js';

/**
 * The JSON Schema editors read must refuse what `validate` refuses: the same cluster-name
 * pattern and length (Cilium's pkg/clustermesh/types), node-name pattern and length
 * (Kubernetes' DNS-1123 subdomain, 253), and id range (1..255, 1..511 with 511).
 */
const schema = platformJsonSchema() as Record<string, any>;
const cluster = schema.properties.spec.properties.clusters.items.properties;
const LAB = readFileSync(join(REPO_ROOT, 'examples', 'reference-lab', 'platform.yaml'), 'utf8');

function labWith(edit: (doc: ReturnType<typeof parseDocument>) => void): string {
  const doc = parseDocument(LAB);
  edit(doc);
  return doc.toString();
}
const codes = (text: string) => validatePlatformText('p.yaml', text).diagnostics.map((d) => d.code);
const schemaAccepts = (s: { pattern?: string; maxLength?: number; minimum?: number; maximum?: number }, v: string | number) =>
  typeof v === 'string' ? new RegExp(s.pattern!).test(v) && v.length <= s.maxLength! : v >= s.minimum! && v <= s.maximum!;

describe('JSON Schema limits agree with the rules', () => {
  // Cilium's examples of valid and invalid names (clustermesh/types option.go tests): lowercase, digits, '-' inside, ≤ 32.
  const names = ['k8s-cilium-01', 'a', '1', 'cluster-1', 'Cluster-1', 'cluster_1', '-cluster', 'cluster-', 'c.1', 'a'.repeat(32), 'a'.repeat(33)];
  for (const name of names) {
    test(`cluster name ${JSON.stringify(name.length > 20 ? `${name.length} × a` : name)}`, () => {
      const valid = !codes(labWith((d) => d.setIn(['spec', 'clusters', 0, 'name'], name))).includes('CLUSTER_NAME_INVALID');
      assert.equal(schemaAccepts(cluster.name, name), valid);
    });
  }

  const nodeNames = ['k8s-cilium-01-wk01', 'wk01.dc1.example.com', 'K8S-Worker', 'worker_1', 'worker.', `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`, `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`];
  for (const name of nodeNames) {
    test(`node name of ${name.length} characters ${JSON.stringify(name.slice(0, 20))}`, () => {
      const valid = !codes(labWith((d) => d.setIn(['spec', 'clusters', 0, 'nodes', 1, 'name'], name))).includes('NODE_NAME_INVALID');
      assert.equal(schemaAccepts(cluster.nodes.items.properties.name, name), valid);
    });
  }

  test('node names: 253 characters pass, 254 do not (IsDNS1123Subdomain)', () => {
    assert.equal(cluster.nodes.items.properties.name.maxLength, 253);
    assert.equal(nodeNames[5]!.length, 253);
    assert.equal(nodeNames[6]!.length, 254);
  });

  test('cluster ids: 0..511 in the schema, 255 at most unless maxConnectedClusters is 511', () => {
    assert.deepEqual([cluster.id.minimum, cluster.id.maximum], [0, 511]);
    const spec = schema.properties.spec;
    assert.deepEqual(spec.if.properties.mesh.properties.maxConnectedClusters, { const: 511 });
    assert.equal(spec.else.properties.clusters.items.properties.id.maximum, 255);
    for (const [id, max, refused] of [[255, 255, false], [256, 255, true], [256, 511, false], [511, 511, false], [512, 511, true]] as const) {
      const text = labWith((d) => {
        d.setIn(['spec', 'clusters', 0, 'id'], id);
        d.setIn(['spec', 'mesh', 'maxConnectedClusters'], max);
      });
      assert.equal(codes(text).includes('CLUSTER_ID_RANGE'), refused, `id ${id} with ${max}`);
      const schemaMax = max === 511 ? cluster.id.maximum : spec.else.properties.clusters.items.properties.id.maximum;
      assert.equal(id > schemaMax, refused, `schema, id ${id} with ${max}`);
    }
  });
});

describe('loadBalancerPool: a DNS-1123 subdomain, as for every object name', () => {
  // k8s.io/apimachinery pkg/util/validation/validation_test.go TestIsDNS1123Subdomain, verbatim.
  const good = ['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', '0', '01', '012', '1a', '1-a', '1--a--b--2', 'a.a', 'ab.a', 'abc.a', 'a1.a', 'a-1.a', 'a--1--2--b.a', 'a.1', 'ab.1', 'abc.1', 'a1.1', 'a-1.1', 'a--1--2--b.1', '0.a', '01.a', '012.a', '1a.a', '1-a.a', '0.1', '01.1', '012.1', '1a.1', '1-a.1', '1--a--b--2.1', 'a.b.c.d.e', 'aa.bb.cc.dd.ee', '1.2.3.4.5', '11.22.33.44.55', 'a'.repeat(253)];
  const bad = ['', 'A', 'ABC', 'aBc', 'A1', 'A-1', '1-A', '-', 'a-', '-a', '1-', '-1', '_', 'a_', '_a', 'a_b', '1_', '_1', '1_2', '.', 'a.', '.a', 'a..b', '1.', '.1', '1..2', ' ', 'a ', ' a', 'a b', '1 ', ' 1', '1 2', 'A.a', 'aB.a', 'ab.A', 'A1.a', 'a1.A', 'A.1', 'aB.1', 'A1.1', '1A.1', '0.A', '01.A', '012.A', '1A.a', '1a.A', 'A.B.C.D.E', 'AA.BB.CC.DD.EE', 'a.B.c.d.e', 'aa.bB.cc.dd.ee', 'a@b', 'a,b', 'a;b', 'a:b', 'a%b', 'a?b', 'a$b', 'a'.repeat(254)];
  const refused = (name: string) => codes(labWith((d) => d.setIn(['spec', 'clusters', 0, 'loadBalancerPool'], name))).includes('INVALID_NAME');
  test('accepted', () => assert.deepEqual(good.filter(refused), []));
  test('refused', () => assert.deepEqual(bad.filter((n) => !refused(n)), []));
  test('the finding names the field, the value and what it must be', () => {
    const d = validatePlatformText('p.yaml', labWith((doc) => doc.setIn(['spec', 'clusters', 0, 'loadBalancerPool'], 'Edge'))).diagnostics.filter((x) => x.code === 'INVALID_NAME');
    assert.deepEqual(d.map((x) => x.message), ['spec.clusters[0].loadBalancerPool: "Edge" is not a lowercase DNS-1123 name']);
  });
});

test('cilium.version is a chart version (MAJOR.MINOR.PATCH, optional pre-release), as helm --version takes it', () => {
  const findings = (v: string) => validatePlatformText('p.yaml', labWith((doc) => doc.setIn(['spec', 'cilium', 'version'], v))).diagnostics.filter((x) => x.code === 'INVALID_VERSION').map((x) => x.message);
  assert.deepEqual(findings('1.16'), ['spec.cilium.version: "1.16" is not a chart version such as 1.16.5']);
  assert.deepEqual(findings('v1.16.5'), ['spec.cilium.version: "v1.16.5" is not a chart version such as 1.16.5']);
  assert.deepEqual([findings('1.16.5'), findings('1.17.0-rc.1')], [[], []]);
});
