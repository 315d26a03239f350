import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli } from '../helpers/cli.js';
import { assertGolden, REPO_ROOT } from '../helpers/golden.js';

test('meshwright schema prints the committed platform.schema.json', async () => {
  const r = await cli(['schema']);
  assert.equal(r.code, 0);
  // The committed copy is what editors point at; regenerate with UPDATE_GOLDEN=1.
  assertGolden('platform.schema.json', r.stdout, join(REPO_ROOT, 'platform.schema.json'));
});

test('the schema is draft-07 and knows the platform\'s fixed field names', async () => {
  const schema = JSON.parse((await cli(['schema'])).stdout) as Record<string, any>;
  assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
  const spec = schema.properties.spec.properties;
  assert.deepEqual(Object.keys(spec).sort(), ['cilium', 'clusters', 'kubernetes', 'mesh']);
  const cluster = spec.clusters.items.properties;
  for (const key of ['name', 'id', 'podCIDR', 'podCIDRMaskSize', 'serviceCIDR', 'nodes', 'loadBalancerIPs', 'ingressHost', 'kubeconfig']) assert.ok(cluster[key], key);
  assert.equal(spec.clusters.items.additionalProperties, false, 'unknown fields are flagged in editors too');
  assert.deepEqual(spec.mesh.properties.apiserverService.enum, ['LoadBalancer', 'NodePort']);
  assert.equal(spec.clusters.items.properties.serviceCIDR.default, '10.233.0.0/18');
  assert.match(readFileSync(join(REPO_ROOT, 'examples', 'reference-lab', 'platform.yaml'), 'utf8'), /yaml-language-server: \$schema=/);
});
