/**
 * LB IPAM address sharing, by Cilium 1.16's documentation (network/lb-ipam.rst "Sharing Keys"):
 * Services with the same lbipam.cilium.io/sharing-key share an address when their ports do not
 * overlap; across namespaces only when both allow the other with
 * lbipam.cilium.io/sharing-cross-namespace (or "*"). The reasons are the operator's words.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { allocateLoadBalancerIPs, type LbRequest } from '../../src/model/index.js';

const POOL = ['10.0.0.1-10.0.0.3'];
const svc = (name: string, extra: Partial<LbRequest> = {}): LbRequest => ({ namespace: 'web', name, requestedIPs: [], ...extra });
const ips = (requests: LbRequest[]) => allocateLoadBalancerIPs('pool', POOL, requests).allocations.map((a) => [a.name, a.ip, a.reason]);

describe('sharing keys', () => {
  test('same key, ports 80 and 443: one address for both, one address used', () => {
    const r = allocateLoadBalancerIPs('pool', POOL, [svc('http', { sharingKey: 'edge', ports: [80] }), svc('https', { sharingKey: 'edge', ports: [443] })]);
    assert.deepEqual(r.allocations.map((a) => [a.name, a.ip, a.sharedWith]), [['http', '10.0.0.1', ['web/https']], ['https', '10.0.0.1', ['web/http']]]);
    assert.equal(r.pool.available, 2);
  });

  test('same key, same port: the second gets its own address (the datapath cannot share a port)', () => {
    assert.deepEqual(ips([svc('a', { sharingKey: 'edge', ports: [80] }), svc('b', { sharingKey: 'edge', ports: [80] })]), [['a', '10.0.0.1', 'satisfied'], ['b', '10.0.0.2', 'satisfied']]);
  });

  test('a port number clashes whatever the protocol: 53/UDP against 53/TCP', () => {
    assert.deepEqual(ips([svc('dns-udp', { sharingKey: 'dns', ports: [53] }), svc('dns-tcp', { sharingKey: 'dns', ports: [53] })]).map((x) => x[1]), ['10.0.0.1', '10.0.0.2']);
  });

  test('no key, or another key: no sharing', () => {
    assert.deepEqual(ips([svc('a', { sharingKey: 'x', ports: [80] }), svc('b', { ports: [443] }), svc('c', { sharingKey: 'y', ports: [8080] })]).map((x) => x[1]), ['10.0.0.1', '10.0.0.2', '10.0.0.3']);
  });

  test('asking for a held address: without a key already_allocated, with an incompatible one the reason is said', () => {
    const first = svc('a', { sharingKey: 'edge', ports: [80], requestedIPs: ['10.0.0.2'] });
    assert.deepEqual(ips([first, svc('b', { requestedIPs: ['10.0.0.2'], ports: [443] })]).at(1), ['b', null, 'already_allocated']);
    const clash = allocateLoadBalancerIPs('pool', POOL, [first, svc('c', { sharingKey: 'edge', requestedIPs: ['10.0.0.2'], ports: [80] })]).allocations[1]!;
    assert.deepEqual([clash.ip, clash.reason, clash.message], [null, 'already_allocated_incompatible_service', "The IP '10.0.0.2' is already allocated to an incompatible service. Reason: same port"]);
    assert.deepEqual(ips([first, svc('d', { sharingKey: 'edge', requestedIPs: ['10.0.0.2'], ports: [443] })]).at(1), ['d', '10.0.0.2', 'satisfied']);
  });

  test('across namespaces only when both allow the other (by name or "*")', () => {
    const a = (cross?: string[]) => ({ namespace: 'edge', name: 'a', requestedIPs: [], sharingKey: 'k', ports: [80], ...(cross ? { sharingCrossNamespace: cross } : {}) });
    const b = (cross?: string[]) => ({ namespace: 'shop', name: 'b', requestedIPs: [], sharingKey: 'k', ports: [443], ...(cross ? { sharingCrossNamespace: cross } : {}) });
    const same = (x: LbRequest, y: LbRequest) => {
      const [p, q] = allocateLoadBalancerIPs('pool', POOL, [x, y]).allocations;
      return p!.ip === q!.ip;
    };
    assert.equal(same(a(['shop']), b()), false, 'only one side allows it');
    assert.equal(same(a(['shop']), b(['edge'])), true);
    assert.equal(same(a(['*']), b(['*'])), true);
    assert.equal(same(a(['shop', 'edge']), b(['other'])), false);
  });

  test('externalTrafficPolicy must match; Local also needs the same non-empty selector', () => {
    const local = (name: string, port: number, selector: Record<string, string>): LbRequest => svc(name, { sharingKey: 'k', ports: [port], externalTrafficPolicy: 'Local', selector });
    assert.deepEqual(ips([svc('a', { sharingKey: 'k', ports: [80] }), svc('b', { sharingKey: 'k', ports: [443], externalTrafficPolicy: 'Local', selector: { app: 'x' } })]).map((x) => x[1]), ['10.0.0.1', '10.0.0.2']);
    assert.deepEqual(ips([local('a', 80, { app: 'x' }), local('b', 443, { app: 'x' })]).map((x) => x[1]), ['10.0.0.1', '10.0.0.1']);
    assert.deepEqual(ips([local('a', 80, { app: 'x' }), local('b', 443, { app: 'y' })]).map((x) => x[1]), ['10.0.0.1', '10.0.0.2']);
    assert.deepEqual(ips([local('a', 80, {}), local('b', 443, {})]).map((x) => x[1]), ['10.0.0.1', '10.0.0.2']);
  });
});

describe('allocation order', () => {
  test('the lowest address of the smallest free block: after a pin at .8 of .1-.10, .9 comes before .1', () => {
    const r = allocateLoadBalancerIPs('pool', ['10.0.0.1-10.0.0.10'], [svc('pinned', { requestedIPs: ['10.0.0.8'] }), svc('next')]);
    assert.deepEqual(r.allocations.map((a) => a.ip), ['10.0.0.8', '10.0.0.9']);
  });

  test('out of addresses: out_of_ips; a requested address outside the pool: no_pool', () => {
    assert.deepEqual(ips([svc('a'), svc('b'), svc('c'), svc('d'), svc('e', { requestedIPs: ['192.168.0.1'] })]).slice(3), [['d', null, 'out_of_ips'], ['e', null, 'no_pool']]);
  });
});
