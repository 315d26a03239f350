import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { contains, formatAddress, formatCidr, overlaps, parseAddress, parseCidr, parseIpBlock, rangeSize } from '../../src/net/index.js';

test('addresses are strict dotted quads or IPv6', () => {
  assert.ok(parseAddress('172.26.0.141'));
  assert.ok(parseAddress('fd00::1'));
  for (const bad of ['172.26.0.300', '10.1', '010.1.1.1', '1.2.3.4.5', '', 'host', '10.0.0.0/8']) assert.equal(parseAddress(bad), undefined, bad);
});

test('CIDRs: range, prefix bounds, host bits', () => {
  const c = parseCidr('10.1.0.0/16')!;
  assert.equal(formatAddress(4, c.first), '10.1.0.0');
  assert.equal(formatAddress(4, c.last), '10.1.255.255');
  assert.equal(c.canonical, true);
  assert.equal(parseCidr('10.1.0.5/16')!.canonical, false);
  assert.equal(formatCidr(parseCidr('10.1.0.5/16')!), '10.1.0.0/16');
  assert.equal(parseCidr('10.1.0.0/33'), undefined);
  assert.equal(parseCidr('10.1.0.0'), undefined);
  assert.equal(rangeSize(parseCidr('fd00::/104')!), 2n ** 24n);
});

test('LB IPAM blocks: address, CIDR, start-stop', () => {
  assert.equal(rangeSize(parseIpBlock('172.26.0.101')!), 1n);
  assert.equal(rangeSize(parseIpBlock('172.26.0.96/28')!), 16n);
  assert.equal(rangeSize(parseIpBlock('172.26.0.101-172.26.0.110')!), 10n);
  assert.equal(parseIpBlock('172.26.0.110-172.26.0.101'), undefined, 'reversed range');
  assert.equal(parseIpBlock('172.26.0.1-fd00::1'), undefined, 'mixed families');
});

test('overlap and containment never cross families', () => {
  assert.ok(overlaps(parseCidr('10.1.0.0/16')!, parseCidr('10.1.128.0/17')!));
  assert.ok(!overlaps(parseCidr('10.1.0.0/16')!, parseCidr('10.2.0.0/16')!));
  assert.ok(!overlaps(parseCidr('0.0.0.0/0')!, parseCidr('::/0')!));
  assert.ok(contains(parseCidr('10.0.0.0/8')!, parseCidr('10.2.0.0/16')!));
  assert.ok(!contains(parseCidr('10.2.0.0/16')!, parseCidr('10.0.0.0/8')!));
});

test('overlap agrees with a brute-force check on small IPv4 ranges', () => {
  fc.assert(
    fc.property(fc.nat(255), fc.integer({ min: 24, max: 32 }), fc.nat(255), fc.integer({ min: 24, max: 32 }), (a, pa, b, pb) => {
      const x = parseCidr(`10.0.0.${a}/${pa}`)!;
      const y = parseCidr(`10.0.0.${b}/${pb}`)!;
      let shared = false;
      for (let i = x.first; i <= x.last && !shared; i++) shared = i >= y.first && i <= y.last;
      assert.equal(overlaps(x, y), shared);
    }),
  );
});
