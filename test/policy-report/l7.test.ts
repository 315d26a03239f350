/**
 * The notebook's two L7 examples (reference-lab/README.md "Capabilities the notebook names"),
 * judged by policy-semantics.md §2.5: http entries are ORed, fields ANDed, method/path are
 * RE2 regexes over the whole value, `headers: ["Name: value"]` is an exact value and
 * `headers: ["Name"]` presence; a peer allowed at L4 gets 403 "Access denied" for a request
 * no entry matches, a peer not allowed is dropped.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ask, assertAllowed, assertDefaultDeny, assertL7Allowed, assertL7Denied, build, http, once, pod, policyName, type RuleExpect } from './helpers.js';

const APP = 'l7/app.yaml';

function rule(name: string, file: string): RuleExpect {
  return { kind: 'CiliumNetworkPolicy', namespace: 'default', name, section: 'ingress', index: 0, file: `l7/${file}` };
}

function scene(file: string) {
  const b = once(() => build([APP, `l7/${file}`]));
  return {
    b,
    call: (req: ReturnType<typeof http>, from = 'default/client', port = 8080) => ask(b(), pod(b(), from), pod(b(), 'default/api'), port, { http: req }),
  };
}

describe('L7: "allow GET on /public/.* and deny every other request"', () => {
  const s = scene('public-get.yaml');
  const R = rule('public-get-only', 'public-get.yaml');

  for (const path of ['/public/index.html', '/public/css/site.css', '/public/']) {
    test(`GET ${path} -> allowed by public-get-only ingress[0]`, () => {
      assertL7Allowed(s.call(http('GET', path)), R);
    });
  }

  test('POST /public/form -> 403 (wrong method)', () => {
    assertL7Denied(s.call(http('POST', '/public/form')), R);
  });

  test('GET /private/keys -> 403 (path does not match)', () => {
    assertL7Denied(s.call(http('GET', '/private/keys')), R);
  });

  test('GET /publicity -> 403 (the regex needs "/public/")', () => {
    assertL7Denied(s.call(http('GET', '/publicity')), R);
  });

  test('GET /v2/public/x -> 403 (the path regex matches the whole path, anchored at the start)', () => {
    assertL7Denied(s.call(http('GET', '/v2/public/x')), R);
  });

  test('a pod the rule does not name is dropped at L3/L4, even for GET /public/x', () => {
    assertDefaultDeny(s.call(http('GET', '/public/x'), 'default/intruder'), 'ingress', [policyName('CiliumNetworkPolicy', 'public-get-only', 'default')]);
  });

  test('another port of the api is dropped at L3/L4', () => {
    assertDefaultDeny(s.call(http('GET', '/public/x'), 'default/client', 9090), 'ingress', [policyName('CiliumNetworkPolicy', 'public-get-only', 'default')]);
  });

  test('allowed connections: only 8080/TCP, L7-restricted', () => {
    const c = s.b().engine.allowedConnections(pod(s.b(), 'default/client'), pod(s.b(), 'default/api'));
    assert.equal(c.all, false);
    assert.deepEqual(c.ports, { TCP: [[8080, 8080]], UDP: [], SCTP: [] });
    assert.equal(c.l7, true);
  });
});

describe('L7: "require header X-Token: [0-9]+ on every REST call", written literally', () => {
  // Cilium compares header values exactly (§2.5), so the policy wants the literal value
  // "[0-9]+": see the comment in the fixture. A numeric token is refused.
  const s = scene('require-token.yaml');
  const R = rule('require-token', 'require-token.yaml');

  test('no X-Token -> 403', () => {
    assertL7Denied(s.call(http('GET', '/orders')), R);
  });

  test('X-Token present but not numeric (abc) -> 403', () => {
    assertL7Denied(s.call(http('GET', '/orders', { 'X-Token': 'abc' })), R);
  });

  test('X-Token: 12345 -> 403 too: the value is not a regex, it must equal "[0-9]+"', () => {
    assertL7Denied(s.call(http('POST', '/orders', { 'X-Token': '12345' })), R);
  });

  test('X-Token: [0-9]+ (the literal text) -> allowed, whatever the method and path', () => {
    assertL7Allowed(s.call(http('DELETE', '/orders/7', { 'X-Token': '[0-9]+' })), R);
    assertL7Allowed(s.call(http('GET', '/', { 'X-Token': '[0-9]+' })), R);
  });

  test('header names match case-insensitively (x-token)', () => {
    assertL7Allowed(s.call(http('GET', '/orders', { 'x-token': '[0-9]+' })), R);
  });
});

describe('L7: the enforceable form, X-Token must be present', () => {
  const s = scene('require-token-present.yaml');
  const R = rule('require-token-present', 'require-token-present.yaml');

  test('X-Token: 12345 -> allowed on any method and path', () => {
    assertL7Allowed(s.call(http('GET', '/orders', { 'X-Token': '12345' })), R);
    assertL7Allowed(s.call(http('PUT', '/orders/7', { 'X-Token': '12345' })), R);
  });

  test('X-Token present but not numeric -> allowed (presence only; Cilium cannot check digits)', () => {
    assertL7Allowed(s.call(http('GET', '/orders', { 'X-Token': 'abc' })), R);
  });

  test('no X-Token -> 403', () => {
    assertL7Denied(s.call(http('GET', '/orders', { Authorization: 'Bearer 12345' })), R);
  });
});

describe('L7: headerMatches with mismatch: LOG does not deny', () => {
  const s = scene('token-mismatch-log.yaml');
  const R = rule('token-mismatch-log', 'token-mismatch-log.yaml');

  test('the expected value -> allowed', () => {
    assertL7Allowed(s.call(http('GET', '/orders', { 'X-Token': 's3cr3t' })), R);
  });

  test('another value -> still allowed (the mismatch is only logged)', () => {
    const v = s.call(http('GET', '/orders', { 'X-Token': 'wrong' }));
    assertAllowed(v, R);
    assert.equal(v.httpStatus, undefined);
  });
});

describe('L7: the fixtures are valid', () => {
  test('no diagnostics', () => {
    for (const f of ['public-get.yaml', 'require-token.yaml', 'require-token-present.yaml', 'token-mismatch-log.yaml']) {
      assert.deepEqual(build([APP, `l7/${f}`]).diagnostics, [], f);
    }
  });
});
