/**
 * CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy peer and merge semantics that
 * differ from Kubernetes NetworkPolicy (policy-semantics.md §2.1-§2.5), on the
 * k8s/app.yaml namespaces (prod: web 8080/9090, api, client; dev: client, other;
 * monitoring: prometheus).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PeerRef } from '../../src/model/policy-engine/types.js';
import { ask, assertAllowed, assertDefaultDeny, assertL7Allowed, assertL7Denied, assertRule, build, external, http, once, pod, policyName, type RuleExpect } from './helpers.js';

function scene(file: string) {
  const b = once(() => build(['k8s/app.yaml', `cnp/${file}`]));
  const peer = (ref: string): PeerRef => (/^\d/.test(ref) ? external(ref) : pod(b(), ref));
  return {
    b,
    ask: (from: string, port: number, req?: ReturnType<typeof http>) => ask(b(), peer(from), pod(b(), 'prod/web'), port, req ? { http: req } : {}),
  };
}

const cnp = (name: string, file: string, kind: RuleExpect['kind'] = 'CiliumNetworkPolicy'): RuleExpect => ({ kind, ...(kind === 'CiliumClusterwideNetworkPolicy' ? {} : { namespace: 'prod' }), name, section: 'ingress', index: 0, file: `cnp/${file}` });

describe('CNP: fromEndpoints [{}] means the policy\'s namespace', () => {
  const s = scene('same-namespace.yaml');
  test('prod/client and prod/api allowed by web-from-namespace ingress[0]', () => {
    assertAllowed(s.ask('prod/client', 8080), cnp('web-from-namespace', 'same-namespace.yaml'));
    assertAllowed(s.ask('prod/api', 9090), cnp('web-from-namespace', 'same-namespace.yaml'));
  });
  test('dev/client and an outside address dropped', () => {
    assertDefaultDeny(s.ask('dev/client', 8080), 'ingress', [policyName('CiliumNetworkPolicy', 'web-from-namespace', 'prod')]);
    assertDefaultDeny(s.ask('198.51.100.7', 8080), 'ingress', [policyName('CiliumNetworkPolicy', 'web-from-namespace', 'prod')]);
  });
});

describe('CNP: another namespace is named with k8s:io.kubernetes.pod.namespace', () => {
  const s = scene('cross-namespace.yaml');
  test('dev/client allowed; prod/client and dev/other dropped', () => {
    assertAllowed(s.ask('dev/client', 8080), cnp('web-from-dev-clients', 'cross-namespace.yaml'));
    assertDefaultDeny(s.ask('prod/client', 8080), 'ingress', [policyName('CiliumNetworkPolicy', 'web-from-dev-clients', 'prod')]);
    assertDefaultDeny(s.ask('dev/other', 8080), 'ingress', [policyName('CiliumNetworkPolicy', 'web-from-dev-clients', 'prod')]);
  });
});

describe('CNP: a rule with only toPorts allows any peer on those ports', () => {
  const s = scene('ports-only.yaml');
  test('pods of any namespace and outside addresses allowed on 8080 by web-port-8080 ingress[0]', () => {
    for (const from of ['dev/other', 'monitoring/prometheus', '198.51.100.7']) assertAllowed(s.ask(from, 8080), cnp('web-port-8080', 'ports-only.yaml'));
  });
  test('9090 dropped', () => {
    assertDefaultDeny(s.ask('prod/client', 9090), 'ingress', [policyName('CiliumNetworkPolicy', 'web-port-8080', 'prod')]);
  });
});

describe('CCNP: fromEndpoints [{}] means every pod, not the world', () => {
  const s = scene('ccnp-all-pods.yaml');
  const R = cnp('web-from-all-pods', 'ccnp-all-pods.yaml', 'CiliumClusterwideNetworkPolicy');
  test('pods of every namespace allowed by web-from-all-pods ingress[0]', () => {
    assertAllowed(s.ask('monitoring/prometheus', 9090), R);
    assertAllowed(s.ask('dev/other', 8080), R);
  });
  test('an outside address dropped', () => {
    assertDefaultDeny(s.ask('198.51.100.7', 8080), 'ingress', [policyName('CiliumClusterwideNetworkPolicy', 'web-from-all-pods')]);
  });
});

describe('CNP: an L4-only rule beside an L7 rule on the same port (per selector)', () => {
  const s = scene('l7-and-l4.yaml');
  test('prod/client (matched by both rules): POST /orders allowed, the L7 part has no effect', () => {
    const v = s.ask('prod/client', 8080, http('POST', '/orders'));
    assertAllowed(v, cnp('web-clients-l4', 'l7-and-l4.yaml'));
  });
  test('prod/api (matched by the L7 rule only): GET /public/x allowed, POST /orders 403', () => {
    assertL7Allowed(s.ask('prod/api', 8080, http('GET', '/public/x')), cnp('web-public-get', 'l7-and-l4.yaml'));
    assertL7Denied(s.ask('prod/api', 8080, http('POST', '/orders')), cnp('web-public-get', 'l7-and-l4.yaml'));
  });
  test('dev/client (matched by neither) dropped', () => {
    assertDefaultDeny(s.ask('dev/client', 8080, http('GET', '/public/x')), 'ingress', [policyName('CiliumNetworkPolicy', 'web-public-get', 'prod')]);
  });
});

describe('CNP: enableDefaultDeny.ingress false', () => {
  const s = scene('no-default-deny.yaml');
  const R = cnp('web-client-public-get', 'no-default-deny.yaml');
  test('pods the rule does not name are not dropped: web is not in default deny', () => {
    const v = s.ask('dev/other', 9090);
    assert.equal(v.verdict, 'allowed', v.ingress.reason);
    assert.equal(v.ingress.enforced, false, v.ingress.reason);
  });
  test('the L7 rule still filters the client: GET /public/x allowed, GET /private 403', () => {
    // The side is not enforced, so SideVerdict.rule stays absent (types.ts); the L7 rule is in l7.rule.
    const ok = s.ask('prod/client', 8080, http('GET', '/public/x'));
    assert.equal(ok.verdict, 'allowed', ok.ingress.reason);
    assert.equal(ok.ingress.l7?.allowed, true);
    assertRule(ok.ingress.l7?.rule, R, 'ingress l7 rule');
    const no = s.ask('prod/client', 8080, http('GET', '/private'));
    assert.deepEqual([no.verdict, no.stage, no.httpStatus], ['denied', 'l7', 403], no.ingress.reason);
    assert.equal(no.ingress.l7?.allowed, false);
    assertRule(no.ingress.l7?.rule, R, 'ingress l7 rule');
  });
});

describe('CNP: the fixtures are valid', () => {
  test('no diagnostics', () => {
    for (const f of ['same-namespace', 'cross-namespace', 'ports-only', 'ccnp-all-pods', 'l7-and-l4', 'no-default-deny']) {
      assert.deepEqual(build(['k8s/app.yaml', `cnp/${f}.yaml`]).diagnostics, [], f);
    }
  });
});
