import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { cli } from '../helpers/cli.js';
import { assertGolden } from '../helpers/golden.js';

const LAB = 'examples/reference-lab/platform.yaml';
const DEMO = 'test/fixtures/manifests/clustermesh-demo';

describe('meshwright plan', () => {
  test('the reference lab plan table', async () => {
    const r = await cli(['plan', LAB]);
    assert.equal(r.code, 0, r.stderr);
    assertGolden('plan-reference-lab.txt', r.stdout);
  });

  test('-o json: versioned, one small object per LoadBalancer and per (service, client cluster)', async () => {
    const r = await cli(['plan', LAB, '-o', 'json']);
    const plan = JSON.parse(r.stdout) as Record<string, any>;
    assert.equal(plan.apiVersion, 'meshwright/v1alpha1');
    assert.equal(plan.kind, 'Plan');
    assert.equal(plan.schemaVersion, 1);
    for (const lb of plan.loadBalancers) assert.deepEqual(Object.keys(lb), ['cluster', 'namespace', 'name', 'ip']);
    const rebel = plan.globalServices.filter((g: any) => g.name === 'rebel-base');
    assert.deepEqual(rebel.map((g: any) => [g.client, g.backends, g.share]), [
      ['k8s-cilium-01', { 'k8s-cilium-01': 2, 'k8s-cilium-02': 2 }, { 'k8s-cilium-01': 0.5, 'k8s-cilium-02': 0.5 }],
      ['k8s-cilium-02', { 'k8s-cilium-02': 2, 'k8s-cilium-01': 2 }, { 'k8s-cilium-02': 0.5, 'k8s-cilium-01': 0.5 }],
    ]);
  });

  test('the table marks a row that rests on a fix, and says the fix', async () => {
    const r = await cli(['plan', LAB, '--no-platform-manifests', '-f', `${DEMO}/cluster1.yaml`, '-f', 'test/fixtures/manifests/plan/unquoted-global.yaml']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /default\/rebel-base \*\s+k8s-cilium-01\s+yes\s+none\s+k8s-cilium-01=2 k8s-cilium-02=2\s+k8s-cilium-01 50%, k8s-cilium-02 50%/);
    assert.match(r.stdout, /\* default\/rebel-base from k8s-cilium-01 holds only once the manifests are fixed as meant .*: test\/fixtures\/manifests\/plan\/unquoted-global\.yaml:7:31: quote it: "true"/);
  });

  test('one file applied to both clusters names its fix once per row', async () => {
    const file = 'test/fixtures/manifests/plan/unquoted-global.yaml';
    const r = await cli(['plan', LAB, '--no-platform-manifests', '-f', `k8s-cilium-01=${file}`, '-f', `k8s-cilium-02=${file}`]);
    assert.equal(r.code, 0, r.stderr);
    const note = r.stdout.split('\n').find((l) => l.includes('* default/rebel-base from k8s-cilium-01 holds only'));
    assert.ok(note, r.stdout);
    assert.equal(note.split('quote it').length - 1, 1, note);
  });

  test('-o yaml prints the same document', async () => {
    const r = await cli(['plan', LAB, '-o', 'yaml']);
    assert.match(r.stdout, /^apiVersion: meshwright\/v1alpha1\nkind: Plan\nschemaVersion: 1\n/);
  });

  test("--what-if 'cluster k8s-cilium-02 down' moves every rebel-base request to cluster 1, and cluster 2 is no client", async () => {
    const r = await cli(['plan', LAB, '--what-if', 'cluster k8s-cilium-02 down', '-o', 'json']);
    const plan = JSON.parse(r.stdout) as Record<string, any>;
    assert.deepEqual(plan.whatIf, ['cluster k8s-cilium-02 down']);
    const rebel = plan.globalServices.filter((g: any) => g.name === 'rebel-base');
    assert.deepEqual(rebel.map((g: any) => [g.client, g.backends, g.share]), [['k8s-cilium-01', { 'k8s-cilium-01': 2, 'k8s-cilium-02': 0 }, { 'k8s-cilium-01': 1 }]]);
  });

  test('--aggregate gives one object per service', async () => {
    const r = await cli(['plan', LAB, '--aggregate', '-o', 'json']);
    const plan = JSON.parse(r.stdout) as Record<string, any>;
    assert.deepEqual(plan.globalServices, []);
    const rebel = plan.serviceAggregates.find((a: any) => a.name === 'rebel-base');
    assert.deepEqual(rebel.exported, { 'k8s-cilium-01': 2, 'k8s-cilium-02': 2 });
    assert.deepEqual(rebel.clients.map((c: any) => [c.client, c.localShare, c.remoteShare]), [['k8s-cilium-01', 0.5, 0.5], ['k8s-cilium-02', 0.5, 0.5]]);
  });

  test('a manifest that cannot be parsed: file:line:column, exit 1', async () => {
    const r = await cli(['plan', LAB, '-f', 'test/fixtures/manifests/plan/broken.yaml']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /test\/fixtures\/manifests\/plan\/broken\.yaml:\d+:\d+: error\[YAML_SYNTAX\]/);
    assert.equal(r.stdout, '');
  });

  test('usage errors exit 2: unknown cluster, bad what-if, missing manifest path', async () => {
    const unknown = await cli(['plan', LAB, '-f', `k8s-cilium-09=${DEMO}/cluster1.yaml`]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no cluster named "k8s-cilium-09".*\n.*hint: clusters: k8s-cilium-01, k8s-cilium-02/);
    assert.equal((await cli(['plan', LAB, '--what-if', 'everything down'])).code, 2);
    assert.equal((await cli(['plan', LAB, '--ready', 'k8s-cilium-01=lots'])).code, 2);
    const missing = await cli(['plan', LAB, '-f', 'no/such/dir']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /error\[FILE_NOT_FOUND\]: no such manifest file or folder: no\/such\/dir/);
  });

  test('an alias bomb and a broken link in a manifest folder: positioned one-line errors, no stack trace', async () => {
    const bomb = await cli(['plan', LAB, '-f', 'test/fixtures/manifests/bad/alias-bomb.yaml']);
    assert.equal(bomb.code, 1);
    assert.match(bomb.stderr, /alias-bomb\.yaml:\d+:\d+: error\[YAML_TOO_COMPLEX\]/);
    const dir = mkdtempSync(join(tmpdir(), 'meshwright-plan-'));
    try {
      symlinkSync(join(dir, 'gone.yaml'), join(dir, 'dangling.yaml'));
      const r = await cli(['plan', LAB, '-f', dir]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /error\[FILE_NOT_FOUND\]: no such manifest: .*dangling\.yaml/);
      assert.doesNotMatch(bomb.stderr + r.stderr, /\n\s+at |internal error/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an invalid platform stops plan with validate\'s diagnostics', async () => {
    const r = await cli(['plan', 'test/fixtures/broken-platform.yaml']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /broken-platform\.yaml:17:7: error\[UNKNOWN_FIELD\]/);
  });
});
