/**
 * Classic Kubernetes NetworkPolicy semantics (policy-semantics.md §1), with the Cilium
 * deviations of §2.7 where they matter (an ipBlock never matches pods).
 * Namespaces: prod (env=prod), dev (env=dev), monitoring (purpose=monitoring).
 * prod: web (http 8080, metrics 9090), api (http 8000), db (StatefulSet, postgres 5432), client;
 * dev: client, other; monitoring: prometheus.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ask, assertAllowed, assertDefaultDeny, assertUnrestricted, build, external, once, pod, policyName, type RuleExpect } from './helpers.js';
import type { PeerRef, Protocol } from '../../src/model/policy-engine/types.js';

const APP = 'k8s/app.yaml';

function np(name: string, file: string, section: RuleExpect['section'] = 'ingress', index = 0): RuleExpect {
  return { kind: 'NetworkPolicy', namespace: 'prod', name, section, index, file: `k8s/${file}` };
}
const NP = (name: string) => policyName('NetworkPolicy', name, 'prod');

function scene(file?: string) {
  const b = once(() => build(file ? [APP, `k8s/${file}`] : [APP]));
  const peer = (ref: string): PeerRef => (/^\d/.test(ref) ? external(ref) : pod(b(), ref));
  return { b, ask: (from: string, to: string, port: number, protocol: Protocol = 'TCP') => ask(b(), peer(from), peer(to), port, { protocol }) };
}

describe('K8s: no policy', () => {
  const s = scene();
  test('everything is allowed and nothing is enforced', () => {
    assertUnrestricted(s.ask('dev/other', 'prod/db', 5432));
    assertUnrestricted(s.ask('prod/web', 'monitoring/prometheus', 9090, 'UDP'));
  });
});

describe('K8s: default deny ingress (podSelector {}, policyTypes [Ingress])', () => {
  const s = scene('default-deny-ingress.yaml');
  test('every pod of prod is isolated for ingress: prod/client -> prod/web:8080 dropped', () => {
    assertDefaultDeny(s.ask('prod/client', 'prod/web', 8080), 'ingress', [NP('default-deny-ingress')]);
  });
  test('from another namespace and from outside too', () => {
    assertDefaultDeny(s.ask('dev/client', 'prod/db', 5432), 'ingress', [NP('default-deny-ingress')]);
    assertDefaultDeny(s.ask('198.51.100.7', 'prod/web', 8080), 'ingress', [NP('default-deny-ingress')]);
  });
  test('egress is not isolated, and other namespaces are untouched', () => {
    assertUnrestricted(s.ask('prod/web', 'dev/other', 80));
  });
});

describe('K8s: allow from a podSelector', () => {
  const s = scene('allow-from-client.yaml');
  const R = np('web-from-client', 'allow-from-client.yaml');
  test('prod/client -> prod/web:8080 allowed by web-from-client ingress[0]', () => {
    assertAllowed(s.ask('prod/client', 'prod/web', 8080), R);
  });
  test('a podSelector peer means pods of the policy\'s namespace: dev/client is dropped', () => {
    assertDefaultDeny(s.ask('dev/client', 'prod/web', 8080), 'ingress', [NP('web-from-client')]);
  });
  test('other ports and other pods are dropped', () => {
    assertDefaultDeny(s.ask('prod/client', 'prod/web', 9090), 'ingress', [NP('web-from-client')]);
    assertDefaultDeny(s.ask('prod/api', 'prod/web', 8080), 'ingress', [NP('web-from-client')]);
  });
  test('a port without protocol is TCP: UDP 8080 is dropped', () => {
    assertDefaultDeny(s.ask('prod/client', 'prod/web', 8080, 'UDP'), 'ingress', [NP('web-from-client')]);
  });
  test('pods the policy does not select stay open', () => {
    assertUnrestricted(s.ask('dev/other', 'prod/api', 8000));
  });
});

describe('K8s: namespaceSelector and podSelector in ONE peer (AND)', () => {
  const s = scene('ns-and-pod.yaml');
  test('dev/client -> prod/web allowed (client pod in an env=dev namespace)', () => {
    assertAllowed(s.ask('dev/client', 'prod/web', 8080), np('web-from-dev-clients', 'ns-and-pod.yaml'));
  });
  test('dev/other dropped (not a client); prod/client dropped (not in dev)', () => {
    assertDefaultDeny(s.ask('dev/other', 'prod/web', 8080), 'ingress', [NP('web-from-dev-clients')]);
    assertDefaultDeny(s.ask('prod/client', 'prod/web', 8080), 'ingress', [NP('web-from-dev-clients')]);
  });
});

describe('K8s: namespaceSelector and podSelector as TWO peers (OR)', () => {
  const s = scene('ns-or-pod.yaml');
  const R = np('web-from-dev-or-clients', 'ns-or-pod.yaml');
  test('every pod of dev is allowed, client or not', () => {
    assertAllowed(s.ask('dev/client', 'prod/web', 8080), R);
    assertAllowed(s.ask('dev/other', 'prod/web', 9090), R);
  });
  test('prod/client is allowed by the podSelector peer', () => {
    assertAllowed(s.ask('prod/client', 'prod/web', 8080), R);
  });
  test('monitoring/prometheus matches neither peer: dropped', () => {
    assertDefaultDeny(s.ask('monitoring/prometheus', 'prod/web', 9090), 'ingress', [NP('web-from-dev-or-clients')]);
  });
});

describe('K8s: namespaceSelector on the automatic kubernetes.io/metadata.name label, named port', () => {
  const s = scene('ns-by-name.yaml');
  test('monitoring/prometheus -> prod/web:9090 ("metrics") allowed', () => {
    assertAllowed(s.ask('monitoring/prometheus', 'prod/web', 9090), np('web-from-monitoring', 'ns-by-name.yaml'));
  });
  test('monitoring/prometheus -> prod/web:8080 dropped; dev/client -> prod/web:9090 dropped', () => {
    assertDefaultDeny(s.ask('monitoring/prometheus', 'prod/web', 8080), 'ingress', [NP('web-from-monitoring')]);
    assertDefaultDeny(s.ask('dev/client', 'prod/web', 9090), 'ingress', [NP('web-from-monitoring')]);
  });
});

describe('K8s: ipBlock with except matches external addresses only', () => {
  const s = scene('ipblock.yaml');
  const R = np('web-from-internet', 'ipblock.yaml');
  test('198.51.100.7 -> prod/web:8080 allowed (inside 0.0.0.0/0, outside the except)', () => {
    assertAllowed(s.ask('198.51.100.7', 'prod/web', 8080), R);
  });
  test('203.0.113.9 and 203.0.113.255 (in the except) are dropped; 203.0.114.0 is allowed', () => {
    assertDefaultDeny(s.ask('203.0.113.9', 'prod/web', 8080), 'ingress', [NP('web-from-internet')]);
    assertDefaultDeny(s.ask('203.0.113.255', 'prod/web', 8080), 'ingress', [NP('web-from-internet')]);
    assertAllowed(s.ask('203.0.114.0', 'prod/web', 8080), R);
  });
  test('a pod is never matched by an ipBlock under Cilium (§2.7): prod/client -> prod/web dropped', () => {
    assertDefaultDeny(s.ask('prod/client', 'prod/web', 8080), 'ingress', [NP('web-from-internet')]);
  });
  test('externalBlocks cuts 0.0.0.0/0 at the except boundaries', () => {
    assert.deepEqual(s.b().engine.externalBlocks(), [
      ['0.0.0.0', '203.0.112.255'],
      ['203.0.113.0', '203.0.113.255'],
      ['203.0.114.0', '255.255.255.255'],
    ]);
  });
});

describe('K8s: policyTypes defaulting', () => {
  test('egress-only policy listing Egress: api -> db:5432 allowed by egress[0], api -> web dropped at egress', () => {
    const s = scene('egress-only.yaml');
    assertAllowed(s.ask('prod/api', 'prod/db', 5432), np('api-egress-to-db', 'egress-only.yaml', 'egress'));
    const v = s.ask('prod/api', 'prod/web', 8080);
    assertDefaultDeny(v, 'egress', [NP('api-egress-to-db')]);
    assert.equal(v.ingress.decision, 'allowed', 'web is not isolated');
  });
  test('egress-only policy listing Egress leaves ingress alone: prod/client -> prod/api:8000 allowed', () => {
    const s = scene('egress-only.yaml');
    const v = s.ask('prod/client', 'prod/api', 8000);
    assertAllowed(v);
    assert.equal(v.ingress.enforced, false);
    assert.deepEqual(v.ingress.selectedBy, []);
  });
  test('only `egress:` and no policyTypes still isolates ingress: prod/client -> prod/api dropped', () => {
    const s = scene('egress-without-policytypes.yaml');
    assertDefaultDeny(s.ask('prod/client', 'prod/api', 8000), 'ingress', [NP('api-egress-no-types')]);
  });
  test('only `egress:` and no policyTypes: the egress rule applies (api -> db:5432 allowed, api -> web dropped)', () => {
    const s = scene('egress-without-policytypes.yaml');
    assertAllowed(s.ask('prod/api', 'prod/db', 5432), np('api-egress-no-types', 'egress-without-policytypes.yaml', 'egress'));
    assertDefaultDeny(s.ask('prod/api', 'prod/web', 8080), 'egress', [NP('api-egress-no-types')]);
  });
  test('policyTypes [Egress] with no egress rules denies all egress, ingress stays open', () => {
    const s = scene('deny-all-egress.yaml');
    assertDefaultDeny(s.ask('prod/api', 'prod/db', 5432), 'egress', [NP('api-deny-all-egress')]);
    assertDefaultDeny(s.ask('prod/api', '198.51.100.7', 443), 'egress', [NP('api-deny-all-egress')]);
    assertUnrestricted(s.ask('prod/client', 'prod/api', 8000));
  });
});

describe('K8s: a named port resolves on the destination pod', () => {
  const s = scene('named-port.yaml');
  const R = np('http-from-client', 'named-port.yaml');
  test('"http" is 8080 on web: prod/client -> prod/web:8080 allowed, :8000 dropped', () => {
    assertAllowed(s.ask('prod/client', 'prod/web', 8080), R);
    assertDefaultDeny(s.ask('prod/client', 'prod/web', 8000), 'ingress', [NP('http-from-client')]);
  });
  test('"http" is 8000 on api: prod/client -> prod/api:8000 allowed, :8080 dropped', () => {
    assertAllowed(s.ask('prod/client', 'prod/api', 8000), R);
    assertDefaultDeny(s.ask('prod/client', 'prod/api', 8080), 'ingress', [NP('http-from-client')]);
  });
  test('allowed connections show the resolved number', () => {
    const c = s.b().engine.allowedConnections(pod(s.b(), 'prod/client'), pod(s.b(), 'prod/api'));
    assert.equal(c.all, false);
    assert.deepEqual(c.ports, { TCP: [[8000, 8000]], UDP: [], SCTP: [] });
  });
});

describe('K8s: endPort ranges are inclusive', () => {
  // K8s semantics (§1.8); Cilium 1.16.5 copies endPort (§2.7, marked [U] there).
  const s = scene('endport.yaml');
  const R = np('web-port-range', 'endport.yaml');
  test('8000, 8080 and 8100 allowed', () => {
    for (const port of [8000, 8080, 8100]) assertAllowed(s.ask('prod/client', 'prod/web', port), R);
  });
  test('7999 and 8101 dropped; UDP 8050 dropped', () => {
    assertDefaultDeny(s.ask('prod/client', 'prod/web', 7999), 'ingress', [NP('web-port-range')]);
    assertDefaultDeny(s.ask('prod/client', 'prod/web', 8101), 'ingress', [NP('web-port-range')]);
    assertDefaultDeny(s.ask('prod/client', 'prod/web', 8050, 'UDP'), 'ingress', [NP('web-port-range')]);
  });
  test('allowed connections: [8000, 8100] TCP', () => {
    const c = s.b().engine.allowedConnections(pod(s.b(), 'prod/client'), pod(s.b(), 'prod/web'));
    assert.deepEqual(c.ports, { TCP: [[8000, 8100]], UDP: [], SCTP: [] });
  });
});

describe('K8s: `ingress: [{}]` allows everything, `ingress: []` allows nothing', () => {
  test('[{}]: any pod, any namespace, any port, and outside addresses are allowed by ingress[0]', () => {
    const s = scene('allow-all-ingress.yaml');
    const R = np('web-allow-all', 'allow-all-ingress.yaml');
    assertAllowed(s.ask('dev/other', 'prod/web', 12345), R);
    assertAllowed(s.ask('monitoring/prometheus', 'prod/web', 9090, 'UDP'), R);
    assertAllowed(s.ask('198.51.100.7', 'prod/web', 8080), R);
    assert.equal(s.b().engine.allowedConnections(pod(s.b(), 'dev/client'), pod(s.b(), 'prod/web')).all, true);
  });
  test('[]: web is selected and every request to it is dropped', () => {
    const s = scene('deny-all-ingress.yaml');
    assertDefaultDeny(s.ask('prod/client', 'prod/web', 8080), 'ingress', [NP('web-deny-all')]);
    assertDefaultDeny(s.ask('dev/other', 'prod/web', 9090), 'ingress', [NP('web-deny-all')]);
  });
});

describe('K8s: the fixtures are valid', () => {
  test('no diagnostics', () => {
    for (const f of ['default-deny-ingress', 'allow-from-client', 'ns-and-pod', 'ns-or-pod', 'ns-by-name', 'ipblock', 'egress-only', 'egress-without-policytypes', 'deny-all-egress', 'named-port', 'endport', 'allow-all-ingress', 'deny-all-ingress']) {
      assert.deepEqual(build([APP, `k8s/${f}.yaml`]).diagnostics, [], f);
    }
  });
});
