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

/**
 * The allocator itself (pkg/ipalloc HashAllocator, one per pool block, used by
 * operator/pkg/lbipam/lbipam.go): AllocAny takes the first address of the smallest free block
 * (a min-heap by size; a requested address in the middle of a block splits it in two); ranges are
 * tried in `spec.blocks` order; a pool's IPs are counted as `kubectl get ippools` shows them
 * (allowFirstLastIPs defaults to Yes in 1.16: a /30 offers 4). Reasons and messages are the
 * Service condition cilium.io/IPAMRequestSatisfied's (lbipam.go).
 */
describe('the allocator', () => {
  const take = (blocks: string[], requests: LbRequest[]) => allocateLoadBalancerIPs('pool-ilba', blocks, requests);

  test('a pin in the middle splits the block: .1 and .2 below it, then .4 and .5 above, then none', () => {
    const r = take(['10.0.0.1-10.0.0.5'], [svc('pinned', { requestedIPs: ['10.0.0.3'] }), ...['a', 'b', 'c', 'd', 'e'].map((n) => svc(n))]);
    assert.deepEqual(r.allocations.map((a) => [a.name, a.ip, a.reason]), [['pinned', '10.0.0.3', 'satisfied'], ['a', '10.0.0.1', 'satisfied'], ['b', '10.0.0.2', 'satisfied'], ['c', '10.0.0.4', 'satisfied'], ['d', '10.0.0.5', 'satisfied'], ['e', null, 'out_of_ips']]);
    assert.equal(r.allocations[5]!.message, 'All enabled CiliumLoadBalancerIPPools that match this service ran out of allocatable IPs');
  });

  test('pins at the first and last address of a block shrink it: the next one gets .2', () => {
    const r = take(['10.0.0.1-10.0.0.4'], [svc('first', { requestedIPs: ['10.0.0.1'] }), svc('last', { requestedIPs: ['10.0.0.4'] }), svc('next')]);
    assert.deepEqual(r.allocations.map((a) => a.ip), ['10.0.0.1', '10.0.0.4', '10.0.0.2']);
  });

  test('blocks are used in spec.blocks order, not address order; a full block is passed over', () => {
    const r = take(['10.0.0.10-10.0.0.11', '10.0.0.1/32'], ['a', 'b', 'c', 'd'].map((n) => svc(n)));
    assert.deepEqual(r.allocations.map((a) => a.ip), ['10.0.0.10', '10.0.0.11', '10.0.0.1', null]);
  });

  test('a CIDR block offers its network and broadcast addresses too (allowFirstLastIPs: Yes)', () => {
    const r = take(['192.168.10.200/30'], ['a', 'b', 'c', 'd', 'e'].map((n) => svc(n)));
    assert.deepEqual(r.allocations.map((a) => a.ip), ['192.168.10.200', '192.168.10.201', '192.168.10.202', '192.168.10.203', null]);
  });

  test('a block that is no range (a pool object in the lab written stop before start) offers nothing; the others still do', () => {
    const r = take(['10.0.0.9-10.0.0.1', '10.0.0.5'], [svc('a'), svc('b')]);
    assert.deepEqual(r.allocations.map((a) => a.ip), ['10.0.0.5', null]);
    assert.deepEqual([r.pool.total, r.pool.available], [1, 0]);
  });

  test('an IPv6 block hands out IPv6 addresses, written the short way', () => {
    assert.deepEqual(take(['2001:db8::10-2001:db8::11'], [svc('a'), svc('b')]).allocations.map((a) => a.ip), ['2001:db8::10', '2001:db8::11']);
  });

  test('a requested address: the block\'s ends are in the pool, one past either end is not', () => {
    const ask = (ip: string) => take(['10.0.0.2-10.0.0.4'], [svc('x', { requestedIPs: [ip] })]).allocations[0]!;
    assert.deepEqual(['10.0.0.2', '10.0.0.4'].map((ip) => ask(ip).ip), ['10.0.0.2', '10.0.0.4']);
    for (const ip of ['10.0.0.1', '10.0.0.5']) assert.deepEqual([ask(ip).ip, ask(ip).reason, ask(ip).message], [null, 'no_pool', `No pool exists with a CIDR containing '${ip}'`], ip);
  });

  test('an IPv6 address asked of an IPv4 pool, or text that is no address: no_pool', () => {
    assert.deepEqual(take(['10.0.0.1-10.0.0.4'], [svc('v6', { requestedIPs: ['::a00:1'] })]).allocations[0]!.reason, 'no_pool');
    assert.deepEqual(take(['10.0.0.1-10.0.0.4'], [svc('typo', { requestedIPs: ['10.0.0.x'] })]).allocations[0]!.reason, 'no_pool');
  });

  test('an address held without a sharing key: the second asker is told so, the first keeps it', () => {
    const r = take(['10.0.0.1-10.0.0.4'], [svc('a', { requestedIPs: ['10.0.0.2'] }), svc('b', { requestedIPs: ['10.0.0.2'] })]);
    assert.deepEqual(r.allocations.map((a) => [a.name, a.ip, a.reason, a.message, a.sharedWith]), [['a', '10.0.0.2', 'satisfied', '', undefined], ['b', null, 'already_allocated', "The IP '10.0.0.2' is already allocated to another service", undefined]]);
    assert.deepEqual([r.pool.used, r.pool.available], [1, 3]);
  });

  test('kubectl get ippools: the pool\'s name, not disabled, not conflicting, IPs counted over every block', () => {
    const r = take(['10.0.0.0/30', '10.0.1.10-10.0.1.12'], [svc('a'), svc('b', { sharingKey: 'k', ports: [80] }), svc('c', { sharingKey: 'k', ports: [443] })]);
    assert.deepEqual(r.pool, { name: 'pool-ilba', disabled: false, conflicting: false, total: 7, used: 2, available: 5 });
    assert.deepEqual(take([], []).pool, { name: 'pool-ilba', disabled: false, conflicting: false, total: 0, used: 0, available: 0 });
  });

  test('a sharing key held at two addresses: a newcomer joins the first one it fits', () => {
    const r = take(['10.0.0.1-10.0.0.4'], [svc('a', { sharingKey: 'edge', ports: [80] }), svc('b', { sharingKey: 'edge', ports: [80] }), svc('c', { sharingKey: 'edge', ports: [80, 443] }), svc('d', { sharingKey: 'edge', ports: [443] }), svc('e', { sharingKey: 'edge', ports: [8443] })]);
    assert.deepEqual(r.allocations.map((a) => [a.name, a.ip, a.sharedWith]), [
      ['a', '10.0.0.1', ['web/d', 'web/e']],
      ['b', '10.0.0.2', undefined],
      ['c', '10.0.0.3', undefined],
      ['d', '10.0.0.1', ['web/a', 'web/e']],
      ['e', '10.0.0.1', ['web/a', 'web/d']],
    ]);
    assert.deepEqual([r.pool.used, r.pool.available], [3, 1]);
  });

  test('asking for an address its key already holds, compatibly: shared, and the pool counts it once', () => {
    const r = take(['10.0.0.1-10.0.0.4'], [svc('a', { sharingKey: 'edge', ports: [80] }), svc('b', { sharingKey: 'edge', ports: [443], requestedIPs: ['10.0.0.1'] }), svc('c')]);
    assert.deepEqual(r.allocations.map((a) => [a.name, a.ip, a.reason]), [['a', '10.0.0.1', 'satisfied'], ['b', '10.0.0.1', 'satisfied'], ['c', '10.0.0.2', 'satisfied']]);
    assert.deepEqual([r.pool.used, r.pool.available], [2, 2]);
  });

  test('a Service asking for a specific address does not join its key\'s other address', () => {
    const r = take(['10.0.0.1-10.0.0.4'], [svc('a', { sharingKey: 'edge', ports: [80] }), svc('b', { sharingKey: 'edge', ports: [443], requestedIPs: ['10.0.0.3'] })]);
    assert.deepEqual(r.allocations.map((a) => a.ip), ['10.0.0.1', '10.0.0.3']);
  });
});

