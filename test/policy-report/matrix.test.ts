/**
 * `policy matrix`: every identity against every identity, one representative pod each (Cilium
 * decides per identity). Expectations from Cilium's Star Wars demo (docs "Getting Started with
 * the Star Wars Demo"): rule1 lets org=empire reach the deathstar on 80, with HTTP rules (only
 * POST /v1/request-landing); the alliance's xwing is dropped; nothing else is selected, so
 * everything else flows. Kafka's example rule is not modelled, and says so.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildMatrix, type MatrixNode } from '../../src/policy-report/index.js';
import { build, once } from './helpers.js';

const starwars = once(() => build(['starwars/http-sw-app.yaml', 'starwars/sw_l3_l4_l7_policy.yaml']));
const kafka = once(() => build(['unmodelled/app.yaml', '../upstream/cilium-examples/examples/policies/l7/kafka/kafka.yaml']));

const DS = 'default/deathstar[Deployment]';
const TF = 'default/tiefighter[Pod]';
const XW = 'default/xwing[Pod]';

describe('without a port: the allowed connections of each pair', () => {
  test('the Star Wars demo under rule1', () => {
    const m = buildMatrix(starwars().engine, { protocol: 'TCP', multiCluster: false });
    assert.deepEqual(Object.keys(m), ['identities', 'cells'], 'no port, protocol or request when none was asked');
    assert.deepEqual(m.identities.map((i) => [i.name, i.pods]), [[DS, 2], [TF, 1], [XW, 1]]);
    const grid = Object.fromEntries(m.cells.map((c) => [`${c.from} -> ${c.to}`, c.connections]));
    assert.deepEqual(grid, {
      // One deathstar to the other: org=empire is the deathstar's label too.
      [`${DS} -> ${DS}`]: 'TCP 80 (L7 rules apply)',
      [`${DS} -> ${TF}`]: 'All Connections',
      [`${DS} -> ${XW}`]: 'All Connections',
      [`${TF} -> ${DS}`]: 'TCP 80 (L7 rules apply)',
      [`${TF} -> ${TF}`]: 'All Connections',
      [`${TF} -> ${XW}`]: 'All Connections',
      [`${XW} -> ${DS}`]: 'none',
      [`${XW} -> ${TF}`]: 'All Connections',
      [`${XW} -> ${XW}`]: 'All Connections',
    });
    assert.ok(m.cells.every((c) => c.unmodelled === undefined && c.verdict === undefined));
  });

  test('a rule not modelled is named on its cell', () => {
    const m = buildMatrix(kafka().engine, { protocol: 'TCP', multiCluster: false });
    const unknown = m.cells.filter((c) => c.unmodelled);
    assert.deepEqual(unknown, [{ from: 'default/empire-hq[Pod]', to: 'default/kafka[Pod]', connections: 'TCP 9092', unmodelled: 'CiliumNetworkPolicy default/rule1 ingress[0]: Kafka rules decide each request on this port (not modelled)' }]);
  });
});

test('two rules not modelled on one pair: both named, in rule order', () => {
  // Mutual authentication (required) and fromRequires both stand between frontend and api.
  const b = build(['unmodelled/app.yaml', 'unmodelled/auth.yaml', 'unmodelled/requires.yaml']);
  const cell = buildMatrix(b.engine, { protocol: 'TCP', multiCluster: false }).cells.find((c) => c.from === 'default/frontend[Pod]' && c.to === 'default/api[Pod]');
  assert.equal(cell?.unmodelled, 'CiliumNetworkPolicy default/api-mutual-auth ingress[0]: authentication mode required: allowed only if mutual authentication succeeds (not modelled); CiliumNetworkPolicy default/api-requires-prod ingress[0] fromRequires could deny (not modelled)');
});

describe('with a port (and a request): a verdict per pair', () => {
  test('PUT /v1/exhaust-port on 80: the empire gets the proxy\'s 403, the xwing is dropped, the rest flows', () => {
    const put = { method: 'PUT', path: '/v1/exhaust-port', headers: {} };
    const m = buildMatrix(starwars().engine, { port: 80, protocol: 'TCP', http: put, multiCluster: false });
    assert.deepEqual([m.port, m.protocol, m.http], [80, 'TCP', put]);
    const grid = Object.fromEntries(m.cells.map((c) => [`${c.from} -> ${c.to}`, [c.verdict, c.stage ?? '-']]));
    assert.deepEqual(grid, {
      [`${DS} -> ${DS}`]: ['denied', 'l7'],
      [`${DS} -> ${TF}`]: ['allowed', '-'],
      [`${DS} -> ${XW}`]: ['allowed', '-'],
      [`${TF} -> ${DS}`]: ['denied', 'l7'],
      [`${TF} -> ${TF}`]: ['allowed', '-'],
      [`${TF} -> ${XW}`]: ['allowed', '-'],
      [`${XW} -> ${DS}`]: ['denied', 'l3-l4'],
      [`${XW} -> ${TF}`]: ['allowed', '-'],
      [`${XW} -> ${XW}`]: ['allowed', '-'],
    });
    // The landing request the rule names passes.
    const land = buildMatrix(starwars().engine, { port: 80, protocol: 'TCP', http: { method: 'POST', path: '/v1/request-landing', headers: {} }, multiCluster: false });
    assert.equal(land.cells.find((c) => c.from === TF && c.to === DS)?.verdict, 'allowed');
  });

  test('an unknown verdict carries the rule that could decide it; a sure one carries none', () => {
    const m = buildMatrix(kafka().engine, { port: 9092, protocol: 'TCP', multiCluster: false });
    assert.deepEqual(m.cells.filter((c) => c.verdict === 'unknown'), [{ from: 'default/empire-hq[Pod]', to: 'default/kafka[Pod]', verdict: 'unknown', unmodelled: 'CiliumNetworkPolicy default/rule1 ingress[0]: Kafka rules decide each request on this port (not modelled)' }]);
    assert.ok(m.cells.filter((c) => c.verdict !== 'unknown').every((c) => c.unmodelled === undefined));
  });

  test('not modelled on both sides: unknown, the egress reason then the ingress one', () => {
    const b = build(['unmodelled/app.yaml', '../upstream/cilium-examples/examples/policies/l7/dns/dns.yaml', '../policy-cli/matrix/coredns-auth.yaml']);
    const m = buildMatrix(b.engine, { port: 53, protocol: 'UDP', multiCluster: false });
    assert.deepEqual(m.cells.find((c) => c.from === XW && c.to === 'kube-system/coredns[Pod]'), {
      from: XW,
      to: 'kube-system/coredns[Pod]',
      verdict: 'unknown',
      unmodelled: 'CiliumNetworkPolicy default/tofqdn-dns-visibility egress[0]: DNS rules decide each request on this port (not modelled); CiliumNetworkPolicy kube-system/coredns-mutual-auth ingress[0]: authentication mode required: allowed only if mutual authentication succeeds (not modelled)',
    });
  });

  test('a rule not modelled on one side does not matter when the other side surely drops: denied, no note', () => {
    // Cilium's dns.yaml gives the xwing DNS rules on its egress (not modelled); CoreDNS admits no one.
    const b = build(['unmodelled/app.yaml', '../upstream/cilium-examples/examples/policies/l7/dns/dns.yaml', '../policy-cli/matrix/coredns-deny-ingress.yaml']);
    const m = buildMatrix(b.engine, { port: 53, protocol: 'UDP', multiCluster: false });
    assert.deepEqual(m.cells.find((c) => c.from === XW && c.to === 'kube-system/coredns[Pod]'), { from: XW, to: 'kube-system/coredns[Pod]', verdict: 'denied', stage: 'l3-l4' });
  });
});

describe('rows', () => {
  test('one identity for pods with the same labels, its owners sorted and joined; the cluster in a mesh', () => {
    const twins = build(['../policy-cli/matrix/twins.yaml']);
    assert.deepEqual(buildMatrix(twins.engine, { protocol: 'TCP', multiCluster: false }).identities.map((i) => [i.name, i.pods]), [['shop/alpha[Pod]+shop/zeta[Pod]', 2]]);
    assert.deepEqual(buildMatrix(twins.engine, { protocol: 'TCP', multiCluster: true }).identities.map((i) => i.name), ['default/shop/alpha[Pod]+shop/zeta[Pod]']);
  });

  test('nodes as rows of their own: name, cluster in a mesh, the host-network pods they carry', () => {
    const nodes: MatrixNode[] = [
      { ref: { kind: 'node', cluster: 'default', name: 'wk01', address: '172.26.7.11' }, hostNetwork: ['kube-system/node-agent-m8bfk', 'logging/log-shipper-x2x4q'] },
      { ref: { kind: 'node', cluster: 'default', name: 'wk02' }, hostNetwork: [] },
      { ref: { kind: 'node', relation: 'remote' }, hostNetwork: ['kube-system/probe'] },
    ];
    const rows = (multiCluster: boolean) => buildMatrix(starwars().engine, { protocol: 'TCP', multiCluster, nodes }).identities.slice(3);
    assert.deepEqual(rows(false).map((i) => [i.name, i.cluster, i.pods]), [
      ['node:wk01 [host network: kube-system/node-agent-m8bfk, logging/log-shipper-x2x4q]', 'default', 2],
      ['node:wk02', 'default', 0],
      ['node:? [host network: kube-system/probe]', '', 1],
    ]);
    assert.deepEqual(rows(true).map((i) => i.name), ['default/node:wk01 [host network: kube-system/node-agent-m8bfk, logging/log-shipper-x2x4q]', 'default/node:wk02', 'node:? [host network: kube-system/probe]']);
    assert.deepEqual(rows(false).map((i) => i.key), ['default/node:wk01/kube-system/node-agent-m8bfk,logging/log-shipper-x2x4q', 'default/node:wk02/', '/node:?/kube-system/probe']);
  });
});
