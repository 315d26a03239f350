/**
 * What the engine does not model is never a silent verdict: when a rule it cannot evaluate could
 * decide a request, the verdict is "unknown" with the rule and the construct; it is never
 * "allowed" where Cilium could deny, nor "denied" where an unmodelled rule could allow.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ask, assertDefaultDeny, assertL7Denied, build, external, http, once, pod, policyName } from './helpers.js';

const UP = '../upstream/cilium-examples/examples/policies/l7';
const APP = 'unmodelled/app.yaml';

function assertUnknown(v: ReturnType<typeof ask>, side: 'ingress' | 'egress', why: RegExp): void {
  assert.equal(v.verdict, 'unknown', `expected unknown; ${side}: ${v[side].reason}`);
  assert.equal(v[side].decision, 'unknown');
  assert.match(v[side].unmodelled ?? '', why);
  assert.match(v[side].reason, why);
}

describe('L7 rules other than HTTP (Cilium\'s kafka.yaml and dns.yaml, verbatim)', () => {
  const kafka = once(() => build([APP, `${UP}/kafka/kafka.yaml`]));
  const dns = once(() => build([APP, `${UP}/dns/dns.yaml`]));

  test('empire-hq -> kafka:9092: the Kafka rules decide each request -> unknown, naming rule1 ingress[0]', () => {
    assertUnknown(ask(kafka(), pod(kafka(), 'default/empire-hq'), pod(kafka(), 'default/kafka'), 9092), 'ingress', /CiliumNetworkPolicy default\/rule1 ingress\[0\]: Kafka rules decide each request/);
  });

  test('a peer the rule does not select is still surely dropped (default deny), and so is another port', () => {
    assertDefaultDeny(ask(kafka(), pod(kafka(), 'default/outpost'), pod(kafka(), 'default/kafka'), 9092), 'ingress', [policyName('CiliumNetworkPolicy', 'rule1', 'default')]);
    assertDefaultDeny(ask(kafka(), pod(kafka(), 'default/empire-hq'), pod(kafka(), 'default/kafka'), 9093), 'ingress', [policyName('CiliumNetworkPolicy', 'rule1', 'default')]);
  });

  test('xwing -> kube-dns 53/UDP: the DNS rules decide each query -> unknown', () => {
    assertUnknown(ask(dns(), pod(dns(), 'default/xwing'), pod(dns(), 'kube-system/coredns'), 53, { protocol: 'UDP' }), 'egress', /DNS rules decide each request/);
  });

  test('xwing -> an outside address on 80: toFQDNs could allow it -> unknown; on 443 nothing could -> dropped', () => {
    assertUnknown(ask(dns(), pod(dns(), 'default/xwing'), external('93.184.216.34'), 80), 'egress', /tofqdn-dns-visibility egress\[1\] toFQDNs/);
    assertDefaultDeny(ask(dns(), pod(dns(), 'default/xwing'), external('93.184.216.34'), 443), 'egress', [policyName('CiliumNetworkPolicy', 'tofqdn-dns-visibility', 'default')]);
  });

  test('toFQDNs never stands for a pod: xwing -> a pod on 80 is dropped', () => {
    assertDefaultDeny(ask(dns(), pod(dns(), 'default/xwing'), pod(dns(), 'default/api'), 80), 'egress', []);
  });
});

describe('fromRequires, toServices, headerMatches secrets, mutual authentication, ICMP', () => {
  test('fromRequires: an allow rule admits tester, but a requirement (env=prod) could drop it -> unknown, never allowed', () => {
    const b = build([APP, 'unmodelled/requires.yaml']);
    assertUnknown(ask(b, pod(b, 'default/tester'), pod(b, 'default/api'), 8080), 'ingress', /fromRequires/);
    // Requirements only take away: what no rule allows stays dropped.
    assertDefaultDeny(ask(b, pod(b, 'default/xwing'), pod(b, 'default/api'), 8080), 'ingress', []);
  });

  test('toServices: a pod the Service may stand for is unknown, not denied', () => {
    const b = build([APP, 'unmodelled/to-services.yaml']);
    assertUnknown(ask(b, pod(b, 'default/tester'), pod(b, 'default/api'), 8080), 'egress', /toServices/);
  });

  test('headerMatches with a secret: a request carrying the header is unknown; one without it gets the 403', () => {
    const b = build([APP, 'unmodelled/header-secret.yaml']);
    assertUnknown(ask(b, pod(b, 'default/frontend'), pod(b, 'default/api'), 8080, { http: http('GET', '/', { 'X-Token': 'abc' }) }), 'ingress', /secret/);
    assertL7Denied(ask(b, pod(b, 'default/frontend'), pod(b, 'default/api'), 8080, { http: http('GET', '/') }), { kind: 'CiliumNetworkPolicy', namespace: 'default', name: 'api-token', section: 'ingress', index: 0 });
  });

  test('authentication mode required: allowed only if the handshake succeeds -> unknown', () => {
    const b = build([APP, 'unmodelled/auth.yaml']);
    assertUnknown(ask(b, pod(b, 'default/frontend'), pod(b, 'default/api'), 8080), 'ingress', /mutual authentication/);
  });

  test('an icmps-only rule allows no TCP: dropped, not unknown', () => {
    const b = build([APP, 'unmodelled/icmp.yaml']);
    assertDefaultDeny(ask(b, pod(b, 'default/tester'), pod(b, 'default/api'), 8080), 'ingress', [policyName('CiliumNetworkPolicy', 'api-ping-only', 'default')]);
  });

  test('the matrix\'s connection sets carry the reason too', () => {
    const b = build([APP, 'unmodelled/requires.yaml']);
    const c = b.engine.allowedConnections(pod(b, 'default/tester'), pod(b, 'default/api'));
    assert.ok(c.unknown?.some((u) => /fromRequires/.test(u)), JSON.stringify(c));
  });
});