describe('sharing: the reasons an asker is turned away (ServiceView.isCompatible, word for word)', () => {
  const held = svc('a', { sharingKey: 'edge', ports: [80], requestedIPs: ['10.0.0.2'] });
  const why = (asker: LbRequest, holder: LbRequest = held) => {
    const r = allocateLoadBalancerIPs('pool', POOL, [holder, asker]).allocations[1]!;
    return [r.ip, r.reason, r.message];
  };

  test('another key, or a key where the holder has none', () => {
    assert.deepEqual(why(svc('b', { sharingKey: 'other', ports: [443], requestedIPs: ['10.0.0.2'] })), [null, 'already_allocated_incompatible_service', "The IP '10.0.0.2' is already allocated to an incompatible service. Reason: different sharing key"]);
    assert.deepEqual(why(svc('b', { sharingKey: 'edge', ports: [443], requestedIPs: ['10.0.0.2'] }), svc('a', { ports: [80], requestedIPs: ['10.0.0.2'] }))[2], "The IP '10.0.0.2' is already allocated to an incompatible service. Reason: different sharing key");
  });

  test('another namespace not allowed on both sides', () => {
    assert.deepEqual(why({ namespace: 'shop', name: 'b', sharingKey: 'edge', ports: [443], requestedIPs: ['10.0.0.2'], sharingCrossNamespace: ['web'] })[2], "The IP '10.0.0.2' is already allocated to an incompatible service. Reason: different and not permitted namespace");
  });

  test('traffic policies differ; Local with selectors that differ in size', () => {
    assert.deepEqual(why(svc('b', { sharingKey: 'edge', ports: [443], requestedIPs: ['10.0.0.2'], externalTrafficPolicy: 'Local', selector: { app: 'web' } }))[2], "The IP '10.0.0.2' is already allocated to an incompatible service. Reason: different ExternalTrafficPolicy");
    const local = (name: string, port: number, selector: Record<string, string>) => svc(name, { sharingKey: 'edge', ports: [port], requestedIPs: ['10.0.0.2'], externalTrafficPolicy: 'Local', selector });
    assert.deepEqual(why(local('b', 443, { app: 'web', tier: 'edge' }), local('a', 80, { app: 'web' }))[2], "The IP '10.0.0.2' is already allocated to an incompatible service. Reason: compatible ExternalTrafficPolicy local but selecting different set of pods");
    assert.deepEqual(why(local('b', 443, { app: 'web' }), local('a', 80, { app: 'web' })), ['10.0.0.2', 'satisfied', '']);
    assert.deepEqual(why(local('b', 443, { app: 'web', tier: 'edge' }), local('a', 80, { app: 'web', tier: 'core' }))[2], "The IP '10.0.0.2' is already allocated to an incompatible service. Reason: compatible ExternalTrafficPolicy local but selecting different set of pods");
    // Neither selects pods (Endpoints given by hand): LB-IPAM cannot tell, so it refuses.
    assert.deepEqual(why(local('b', 443, {}), local('a', 80, {}))[2], "The IP '10.0.0.2' is already allocated to an incompatible service. Reason: compatible ExternalTrafficPolicy local but selecting different set of pods");
  });

  test('one port in common is enough to clash; Cluster written out equals Cluster by default', () => {
    const holder = svc('a', { sharingKey: 'edge', ports: [80, 8080], requestedIPs: ['10.0.0.2'] });
    assert.deepEqual(why(svc('b', { sharingKey: 'edge', ports: [443, 80], requestedIPs: ['10.0.0.2'] }), holder)[2], "The IP '10.0.0.2' is already allocated to an incompatible service. Reason: same port");
    assert.deepEqual(why(svc('b', { sharingKey: 'edge', ports: [443], requestedIPs: ['10.0.0.2'], externalTrafficPolicy: 'Cluster' })), ['10.0.0.2', 'satisfied', '']);
  });
});

