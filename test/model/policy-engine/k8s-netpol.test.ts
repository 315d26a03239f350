import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codes, pod, world } from './helpers.js';

const PODS = pod('web', { app: 'web' }, 'default', '[{name: http, containerPort: 8080}, {name: dns, containerPort: 53, protocol: UDP}]') + pod('api', { app: 'api' }) + pod('other', { app: 'web' }, 'prod') + 'apiVersion: v1\nkind: Namespace\nmetadata: {name: prod, labels: {env: prod}}\n---\n';
const np = (spec: string) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: default}\nspec:\n${spec}`;

test('policyTypes defaulting: Ingress always, Egress only when there are egress rules', () => {
  // An egress section but no policyTypes: both directions isolated; ingress has no rules → deny-all.
  const w = world(PODS + np('  podSelector: {matchLabels: {app: api}}\n  egress: [{to: [{podSelector: {matchLabels: {app: web}}}]}]\n'));
  const api = w.pod('api');
  const web = w.pod('web');
  assert.equal(w.check(api, web, 8080).verdict, 'allowed');
  const toApi = w.check(web, api, 80);
  assert.equal(toApi.verdict, 'denied');
  assert.match(toApi.ingress.reason, /^default deny: selected by NetworkPolicy default\/p but no rule allows$/);
  assert.equal(w.check(api, w.pod('other'), 80).verdict, 'denied', 'podSelector peer is the policy namespace only');
  // No policyTypes and no egress: egress not isolated.
  const w2 = world(PODS + np('  podSelector: {matchLabels: {app: api}}\n'));
  const out = w2.check(w2.pod('api'), w2.pod('other'), 80);
  assert.equal(out.verdict, 'allowed');
  assert.equal(out.egress.reason, 'not enforced: no policy selects default/api for egress');
  // egress: [] with no policyTypes: still not egress-isolated (K8s checks len(egress) != 0).
  assert.equal(world(PODS + np('  podSelector: {}\n  egress: []\n')).check(world(PODS).pod('api'), world(PODS).pod('web'), 80).egress.decision, 'allowed');
});

test('policyTypes: [] defaults like a missing list (K8s SetDefaults_NetworkPolicy checks its length); an entry other than Ingress or Egress is an error at it', () => {
  const w = world(PODS + np('  podSelector: {matchLabels: {app: api}}\n  policyTypes: []\n  egress: [{to: [{podSelector: {matchLabels: {app: web}}}]}]\n'));
  assert.equal(w.check(w.pod('api'), w.pod('web'), 8080).verdict, 'allowed');
  assert.equal(w.check(w.pod('api'), w.pod('other'), 8080).egress.reason, 'default deny: selected by NetworkPolicy default/p but no rule allows');
  assert.equal(w.check(w.pod('web'), w.pod('api'), 80).ingress.decision, 'denied');
  const bad = world(PODS + np('  podSelector: {}\n  policyTypes: [Ingress, Egres]\n')).build.diagnostics;
  assert.deepEqual(bad.map((d) => [d.code, d.severity, d.message, d.path?.join('.'), d.start?.line, d.start?.column]), [['POLICY_TYPE_INVALID', 'error', 'policyTypes entry "Egres" is not Ingress or Egress', 'spec.policyTypes.1', 25, 26]]);
});

test('a peer with none of podSelector, namespaceSelector and ipBlock is an error (K8s: "must specify a peer") and matches nothing', () => {
  const w = world(PODS + np('  podSelector: {matchLabels: {app: web}}\n  ingress:\n  - from: [{}, {podSelector: {matchLabels: {app: api}}}]\n'));
  assert.deepEqual(w.build.diagnostics.map((d) => [d.code, d.severity, d.message, d.path?.join('.')]), [['POLICY_PEER_INVALID', 'error', 'a peer needs podSelector, namespaceSelector or ipBlock', 'spec.ingress.0.from.0']]);
  assert.equal(w.check(w.pod('api'), w.pod('web'), 8080).verdict, 'allowed', 'the other peer of the list still allows');
  assert.equal(w.check(w.pod('other'), w.pod('web'), 8080).verdict, 'denied', 'the invalid peer is not "every peer"');
});

test('a peer whose only selector is misspelt is one error, the unknown field, and matches nothing', () => {
  const w = world(PODS + np('  podSelector: {matchLabels: {app: web}}\n  ingress:\n  - from: [{podSelectr: {}}]\n'));
  assert.deepEqual(w.build.diagnostics.map((d) => [d.code, d.path?.join('.')]), [['POLICY_UNKNOWN_FIELD', 'spec.ingress.0.from.0.podSelectr']]);
  assert.equal(w.check(w.pod('other'), w.pod('web'), 8080).verdict, 'denied', 'the misspelt peer is not "every peer"');
});

test('an explicit policyTypes [Egress] with ingress rules: ingress is not isolated, with a warning', () => {
  const w = world(PODS + np('  podSelector: {}\n  policyTypes: [Egress]\n  ingress: [{}]\n'));
  assert.equal(w.check(w.pod('api'), w.pod('web'), 80).verdict, 'denied');
  assert.equal(w.check(w.pod('other'), w.pod('web'), 80).ingress.enforced, false);
  assert.ok(codes(w.build).includes('POLICY_SECTION_IGNORED'));
  const d = w.build.diagnostics.find((x) => x.code === 'POLICY_SECTION_IGNORED')!;
  assert.deepEqual([d.message, d.hint, d.path], ['ingress rules are ignored: policyTypes does not list Ingress', 'add Ingress to policyTypes, or remove spec.ingress', ['spec', 'policyTypes']]);
  const egress = world(PODS + np('  podSelector: {}\n  policyTypes: [Ingress]\n  egress: [{}]\n')).build.diagnostics.find((x) => x.code === 'POLICY_SECTION_IGNORED')!;
  assert.deepEqual([egress.message, egress.hint], ['egress rules are ignored: policyTypes does not list Egress', 'add Egress to policyTypes, or remove spec.egress']);
});

test('ingress: [{}] allows everything; ingress missing with Ingress listed denies everything', () => {
  const open = world(PODS + np('  podSelector: {}\n  ingress: [{}]\n'));
  assert.equal(open.check(open.pod('other'), open.pod('web'), 1234, 'UDP').verdict, 'allowed');
  assert.equal(open.check({ kind: 'external', ip: '8.8.8.8' }, open.pod('web'), 443).verdict, 'allowed');
  const closed = world(PODS + np('  podSelector: {}\n  policyTypes: [Ingress]\n'));
  assert.equal(closed.check(closed.pod('api'), closed.pod('web'), 80).verdict, 'denied');
  assert.equal(closed.check(closed.pod('api'), closed.pod('other'), 80).verdict, 'allowed', 'other namespace untouched');
});

test('one peer item ANDs namespaceSelector and podSelector; two items OR them', () => {
  const and = world(PODS + pod('api2', { app: 'api' }, 'prod') + np('  podSelector: {matchLabels: {app: web}}\n  ingress:\n    - from:\n        - namespaceSelector: {matchLabels: {env: prod}}\n          podSelector: {matchLabels: {app: api}}\n'));
  assert.equal(and.check(and.pod('api2'), and.pod('web'), 80).verdict, 'allowed');
  assert.equal(and.check(and.pod('other'), and.pod('web'), 80).verdict, 'denied', 'prod but not app=api');
  assert.equal(and.check(and.pod('api'), and.pod('web'), 80).verdict, 'denied', 'app=api but not prod');
  const or = world(PODS + pod('api2', { app: 'api' }, 'prod') + np('  podSelector: {matchLabels: {app: web}}\n  ingress:\n    - from:\n        - namespaceSelector: {matchLabels: {env: prod}}\n        - podSelector: {matchLabels: {app: api}}\n'));
  assert.equal(or.check(or.pod('other'), or.pod('web'), 80).verdict, 'allowed');
  assert.equal(or.check(or.pod('api'), or.pod('web'), 80).verdict, 'allowed');
  // kubernetes.io/metadata.name is set on every namespace.
  const byName = world(PODS + np('  podSelector: {matchLabels: {app: web}}\n  ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: prod}}}]}]\n'));
  assert.equal(byName.check(byName.pod('other'), byName.pod('web'), 80).verdict, 'allowed');
  assert.equal(byName.check(byName.pod('api'), byName.pod('web'), 80).verdict, 'denied');
});

test('an empty namespaceSelector selects every pod, not the world', () => {
  const w = world(PODS + np('  podSelector: {matchLabels: {app: web}}\n  ingress: [{from: [{namespaceSelector: {}}]}]\n'));
  assert.equal(w.check(w.pod('other'), w.pod('web'), 80).verdict, 'allowed');
  assert.equal(w.check({ kind: 'external', ip: '1.2.3.4' }, w.pod('web'), 80).verdict, 'denied');
});

test('ipBlock with except matches addresses outside the clusters only (Cilium), never pods', () => {
  const w = world(PODS + np('  podSelector: {matchLabels: {app: web}}\n  policyTypes: [Egress]\n  egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]}]\n'));
  const web = w.pod('web');
  assert.equal(w.check(web, { kind: 'external', ip: '10.2.3.4' }, 443).verdict, 'allowed');
  assert.equal(w.check(web, { kind: 'external', ip: '10.1.3.4' }, 443).verdict, 'denied');
  assert.equal(w.check(web, { kind: 'external', ip: '11.0.0.1' }, 443).verdict, 'denied');
  assert.equal(w.check(web, w.pod('api'), 443).verdict, 'denied', 'a pod is never matched by ipBlock');
  assert.deepEqual(w.build.engine.externalBlocks(), [['0.0.0.0', '9.255.255.255'], ['10.0.0.0', '10.0.255.255'], ['10.1.0.0', '10.1.255.255'], ['10.2.0.0', '10.255.255.255'], ['11.0.0.0', '255.255.255.255']]);
});

test('ports: protocol defaults to TCP, a missing port is every port, endPort is a range', () => {
  const w = world(PODS + np('  podSelector: {matchLabels: {app: web}}\n  ingress:\n    - ports: [{port: 8000, endPort: 8100}, {protocol: UDP}]\n'));
  const [api, web] = [w.pod('api'), w.pod('web')];
  assert.equal(w.check(api, web, 8080).verdict, 'allowed');
  assert.equal(w.check(api, web, 8080, 'UDP').verdict, 'allowed');
  assert.equal(w.check(api, web, 8101).verdict, 'denied');
  assert.equal(w.check(api, web, 8050, 'SCTP').verdict, 'denied');
  assert.deepEqual(w.build.engine.allowedConnections(api, web).ports, { TCP: [[8000, 8100]], UDP: [[1, 65535]], SCTP: [] });
  // port: and endPort: left empty (null) read as not given.
  const n = world(PODS + np('  podSelector: {matchLabels: {app: web}}\n  ingress:\n    - ports: [{protocol: SCTP, port: null, endPort: null}]\n'));
  assert.deepEqual(n.build.diagnostics, []);
  assert.deepEqual(n.build.engine.allowedConnections(n.pod('api'), n.pod('web')).ports, { TCP: [], UDP: [], SCTP: [[1, 65535]] });
});

test('named ports resolve on the destination pod, with the protocol', () => {
  const w = world(PODS + np('  podSelector: {}\n  ingress: [{ports: [{port: http}, {port: dns, protocol: UDP}, {port: dns}]}]\n'));
  const [api, web] = [w.pod('api'), w.pod('web')];
  assert.equal(w.check(api, web, 8080).verdict, 'allowed');
  assert.equal(w.check(api, web, 53, 'UDP').verdict, 'allowed');
  assert.equal(w.check(api, web, 53, 'TCP').verdict, 'denied', 'dns is a UDP port; {port: dns} means TCP');
  assert.equal(w.check(web, api, 8080).verdict, 'denied', 'api has no port named http');
  assert.deepEqual(w.build.engine.allowedConnections(api, web).ports, { TCP: [[8080, 8080]], UDP: [[53, 53]], SCTP: [] });
});

test('a NetworkPolicy in one cluster applies there only; its selectors match pods of every cluster (Cilium 1.16)', () => {
  const docs = { c1: pod('web', { app: 'web' }) + np('  podSelector: {matchLabels: {app: web}}\n  ingress: [{from: [{podSelector: {matchLabels: {app: api}}}]}]\n'), c2: pod('web', { app: 'web' }) + pod('api', { app: 'api' }) };
  const w = world(docs, ['c1', 'c2']);
  assert.equal(w.check(w.pod('api', 'c2'), w.pod('web', 'c1'), 80).verdict, 'allowed');
  assert.equal(w.check(w.pod('web', 'c2'), w.pod('web', 'c1'), 80).verdict, 'denied');
  assert.equal(w.check(w.pod('web', 'c1'), w.pod('web', 'c2'), 80).verdict, 'allowed', 'c2 has no policy');
  const local = world(docs, ['c1', 'c2'], true);
  assert.equal(local.check(local.pod('api', 'c2'), local.pod('web', 'c1'), 80).verdict, 'denied', 'policyDefaultLocalCluster');
});

test('a NetworkPolicy without podSelector, or with podSelector: null, selects every pod of its namespace (NetworkPolicySpec.podSelector is a struct: its zero value is the empty selector)', () => {
  for (const selector of ['', '  podSelector: null\n', '  podSelector: {matchLabels: null, matchExpressions: null}\n']) {
    const w = world(PODS + np(`${selector}  policyTypes: [Ingress]\n`));
    assert.equal(w.check(w.pod('api'), w.pod('web'), 80).verdict, 'denied', JSON.stringify(selector));
    assert.deepEqual(w.check(w.pod('api'), w.pod('web'), 80).ingress.selectedBy, ['NetworkPolicy default/p']);
    assert.equal(w.check(w.pod('api'), w.pod('other', 'c1'), 80).verdict, 'allowed', 'another namespace is not selected');
  }
});

test('a pod selector whose matchLabels is not a mapping, or holds a mapping as a value, is an error and selects no pod', () => {
  for (const selector of ['{matchLabels: [app=web]}', '{matchLabels: {app: {name: web}}}']) {
    const w = world(PODS + np(`  podSelector: ${selector}\n  policyTypes: [Ingress]\n`));
    assert.equal(w.build.diagnostics.filter((d) => d.severity === 'error').length, 1, selector);
    // (explain itself: the per-pod reference evaluator of w.check models no refused selectors)
    assert.deepEqual(w.build.engine.explain({ from: w.pod('api'), to: w.pod('web'), port: 80, protocol: 'TCP' }).ingress.selectedBy, [], selector);
  }
  const nested = world(PODS + np('  podSelector: {matchLabels: {app: {name: web}}}\n  policyTypes: [Ingress]\n'));
  assert.deepEqual(nested.build.diagnostics.map((d) => [d.code, d.message, d.hint]), [['POLICY_SELECTOR_INVALID', 'matchLabels value of "app" must be a string', undefined]]);
});

test('namespace labels come from Namespace objects only: a ConfigMap named like a namespace lends it no labels', () => {
  const config = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: staging, namespace: default, labels: {env: trusted}}\ndata: {a: b}\n---\n';
  const w = world(pod('web', { app: 'web' }) + pod('client', { app: 'client' }, 'staging') + config + np('  podSelector: {matchLabels: {app: web}}\n  ingress: [{from: [{namespaceSelector: {matchLabels: {env: trusted}}}]}]\n'));
  assert.equal(w.check(w.pod('client'), w.pod('web'), 80).verdict, 'denied');
});
