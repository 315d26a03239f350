/**
 * How `plan` and `policy` take their manifests, as kubectl takes them: `-f -` is standard input;
 * a folder is read for .yaml, .yml and .json files only, and a folder with none is refused
 * ("error: no objects passed to apply"). meshwright says what it skipped, and does not follow a
 * link back into a folder it is already reading.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { cli } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/golden.js';

const LAB = 'examples/reference-lab/platform.yaml';
const DEMO = 'test/fixtures/manifests/clustermesh-demo';
const SW = 'test/fixtures/policy/starwars';

const root = mkdtempSync(join(tmpdir(), 'meshwright-inputs-'));
after(() => rmSync(root, { recursive: true, force: true }));

function folder(name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  return dir;
}

const demo = (f: string) => readFileSync(join(REPO_ROOT, DEMO, f), 'utf8');
const rebel = (json: { globalServices: { name: string; client: string; backends: Record<string, number> }[] }, client: string) => json.globalServices.find((g) => g.name === 'rebel-base' && g.client === client)!.backends;

describe('-f -: standard input', () => {
  test('plan reads a cluster\'s manifests from standard input', async () => {
    const r = await cli(['plan', LAB, '--no-platform-manifests', '-f', 'k8s-cilium-01=-', '-f', `k8s-cilium-02=${DEMO}/cluster2.yaml`, '-f', `${DEMO}/global-service-example.yaml`, '-o', 'json'], { stdin: demo('cluster1.yaml') });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(rebel(JSON.parse(r.stdout), 'k8s-cilium-01'), { 'k8s-cilium-01': 2, 'k8s-cilium-02': 2 });
  });

  test('policy reads policies and pods from standard input', async () => {
    const stdin = ['http-sw-app.yaml', 'sw_l3_l4_policy.yaml'].map((f) => readFileSync(join(REPO_ROOT, SW, f), 'utf8')).join('\n---\n');
    const r = await cli(['policy', 'explain', '-f', '-', '--from', 'default/xwing', '--to', 'default/deathstar', '--port', '80', '-o', 'json'], { stdin });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).cases[0].verdict, 'denied');
  });

  test('-f - twice is a usage error: standard input is read once', async () => {
    const r = await cli(['plan', LAB, '-f', '-', '-f', 'k8s-cilium-01=-'], { stdin: demo('cluster1.yaml') });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /-f - is given more than once/);
  });

  test('empty standard input: a warning that nothing came', async () => {
    const r = await cli(['plan', LAB, '-f', '-', '-o', 'json'], { stdin: '' });
    assert.equal(r.code, 0);
    assert.match(r.stderr, /warning\[NO_OBJECTS\]: <stdin> holds no Kubernetes object/);
  });
});

describe('-f FOLDER', () => {
  test('an empty folder is refused, exit 1', async () => {
    const r = await cli(['plan', LAB, '-f', folder('empty', {})]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /error\[NO_MANIFESTS\]: -f .*empty: the folder holds no \.yaml, \.yml or \.json file/);
  });

  test('a.yml.txt is skipped with a warning naming it; the .yaml beside it is read', async () => {
    const dir = folder('mixed', { 'a.yml.txt': demo('cluster2.yaml'), 'b.yaml': demo('cluster1.yaml'), 'c.yaml': demo('global-service-example.yaml') });
    const r = await cli(['plan', LAB, '--no-platform-manifests', '-f', `k8s-cilium-01=${dir}`, '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /mixed\/a\.yml\.txt: warning\[FILE_SKIPPED\]: .*a\.yml\.txt: not read: only \.yaml, \.yml and \.json files are read from a folder/);
    assert.deepEqual(rebel(JSON.parse(r.stdout), 'k8s-cilium-01'), { 'k8s-cilium-01': 2 });
  });

  test('a folder of other extensions only is refused, and the hint names one', async () => {
    const r = await cli(['plan', LAB, '-f', folder('texts', { 'a.yml.txt': demo('cluster1.yaml') })]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /hint: it holds 1 file\(s\) with other extensions, e\.g\. .*a\.yml\.txt/);
  });

  test('a link back to the folder is not followed: read once, said once', async () => {
    const dir = folder('loop', {});
    copyFileSync(join(REPO_ROOT, DEMO, 'cluster1.yaml'), join(dir, 'cluster1.yaml'));
    mkdirSync(join(dir, 'sub'));
    symlinkSync(dir, join(dir, 'sub', 'back'), 'dir');
    const r = await cli(['plan', LAB, '--no-platform-manifests', '-f', `k8s-cilium-01=${dir}`, '-f', `${DEMO}/global-service-example.yaml`, '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((r.stderr.match(/FOLDER_REPEATED/g) ?? []).length, 1, r.stderr);
    assert.match(r.stderr, /sub\/back: a link to .*loop, which is already being read/);
    assert.equal(rebel(JSON.parse(r.stdout), 'k8s-cilium-01')['k8s-cilium-01'], 2, 'not 4: the file is read once');
  });
});

describe('--ready naming what is not there', () => {
  test('a Service the cluster does not have is a usage error, with the near name', async () => {
    const r = await cli(['plan', LAB, '--ready', 'k8s-cilium-01/default/rebel-bas=1']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--ready k8s-cilium-01\/default\/rebel-bas=1: no Service default\/rebel-bas in cluster k8s-cilium-01\n.*hint: did you mean k8s-cilium-01\/default\/rebel-base\?/);
  });
});

describe('duplicates: the same rule and words in plan and policy', () => {
  test('one file given twice warns at the later copy in both commands', async () => {
    const dir = folder('twice', { 'one.yaml': readFileSync(join(REPO_ROOT, SW, 'http-sw-app.yaml'), 'utf8') });
    const plan = await cli(['plan', LAB, '--no-platform-manifests', '-f', dir, '-f', `${dir}/one.yaml`, '-o', 'json']);
    const policy = await cli(['policy', 'matrix', '-f', dir, '-f', `${dir}/one.yaml`]);
    const lines = (s: string) => s.split('\n').filter((l) => l.includes('DUPLICATE_OBJECT')).sort();
    assert.ok(lines(plan.stderr).length > 0);
    assert.deepEqual(lines(plan.stderr), lines(policy.stderr));
    assert.match(plan.stderr, /warning\[DUPLICATE_OBJECT\]: Service default\/deathstar is also defined in .*one\.yaml:\d+; this later one is used/);
  });
});