describe('the allocator, more edges', () => {
  test('after a pin at .8 of .1-.10: .9 and .10 (the smallest block) first, then .1 and .2', () => {
    const r = allocateLoadBalancerIPs('pool', ['10.0.0.1-10.0.0.10'], [svc('pinned', { requestedIPs: ['10.0.0.8'] }), ...['a', 'b', 'c', 'd'].map((n) => svc(n))]);
    assert.deepEqual(r.allocations.map((a) => a.ip), ['10.0.0.8', '10.0.0.9', '10.0.0.10', '10.0.0.1', '10.0.0.2']);
    assert.deepEqual([r.pool.used, r.pool.available], [5, 5]);
  });

  test('a satisfied request carries an empty condition message, shared or not (lbipam.go sets "satisfied" with "")', () => {
    const r = allocateLoadBalancerIPs('pool', POOL, [svc('a', { sharingKey: 'edge', ports: [80] }), svc('b', { sharingKey: 'edge', ports: [443] })]);
    assert.deepEqual(r.allocations.map((a) => [a.ip, a.reason, a.message]), [['10.0.0.1', 'satisfied', ''], ['10.0.0.1', 'satisfied', '']]);
  });

  test('asking for an address two Services share: compatible with the first is not enough, the second clashes on 443', () => {
    const a = svc('a', { sharingKey: 'edge', ports: [80], requestedIPs: ['10.0.0.2'] });
    const d = svc('d', { sharingKey: 'edge', ports: [443], requestedIPs: ['10.0.0.2'] });
    const e = allocateLoadBalancerIPs('pool', POOL, [a, d, svc('e', { sharingKey: 'edge', ports: [443, 8443], requestedIPs: ['10.0.0.2'] })]).allocations[2]!;
    assert.deepEqual([e.ip, e.reason, e.message], [null, 'already_allocated_incompatible_service', "The IP '10.0.0.2' is already allocated to an incompatible service. Reason: same port"]);
  });

  test('Services of the same name in two namespaces sharing one address each list the other', () => {
    const gw = (namespace: string, port: number): LbRequest => ({ namespace, name: 'gateway', requestedIPs: [], sharingKey: 'edge', sharingCrossNamespace: ['*'], ports: [port] });
    const r = allocateLoadBalancerIPs('pool', POOL, [gw('edge', 80), gw('shop', 443)]);
    assert.deepEqual(r.allocations.map((a) => [`${a.namespace}/${a.name}`, a.ip, a.sharedWith]), [['edge/gateway', '10.0.0.1', ['shop/gateway']], ['shop/gateway', '10.0.0.1', ['edge/gateway']]]);
  });
});
