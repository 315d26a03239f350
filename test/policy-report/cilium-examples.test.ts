/**
 * Cilium's own example files, verbatim (test/fixtures/upstream/cilium-examples), with the outcomes
 * Cilium's documentation states for them. The 1.16-era files carry `description:` beside
 * `metadata`, which the CRD schema does not declare there: the rules are judged as written, with a
 * warning at the field that says what the API server and kubectl will do, and every verdict that
 * rests on such a policy says it depends on moving the field.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ask, assertAllowed, assertDefaultDeny, assertL7Denied, build, http, once, pod, policyName, type RuleExpect } from './helpers.js';

const UP = '../upstream/cilium-examples/examples';
const APP = `${UP}/minikube/http-sw-app.yaml`;
const L3L4 = `${UP}/minikube/sw_l3_l4_policy.yaml`;
const L7_SIMPLE = `${UP}/policies/l7/http/simple/l7.yaml`;
const HTTP_UPPER = `${UP}/policies/l7/http/http.yaml`;

const landing = http('POST', '/v1/request-landing', {}, 'deathstar.default.svc.cluster.local');
const exhaust = http('PUT', '/v1/exhaust-port', {}, 'deathstar.default.svc.cluster.local');
const rule1: RuleExpect = { kind: 'CiliumNetworkPolicy', namespace: 'default', name: 'rule1', section: 'ingress', index: 0 };

describe('sw_l3_l4_policy.yaml as Cilium ships it (top-level description)', () => {
  const b = once(() => build([APP, L3L4]));

  test('loads: a warning at description (line 3, column 1) says it is pruned or refused, with the fix; no error', () => {
    const d = b().diagnostics;
    assert.deepEqual(d.filter((x) => x.severity === 'error'), []);
    const w = d.find((x) => x.code === 'POLICY_FIELD_PRUNED');
    assert.ok(w, JSON.stringify(d.map((x) => x.code)));
    assert.deepEqual([w.start?.line, w.start?.column], [3, 1]);
    assert.match(w.message, /prunes/);
    assert.match(w.message, /--validate=strict/);
    assert.match(w.hint ?? '', /move description under spec/);
  });

  test('demo row 3: tiefighter POST /v1/request-landing -> "Ship landed" (rule1 ingress[0]), depending on the fix', () => {
    const v = ask(b(), pod(b(), 'default/tiefighter'), pod(b(), 'default/deathstar'), 80, { http: landing });
    assertAllowed(v, rule1);
    assert.equal(v.ingress.dependsOn?.length, 1);
    assert.match(v.ingress.dependsOn![0]!, /kubectl apply refuses CiliumNetworkPolicy rule1 until the top-level description \(.*sw_l3_l4_policy\.yaml:3\) moves under spec/);
  });

  test('demo row 4: xwing POST /v1/request-landing -> dropped: default deny on the deathstar', () => {
    const v = ask(b(), pod(b(), 'default/xwing'), pod(b(), 'default/deathstar'), 80, { http: landing });
    assertDefaultDeny(v, 'ingress', [policyName('CiliumNetworkPolicy', 'rule1', 'default')]);
  });

  test('demo row 5: tiefighter PUT /v1/exhaust-port -> "Panic: deathstar exploded" (L4 only)', () => {
    const v = ask(b(), pod(b(), 'default/tiefighter'), pod(b(), 'default/deathstar'), 80, { http: exhaust });
    assertAllowed(v, rule1);
    assert.equal(v.ingress.l7, undefined);
  });

  test('a verdict no description-carrying policy decides depends on nothing', () => {
    const v = ask(b(), pod(b(), 'default/deathstar'), pod(b(), 'default/xwing'), 80);
    assert.equal(v.verdict, 'allowed');
    assert.equal(v.ingress.dependsOn, undefined);
    assert.equal(v.egress.dependsOn, undefined);
  });
});

describe('language.rst "Allow GET /public" (examples/policies/l7/http/simple/l7.yaml, top-level description)', () => {
  // The file holds two ingress rules: fromEndpoints env=prod (every port), and toPorts 80 with
  // GET /public for every peer. The docs' sentence is true for peers other than env=prod; for
  // env=prod the L3-only rule lifts the HTTP rule (layer7.rst: an L4-only rule on the same peer
  // and port makes the L7 part "have no effect").
  const files = [`../policy-cli/upstream-app/service-app.yaml`, L7_SIMPLE];
  const b = once(() => build(files));
  const rule = (index: number): RuleExpect => ({ kind: 'CiliumNetworkPolicy', namespace: 'default', name: 'rule1', section: 'ingress', index });

  test('loads with the description warning and no error', () => {
    assert.deepEqual(b().diagnostics.filter((x) => x.severity === 'error'), []);
    assert.ok(b().diagnostics.some((x) => x.code === 'POLICY_FIELD_PRUNED' && x.start?.line === 3));
  });

  test('GET /public on port 80 from a client without env=prod -> allowed by the HTTP rule', () => {
    const v = ask(b(), pod(b(), 'default/client'), pod(b(), 'default/service'), 80, { http: http('GET', '/public') });
    assertAllowed(v, rule(1));
    assert.equal(v.ingress.l7?.allowed, true);
  });

  test('"requests to any other URL, or using another method, will be rejected": 403 from the proxy', () => {
    assertL7Denied(ask(b(), pod(b(), 'default/client'), pod(b(), 'default/service'), 80, { http: http('GET', '/private') }), rule(1));
    assertL7Denied(ask(b(), pod(b(), 'default/client'), pod(b(), 'default/service'), 80, { http: http('POST', '/public') }), rule(1));
  });

  test('"Requests on ports other than port 80 will be dropped"', () => {
    assertDefaultDeny(ask(b(), pod(b(), 'default/client'), pod(b(), 'default/service'), 8080), 'ingress', [policyName('CiliumNetworkPolicy', 'rule1', 'default')]);
  });

  test('env=prod is allowed by the L3-only rule ingress[0] on any port and any request', () => {
    const v = ask(b(), pod(b(), 'default/prod-client'), pod(b(), 'default/service'), 80, { http: http('POST', '/private') });
    assertAllowed(v, rule(0));
    assert.equal(v.ingress.l7, undefined);
  });
});

describe('an unknown field inside a rule stays an error', () => {
  test('examples/policies/l7/http/http.yaml writes `HTTP:`: refused with "did you mean http" (the schema is case-sensitive)', () => {
    const b = build([`../policy-cli/upstream-app/service-app.yaml`, HTTP_UPPER]);
    const e = b.diagnostics.find((x) => x.severity === 'error');
    assert.ok(e);
    assert.equal(e.code, 'POLICY_UNKNOWN_FIELD');
    assert.match(e.message, /unknown field "HTTP".*did you mean "http"/);
  });
});
