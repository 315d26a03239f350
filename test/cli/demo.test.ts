import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cli } from '../helpers/cli.js';
import { assertGolden } from '../helpers/golden.js';

test('meshwright demo validates and summarises the built-in reference lab', async () => {
  const r = await cli(['demo']);
  assert.equal(r.code, 0, r.stderr);
  assertGolden('demo.txt', r.stdout);
});

test('meshwright demo -o json carries the platform summary', async () => {
  const r = await cli(['demo', '-o', 'json']);
  const data = JSON.parse(r.stdout) as { valid: boolean; platform: { clusters: { name: string; loadBalancerIPs: string[] }[] } };
  assert.equal(data.valid, true);
  assert.deepEqual(data.platform.clusters.map((c) => [c.name, c.loadBalancerIPs]), [
    ['k8s-cilium-01', ['172.26.0.101', '172.26.0.102']],
    ['k8s-cilium-02', ['172.26.0.105', '172.26.0.106']],
  ]);
});
