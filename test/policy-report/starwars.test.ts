/**
 * The Star Wars demo, row by row as policy-semantics.md §3 states the documented outcomes
 * (demo.rst "D", policy-creation.rst "P"). Rows 9 and 10 need audit mode and are left out.
 * Every request goes to a deathstar pod on port 80: policy applies after the Service is
 * translated to its backends (§2.4).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ask, assertAllowed, assertDefaultDeny, assertL7Allowed, assertL7Denied, assertUnrestricted, build, deploymentPodName, http, once, pod, policyName, type RuleExpect } from './helpers.js';

const APP = 'starwars/http-sw-app.yaml';
const L3L4 = 'starwars/sw_l3_l4_policy.yaml';
const L3L4L7 = 'starwars/sw_l3_l4_l7_policy.yaml';
const DENY = 'starwars/sw_deny_policy.yaml';
const HOST = 'deathstar.default.svc.cluster.local';

const landing = http('POST', '/v1/request-landing', {}, HOST);
const exhaust = http('PUT', '/v1/exhaust-port', {}, HOST);

const rule1 = (file: string): RuleExpect => ({ kind: 'CiliumNetworkPolicy', namespace: 'default', name: 'rule1', section: 'ingress', index: 0, cluster: 'default', file });
const RULE1 = policyName('CiliumNetworkPolicy', 'rule1', 'default');
const EMPIRE_DENY = policyName('CiliumNetworkPolicy', 'empire-default-deny', 'default');

function scene(files: string[]) {
  const b = build([APP, ...files]);
  return {
    b,
    landing: (ship: 'tiefighter' | 'xwing', req = landing) => ask(b, pod(b, `default/${ship}`), pod(b, 'default/deathstar'), 80, { http: req }),
  };
}

describe('Star Wars demo: no policy (§3 rows 1-2)', () => {
  const s = once(() => scene([]));

  test('row 1: xwing POST /v1/request-landing -> "Ship landed"', () => {
    assertUnrestricted(s().landing('xwing'));
  });

  test('row 2: tiefighter POST /v1/request-landing -> "Ship landed"', () => {
    assertUnrestricted(s().landing('tiefighter'));
  });

  test('the two deathstar replicas are endpoints deathstar-<hash>-<suffix> of the Deployment, in default', () => {
    const ds = s().b.endpoints.filter((e) => e.owner.name === 'deathstar');
    assert.equal(ds.length, 2);
    for (const e of ds) {
      assert.equal(e.owner.kind, 'Deployment');
      assert.equal(e.namespace, 'default');
      assert.match(e.name, deploymentPodName('deathstar'));
      assert.deepEqual({ org: e.labels.org, class: e.labels.class }, { org: 'empire', class: 'deathstar' });
    }
  });

  test('every connection is open without policy', () => {
    assert.equal(s().b.engine.allowedConnections(pod(s().b, 'default/xwing'), pod(s().b, 'default/deathstar')).all, true);
  });
});

describe('Star Wars demo: sw_l3_l4_policy (§3 rows 3-5)', () => {
  const s = once(() => scene([L3L4]));

  test('row 3: tiefighter POST /v1/request-landing -> "Ship landed", allowed by default/rule1 ingress[0]', () => {
    const v = s().landing('tiefighter');
    assertAllowed(v, rule1(L3L4));
    assert.equal(v.ingress.l7, undefined, 'no L7 rule in sw_l3_l4');
    assert.deepEqual(v.ingress.selectedBy, [RULE1]);
  });

  test('row 4: xwing POST /v1/request-landing -> dropped (hangs): default deny on the deathstar, selected by rule1', () => {
    const v = s().landing('xwing');
    assertDefaultDeny(v, 'ingress', [RULE1]);
    assert.equal(v.egress.decision, 'allowed', 'the xwing itself is not restricted');
    assert.equal(v.egress.enforced, false);
  });

  test('row 5: tiefighter PUT /v1/exhaust-port -> "Panic: deathstar exploded" (L4 allows every request)', () => {
    const v = s().landing('tiefighter', exhaust);
    assertAllowed(v, rule1(L3L4));
    assert.equal(v.ingress.l7, undefined);
  });

  test('only port 80 is open, to empire ships only', () => {
    assert.equal(ask(s().b, pod(s().b, 'default/tiefighter'), pod(s().b, 'default/deathstar'), 8080).verdict, 'denied');
    assert.equal(ask(s().b, pod(s().b, 'default/tiefighter'), pod(s().b, 'default/deathstar'), 80, { protocol: 'UDP' }).verdict, 'denied');
    const tie = s().b.engine.allowedConnections(pod(s().b, 'default/tiefighter'), pod(s().b, 'default/deathstar'));
    assert.equal(tie.all, false);
    assert.deepEqual(tie.ports, { TCP: [[80, 80]], UDP: [], SCTP: [] });
    assert.equal(tie.l7, false);
    const xwing = s().b.engine.allowedConnections(pod(s().b, 'default/xwing'), pod(s().b, 'default/deathstar'));
    assert.equal(xwing.all, false);
    assert.deepEqual(xwing.ports, { TCP: [], UDP: [], SCTP: [] });
  });
});

describe('Star Wars demo: sw_l3_l4_l7_policy (§3 rows 6-8 and derived cases)', () => {
  const s = once(() => scene([L3L4L7]));

  test('row 6: tiefighter POST /v1/request-landing -> "Ship landed", allowed by default/rule1 ingress[0]', () => {
    assertL7Allowed(s().landing('tiefighter'), rule1(L3L4L7));
  });

  test('row 7: tiefighter PUT /v1/exhaust-port -> 403 "Access denied" from the proxy, rule1 ingress[0] L7 mismatch', () => {
    const v = s().landing('tiefighter', exhaust);
    assertL7Denied(v, rule1(L3L4L7));
    assert.ok(v.ingress.l7!.reason.length > 0);
  });

  test('row 8: xwing POST /v1/request-landing -> dropped at L3/L4 (times out), not a 403', () => {
    assertDefaultDeny(s().landing('xwing'), 'ingress', [RULE1]);
  });

  test('derived: xwing with any other request is dropped too', () => {
    assertDefaultDeny(s().landing('xwing', exhaust), 'ingress', [RULE1]);
  });

  test('derived: tiefighter GET /v1/request-landing -> 403 (the method is part of the rule)', () => {
    assertL7Denied(s().landing('tiefighter', http('GET', '/v1/request-landing', {}, HOST)), rule1(L3L4L7));
  });

  test('derived: tiefighter POST /v1/request-landing/x -> 403 (the path regex is anchored)', () => {
    assertL7Denied(s().landing('tiefighter', http('POST', '/v1/request-landing/x', {}, HOST)), rule1(L3L4L7));
  });

  test('the connection set marks port 80 as L7-restricted for the tiefighter', () => {
    const c = s().b.engine.allowedConnections(pod(s().b, 'default/tiefighter'), pod(s().b, 'default/deathstar'));
    assert.equal(c.all, false);
    assert.deepEqual(c.ports, { TCP: [[80, 80]], UDP: [], SCTP: [] });
    assert.equal(c.l7, true);
  });
});

describe('Star Wars demo: sw_deny_policy (§3 rows 11-12, audit mode off)', () => {
  test('row 11: sw_deny + sw_l3_l4, tiefighter POST -> "Ship landed", L3-L4 ALLOWED by rule1 ingress[0]', () => {
    const s = scene([DENY, L3L4]);
    const v = s.landing('tiefighter');
    assertAllowed(v, rule1(L3L4));
    assert.deepEqual([...v.ingress.selectedBy].sort(), [EMPIRE_DENY, RULE1].sort());
  });

  test('row 12: sw_deny + sw_l3_l4, xwing POST -> dropped ("none DENIED"): default deny, selected by both policies', () => {
    const s = scene([DENY, L3L4]);
    assertDefaultDeny(s.landing('xwing'), 'ingress', [EMPIRE_DENY, RULE1]);
  });

  test('derived: sw_deny alone drops both ships (the empty rule allows nothing, unlike a K8s NetworkPolicy)', () => {
    const s = scene([DENY]);
    assertDefaultDeny(s.landing('tiefighter'), 'ingress', [EMPIRE_DENY]);
    assertDefaultDeny(s.landing('xwing'), 'ingress', [EMPIRE_DENY]);
  });

  test('derived: sw_deny is an ingress policy; the tiefighter may still call out', () => {
    const s = scene([DENY]);
    const v = ask(s.b, pod(s.b, 'default/tiefighter'), pod(s.b, 'default/xwing'), 80);
    assertUnrestricted(v);
  });
});

describe('Star Wars demo: the documented manifests are valid', () => {
  test('no diagnostics for the demo and its three policies', () => {
    assert.deepEqual(build([APP, L3L4, DENY]).diagnostics, []);
    assert.deepEqual(build([APP, L3L4L7]).diagnostics, []);
  });
});
