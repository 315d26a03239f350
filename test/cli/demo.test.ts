import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cli } from '../helpers/cli.js';
import { assertGolden } from '../helpers/golden.js';

const NOW = new Date('2026-11-24T09:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'meshwright-demo-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('meshwright demo validates, summarises, renders and plans the built-in reference lab', async () => {
  const r = await cli(['demo'], { cwd: dir, now: NOW });
  assert.equal(r.code, 0, r.stderr);
  assertGolden('demo.txt', r.stdout);
  assert.ok(existsSync(join(dir, '.meshwright/reference-lab/out/k8s-cilium-01/helm/cilium-values.yaml')));
  assert.equal(statSync(join(dir, '.meshwright/reference-lab/state/pki')).mode & 0o777, 0o700);
});

test('meshwright demo -o json carries the summary, the rendered files and the plan', async () => {
  const r = await cli(['demo', '-o', 'json'], { cwd: dir, now: NOW });
  const data = JSON.parse(r.stdout) as { valid: boolean; platform: { clusters: { name: string; loadBalancerIPs: string[] }[] }; render: { files: { path: string }[] }; plan: { loadBalancers: { ip: string }[] } };
  assert.equal(data.valid, true);
  assert.deepEqual(data.platform.clusters.map((c) => [c.name, c.loadBalancerIPs]), [
    ['k8s-cilium-01', ['172.26.0.101', '172.26.0.102']],
    ['k8s-cilium-02', ['172.26.0.105', '172.26.0.106']],
  ]);
  assert.ok(data.render.files.some((f) => f.path === 'k8s-cilium-02/helm/cilium-values.secret.yaml'));
  assert.deepEqual(data.plan.loadBalancers.map((l) => l.ip), ['172.26.0.101', '172.26.0.102', '172.26.0.105', '172.26.0.106']);
});
