import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { bin, cli } from '../helpers/cli.js';
import { assertGolden } from '../helpers/golden.js';

const NOW = new Date('2026-11-24T09:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'meshwright-demo-'));
after(() => {
  // a failed run may have left the demo's lab running
  bin(['lab', 'down'], { cwd: join(dir, '.meshwright/reference-lab') });
  rmSync(dir, { recursive: true, force: true });
});

test('meshwright demo validates, summarises, renders, plans, applies to a lab and verifies it', async () => {
  // --keep-lab: the next test finds the lab running (apply then changes nothing), and stops it
  const r = await cli(['demo', '--keep-lab'], { cwd: dir, now: NOW });
  assert.equal(r.code, 0, r.stderr);
  assertGolden('demo.txt', r.stdout);
  assert.ok(existsSync(join(dir, '.meshwright/reference-lab/out/k8s-cilium-01/helm/cilium-values.yaml')));
  assert.equal(statSync(join(dir, '.meshwright/reference-lab/state/pki')).mode & 0o777, 0o700);
  // it ends with the verify table, all green on the lab it built
  assert.match(r.stdout, /6\. verify \(the lab observed against the plan\)\nmeshwright verify cilium-lab \(lab: SIMULATED clusters\): all checks pass/);
  assert.ok(existsSync(join(dir, '.meshwright/reference-lab/.meshwright/lab/lab.json')), '--keep-lab leaves the lab running');
});

test('meshwright demo -o json carries the summary, the rendered files, the plan and the verify report; the lab is stopped', async () => {
  const r = await cli(['demo', '-o', 'json'], { cwd: dir, now: NOW });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!existsSync(join(dir, '.meshwright/reference-lab/.meshwright/lab/lab.json')), 'without --keep-lab the lab is stopped');
  const data = JSON.parse(r.stdout) as { verify: { kind: string; summary: { fail: number; error: number; pass: number } }; apply: { changed: boolean }; valid: boolean; platform: { clusters: { name: string; loadBalancerIPs: string[] }[] }; render: { files: { path: string }[] }; plan: { loadBalancers: { ip: string }[] } };
  assert.equal(data.valid, true);
  assert.deepEqual(data.platform.clusters.map((c) => [c.name, c.loadBalancerIPs]), [
    ['k8s-cilium-01', ['172.26.0.101', '172.26.0.102']],
    ['k8s-cilium-02', ['172.26.0.105', '172.26.0.106']],
  ]);
  assert.ok(data.render.files.some((f) => f.path === 'k8s-cilium-02/helm/cilium-values.secret.yaml'));
  assert.deepEqual(data.plan.loadBalancers.map((l) => l.ip), ['172.26.0.101', '172.26.0.102', '172.26.0.105', '172.26.0.106']);
  assert.equal(data.apply.changed, false, 'the lab the first run kept was already converged');
  assert.equal(data.verify.kind, 'VerifyReport');
  assert.deepEqual([data.verify.summary.fail, data.verify.summary.error], [0, 0]);
});
