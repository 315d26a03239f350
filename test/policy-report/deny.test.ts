/**
 * Deny rules (policy-semantics.md §2.6, deny.rst): a matching deny wins over any allow,
 * whatever kind of policy the allow comes from; deny-only policies also put the endpoint
 * in default deny (§2.1).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ask, assertAllowed, assertDefaultDeny, assertDeniedBy, build, once, pod, policyName, type RuleExpect } from './helpers.js';

const APP = 'deny/app.yaml';

function cnp(name: string, section: RuleExpect['section'], file: string): RuleExpect {
  return { kind: 'CiliumNetworkPolicy', namespace: 'default', name, section, index: 0, file: `deny/${file}` };
}

function scene(files: string[]) {
  const b = once(() => build([APP, ...files.map((f) => `deny/${f}`)]));
  return { b, ask: (from: string, to: string, port: number) => ask(b(), pod(b(), from), pod(b(), to), port) };
}

describe('deny.rst table: allow 80 and 81, deny 80', () => {
  const s = scene(['allow-80-81.yaml', 'deny-80.yaml']);

  test('client -> server:81 allowed by allow-80-81 ingress[0]', () => {
    assertAllowed(s.ask('default/client', 'default/server', 81), cnp('allow-80-81', 'ingress', 'allow-80-81.yaml'));
  });

  test('client -> server:80 denied by deny-80 ingressDeny[0], although allow-80-81 allows it', () => {
    const v = s.ask('default/client', 'default/server', 80);
    assertDeniedBy(v, cnp('deny-80', 'ingressDeny', 'deny-80.yaml'));
    assert.ok(v.ingress.selectedBy.includes(policyName('CiliumNetworkPolicy', 'allow-80-81', 'default')));
    assert.ok(v.ingress.selectedBy.includes(policyName('CiliumNetworkPolicy', 'deny-80', 'default')));
  });

  test('allowed connections: 81 only', () => {
    const c = s.b().engine.allowedConnections(pod(s.b(), 'default/client'), pod(s.b(), 'default/server'));
    assert.equal(c.all, false);
    assert.deepEqual(c.ports, { TCP: [[81, 81]], UDP: [], SCTP: [] });
  });
});

describe('deny.rst table: add an L3 deny of the client', () => {
  const s = scene(['allow-80-81.yaml', 'deny-80.yaml', 'deny-client.yaml']);

  test('client -> server:81 now denied by deny-client ingressDeny[0]', () => {
    assertDeniedBy(s.ask('default/client', 'default/server', 81), cnp('deny-client', 'ingressDeny', 'deny-client.yaml'));
  });

  test('client -> server:80 denied (by a deny rule, either one)', () => {
    const v = s.ask('default/client', 'default/server', 80);
    assert.equal(v.verdict, 'denied');
    assert.equal(v.stage, 'l3-l4');
    assert.equal(v.ingress.rule?.section, 'ingressDeny');
    assert.ok(['deny-80', 'deny-client'].includes(v.ingress.rule?.name ?? ''), `denied by ${v.ingress.rule?.name}`);
  });

  test('allowed connections: none', () => {
    const c = s.b().engine.allowedConnections(pod(s.b(), 'default/client'), pod(s.b(), 'default/server'));
    assert.equal(c.all, false);
    assert.deepEqual(c.ports, { TCP: [], UDP: [], SCTP: [] });
  });
});

describe('a Kubernetes NetworkPolicy allow and a Cilium deny', () => {
  const s = scene(['np-allow-client.yaml', 'deny-client.yaml']);

  test('client -> server:80 denied by the CNP deny-client ingressDeny[0], not allowed by the NetworkPolicy', () => {
    const v = s.ask('default/client', 'default/server', 80);
    assertDeniedBy(v, cnp('deny-client', 'ingressDeny', 'deny-client.yaml'));
    assert.ok(v.ingress.selectedBy.includes(policyName('NetworkPolicy', 'server-from-client', 'default')));
  });

  test('without the deny the NetworkPolicy allows it', () => {
    const only = scene(['np-allow-client.yaml']);
    assertAllowed(only.ask('default/client', 'default/server', 80), { kind: 'NetworkPolicy', namespace: 'default', name: 'server-from-client', section: 'ingress', index: 0, file: 'deny/np-allow-client.yaml' });
  });

  test('other -> server:80 is dropped by default deny (the NetworkPolicy isolates the server)', () => {
    assertDefaultDeny(s.ask('default/other', 'default/server', 80), 'ingress', [policyName('NetworkPolicy', 'server-from-client', 'default')]);
  });
});

describe('a deny-only policy', () => {
  const s = scene(['client-egress-deny-81.yaml']);
  const NAME = policyName('CiliumNetworkPolicy', 'client-no-81', 'default');

  test('client -> server:81 denied by client-no-81 egressDeny[0]', () => {
    assertDeniedBy(s.ask('default/client', 'default/server', 81), cnp('client-no-81', 'egressDeny', 'client-egress-deny-81.yaml'));
  });

  test('it also puts the client in default deny for egress: client -> server:80 and client -> other dropped', () => {
    assertDefaultDeny(s.ask('default/client', 'default/server', 80), 'egress', [NAME]);
    assertDefaultDeny(s.ask('default/client', 'default/other', 80), 'egress', [NAME]);
  });

  test('the server itself is not restricted: other -> server:81 allowed', () => {
    const v = s.ask('default/other', 'default/server', 81);
    assertAllowed(v);
    assert.equal(v.ingress.enforced, false);
  });
});
