/**
 * What each cluster holds (src/model/placement.ts) and what the API server would refuse as
 * written (src/model/kinds.ts, fields.ts): `kubectl apply` keeps one object per group, kind,
 * namespace and name — the later definition — and refuses kinds it does not serve and values
 * of the wrong type. meshwright reads what is evidently meant and says so at the position.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseManifestText, type LoadedObject } from '../../src/manifests/index.js';
import { placeObjects, workloadPods } from '../../src/model/index.js';

const deployment = (name: string, replicas: string, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: shop}
spec:
  replicas: ${replicas}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: c, image: nginx${extra}}]}
`;

function load(file: string, text: string, cluster?: string): LoadedObject[] {
  const r = parseManifestText(file, text, cluster);
  assert.deepEqual(r.diagnostics, []);
  return r.objects;
}

describe('duplicates: one rule, the later definition, said at its position', () => {
  test('the same Deployment in two files: the later one is used, in the place the first was created', () => {
    const objects = [...load('a.yaml', `${deployment('web', '2')}---\n${deployment('api', '1')}`), ...load('b.yaml', deployment('web', '5'))];
    const p = placeObjects(['c1'], objects);
    const held = p.byCluster.get('c1')!;
    assert.deepEqual(held.map((o) => [o.object.metadata.name, o.source?.file]), [['web', 'b.yaml'], ['api', 'a.yaml']]);
    assert.deepEqual(p.diagnostics.map((d) => [d.code, d.file, d.start?.line, d.start?.column]), [['DUPLICATE_OBJECT', 'b.yaml', 3, 18]]);
    assert.match(p.diagnostics[0]!.message, /^Deployment shop\/web is also defined in a\.yaml:1; this later one is used/);
  });

  test('the same name in another namespace, or of another kind, is another object', () => {
    const objects = load('a.yaml', `${deployment('web', '2')}---\n${deployment('web', '2').replace('namespace: shop', 'namespace: staging')}---\napiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {selector: {app: web}}\n`);
    const p = placeObjects(['c1'], objects);
    assert.equal(p.byCluster.get('c1')!.length, 3);
    assert.deepEqual(p.diagnostics, []);
  });

  test('a Namespace is cluster-scoped: a stray metadata.namespace does not make two of it', () => {
    const p = placeObjects(['c1'], load('n.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop, namespace: default, labels: {team: a}}\n'));
    assert.deepEqual(p.byCluster.get('c1')!.map((o) => o.object.metadata.labels), [{ team: 'a' }]);
    assert.deepEqual(p.diagnostics.map((d) => d.code), ['DUPLICATE_OBJECT']);
  });

  test('an object for every cluster and the same one placed in c1: c1 holds the later, c2 the shared one, one warning', () => {
    const objects = [...load('all.yaml', deployment('web', '2')), ...load('c1.yaml', deployment('web', '4'), 'c1')];
    const p = placeObjects(['c1', 'c2'], objects);
    assert.equal(p.byCluster.get('c1')![0]!.source!.file, 'c1.yaml');
    assert.equal(p.byCluster.get('c2')![0]!.source!.file, 'all.yaml');
    assert.equal(p.diagnostics.length, 1);
  });

  test("a user's manifest replacing one of meshwright's own says so", () => {
    const own = load('k8s-cilium-01/manifests/03-global-service-demo.yaml', deployment('web', '2'), 'c1').map((o) => ({ ...o, origin: 'platform' as const }));
    const p = placeObjects(['c1'], [...own, ...load('mine.yaml', deployment('web', '3'))]);
    assert.match(p.diagnostics[0]!.message, /replaces meshwright's own \(k8s-cilium-01\/manifests\/03-global-service-demo\.yaml:1\)/);
    assert.match(p.diagnostics[0]!.hint!, /--no-platform-manifests/);
  });
});

describe('kinds: refused as written, read as meant', () => {
  test('Deploymnet: did you mean Deployment? counted as one, and its pods say they rest on the fix', () => {
    const p = placeObjects(['c1'], load('typo.yaml', deployment('web', '2').replace('kind: Deployment', 'kind: Deploymnet')));
    assert.deepEqual(p.diagnostics.map((d) => [d.code, d.start?.line, d.start?.column, d.hint]), [['UNKNOWN_KIND', 2, 7, 'did you mean Deployment? write kind: Deployment']]);
    const pods = workloadPods({ objects: p.byCluster.get('c1')! }).pods;
    assert.equal(pods.length, 2);
    assert.deepEqual(pods[0]!.dependsOn.map((d) => d.code), ['UNKNOWN_KIND']);
  });

  test('a known kind under a wrong built-in apiVersion is read under its own', () => {
    const p = placeObjects(['c1'], load('v.yaml', deployment('web', '1').replace('apps/v1', 'v1')));
    assert.equal(p.byCluster.get('c1')![0]!.object.apiVersion, 'apps/v1');
    assert.deepEqual(p.diagnostics.map((d) => [d.code, d.start?.line, d.start?.column, d.hint]), [['API_VERSION_MISMATCH', 1, 13, 'write apiVersion: apps/v1']]);
    // Its pods depend on that fix: kubectl apply refuses the Deployment until it is made.
    assert.deepEqual(workloadPods({ objects: p.byCluster.get('c1')! }).pods[0]!.dependsOn.map((d) => d.code), ['API_VERSION_MISMATCH']);
  });

  test('a kind no built-in group has is refused and left out; custom resources and same-named kinds of other projects stay, quietly', () => {
    const text = 'apiVersion: apps/v1\nkind: Frobnicator\nmetadata: {name: x}\n---\napiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: tls}\n---\napiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: calico}\n';
    const p = placeObjects(['c1'], load('k.yaml', text));
    assert.deepEqual(p.byCluster.get('c1')!.map((o) => o.object.kind), ['Certificate', 'NetworkPolicy']);
    assert.deepEqual(p.diagnostics.map((d) => [d.code, d.start?.line]), [['UNKNOWN_KIND', 2]]);
  });
});

describe('values of the wrong type: what the author meant, and the exact fix', () => {
  const run = (text: string) => {
    const r = workloadPods({ objects: load('f.yaml', text) });
    return { pods: r.pods, found: r.diagnostics.map((d) => [d.code, d.start?.line, d.start?.column, d.hint]) };
  };

  test('replicas: "3" is 3 pods, with "write 3 without quotes"', () => {
    const r = run(deployment('web', '"3"'));
    assert.equal(r.pods.length, 3);
    assert.deepEqual(r.found, [['FIELD_TYPE', 5, 13, 'write 3 without quotes']]);
    assert.deepEqual(r.pods[0]!.dependsOn.map((d) => d.code), ['FIELD_TYPE']);
  });

  test('replicas: three means nothing: the API server refuses the Deployment, no pod', () => {
    const r = run(deployment('web', 'three'));
    assert.deepEqual(r.pods, []);
    assert.deepEqual(r.found.map((f) => f[0]), ['OBJECT_REFUSED']);
  });

  test('containerPort: "8080" is port 8080; protocol: udp is UDP; each with its fix', () => {
    const r = run(deployment('web', '1', ', ports: [{containerPort: "8080", name: http}, {containerPort: 53, protocol: udp}]'));
    assert.deepEqual(r.pods[0]!.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }]);
    assert.deepEqual(r.found.map((f) => [f[0], f[3]]), [['FIELD_TYPE', 'write 8080 without quotes'], ['FIELD_VALUE', 'write protocol: UDP']]);
  });

  test('containerPort: http is no number: refused', () => {
    assert.deepEqual(run(deployment('web', '1', ', ports: [{containerPort: http}]')).pods, []);
  });

  test('a label value true is the text "true", quote it', () => {
    const r = run(deployment('web', '1').replace('labels: {app: web}', 'labels: {app: web, canary: true}'));
    assert.equal(r.pods[0]!.labels.canary, 'true');
    assert.deepEqual(r.found.map((f) => [f[0], f[3]]), [['LABEL_VALUE', 'quote it: "true"']]);
  });
});

describe('values of the wrong type: the edges', () => {
  const run = (text: string) => {
    const r = workloadPods({ objects: load('f.yaml', text) });
    return { pods: r.pods, codes: r.diagnostics.map((d) => d.code) };
  };

  test('replicas: -1 and 1.5 are refused; " 2 " is 2, with its fix', () => {
    assert.deepEqual(run(deployment('web', '-1')).codes, ['OBJECT_REFUSED']);
    assert.deepEqual(run(deployment('web', '1.5')).pods, []);
    const spaced = run(deployment('web', '" 2 "'));
    assert.deepEqual([spaced.pods.length, spaced.codes], [2, ['FIELD_TYPE']]);
  });

  test('containerPort 0 and 70000 are refused; "65535" is read; SCTP is a protocol', () => {
    assert.deepEqual(run(deployment('web', '1', ', ports: [{containerPort: 0}]')).pods, []);
    assert.deepEqual(run(deployment('web', '1', ', ports: [{containerPort: "70000"}]')).pods, []);
    assert.deepEqual(run(deployment('web', '1', ', ports: [{containerPort: "65535", protocol: SCTP}]')).pods[0]!.ports, [{ port: 65535, protocol: 'SCTP' }]);
    assert.deepEqual(run(deployment('web', '1', ', ports: [{containerPort: 80, protocol: QUIC}]')).codes, ['OBJECT_REFUSED']);
  });

  test('a label value that is a map is refused; a null one is dropped, as the API server drops it', () => {
    assert.deepEqual(run(deployment('web', '1').replace('labels: {app: web}', 'labels: {app: web, team: {name: x}}')).pods, []);
    assert.deepEqual(run(deployment('web', '1').replace('labels: {app: web}', 'labels: {app: web, team: null}')).pods[0]!.labels.team, undefined);
  });
});

describe('placement across clusters', () => {
  test('clusters given nothing of their own share one array; a cluster named only by a placement is added', () => {
    const p = placeObjects(['c1', 'c2'], [...load('all.yaml', deployment('web', '1')), ...load('c9.yaml', deployment('api', '1'), 'c9')]);
    assert.deepEqual(p.clusters, ['c1', 'c2', 'c9']);
    assert.equal(p.byCluster.get('c1'), p.byCluster.get('c2'));
    assert.deepEqual(p.byCluster.get('c9')!.map((o) => o.object.metadata.name), ['web', 'api']);
  });

  test('a duplicate met in every cluster is said once', () => {
    const objects = [...load('a.yaml', deployment('web', '1')), ...load('b.yaml', deployment('web', '2')), ...load('c1.yaml', deployment('api', '1'), 'c1')];
    assert.equal(placeObjects(['c1', 'c2'], objects).diagnostics.length, 1);
  });
});

describe('whereOf', () => {
  test('file:line:column, the file alone, or the fallback', async () => {
    const { whereOf } = await import('../../src/model/index.js');
    assert.equal(whereOf({ severity: 'warning', code: 'X', message: '', file: 'a.yaml', start: { line: 3, column: 7 } }, 'shop/web'), 'a.yaml:3:7');
    assert.equal(whereOf({ severity: 'warning', code: 'X', message: '', file: 'a.yaml' }, 'shop/web'), 'a.yaml');
    assert.equal(whereOf({ severity: 'warning', code: 'X', message: '' }, 'shop/web'), 'shop/web');
  });
});
