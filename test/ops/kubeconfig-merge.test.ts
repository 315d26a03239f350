import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { parse } from 'yaml';
import { cli } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/golden.js';

const FIX = resolve(REPO_ROOT, 'test/fixtures/kubeconfig');
const CP1 = join(FIX, 'k8s-cilium-01-cp.config');
const ADMIN2 = join(FIX, 'k8s-cilium-02-admin.conf');
const LAB = resolve(REPO_ROOT, 'examples/reference-lab/platform.yaml');
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function scratch(): string {
  const d = mkdtempSync(join(tmpdir(), 'meshwright-kubeconfig-'));
  dirs.push(d);
  return d;
}

/** kubectl reads the file and prints the contexts: no server is contacted by `config` commands. */
function kubectl(kubeconfig: string, ...args: string[]): string {
  return execFileSync('kubectl', ['--kubeconfig', kubeconfig, 'config', ...args], { encoding: 'utf8' });
}

const dataOf = (file: string, list: string, field: string, inner: string) => (parse(readFileSync(file, 'utf8'))[list][0][inner][field] as string);

describe('meshwright kubeconfig merge', () => {
  test("both Kubespray shapes become one context per mesh cluster, each pointed at render's API server, as the notebook's seds did", async () => {
    const d = scratch();
    const target = join(d, 'config');
    const r = await cli(['kubeconfig', 'merge', `k8s-cilium-01=${CP1}`, `k8s-cilium-02=${ADMIN2}`, '--platform', LAB, '--kubeconfig', target]);
    assert.equal(r.code, 0, r.stderr);
    // the notebook's `kubectl config get-contexts` after its four seds per file
    assert.match(kubectl(target, 'get-contexts'), /^CURRENT\s+NAME\s+CLUSTER\s+AUTHINFO\s+NAMESPACE\n\s+k8s-cilium-01\s+k8s-cilium-01\s+k8s-cilium-01\s*\n\s+k8s-cilium-02\s+k8s-cilium-02\s+k8s-cilium-02\s*\n$/);
    // the notebook's `sed -i 's/127.0.0.1/172.26.0.141/g'`: the first control plane of each cluster
    assert.equal(kubectl(target, 'view', '-o', 'jsonpath={.clusters[?(@.name=="k8s-cilium-01")].cluster.server}'), 'https://172.26.0.141:6443');
    assert.equal(kubectl(target, 'view', '-o', 'jsonpath={.clusters[?(@.name=="k8s-cilium-02")].cluster.server}'), 'https://172.26.0.145:6443');
    // each cluster keeps its own CA and client certificate (kubectl's KUBECONFIG=a:b would keep only the first)
    const view = parse(kubectl(target, 'view', '--raw')) as Record<string, any>;
    const byName = (list: string, name: string) => view[list].find((e: any) => e.name === name);
    assert.equal(byName('clusters', 'k8s-cilium-01').cluster['certificate-authority-data'], dataOf(CP1, 'clusters', 'certificate-authority-data', 'cluster'));
    assert.equal(byName('clusters', 'k8s-cilium-02').cluster['certificate-authority-data'], dataOf(ADMIN2, 'clusters', 'certificate-authority-data', 'cluster'));
    assert.equal(byName('users', 'k8s-cilium-02').user['client-key-data'], dataOf(ADMIN2, 'users', 'client-key-data', 'user'));
    assert.equal(statSync(target).mode & 0o777, 0o600);
    assert.match(r.stdout, /k8s-cilium-01\s+k8s-cilium-01\s+k8s-cilium-01\s+https:\/\/172\.26\.0\.141:6443\s+\S+k8s-cilium-01-cp\.config\s+added/);
  });

  test('credentials are never printed, in any output format', async () => {
    const d = scratch();
    const key = dataOf(ADMIN2, 'users', 'client-key-data', 'user');
    for (const o of ['table', 'json', 'yaml']) {
      const r = await cli(['kubeconfig', 'merge', `k8s-cilium-02=${ADMIN2}`, '--kubeconfig', join(d, `c-${o}`), '-o', o]);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(!r.stdout.includes(key.slice(0, 40)) && !r.stderr.includes(key.slice(0, 40)), o);
    }
  });

  test("a user's own entries, preferences and current context stay; only --use-context changes the current one", async () => {
    const d = scratch();
    const target = join(d, 'config');
    copyFileSync(join(FIX, 'existing.config'), target);
    let r = await cli(['kubeconfig', 'merge', `k8s-cilium-02=${ADMIN2}`, '--kubeconfig', target]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(kubectl(target, 'current-context').trim(), 'prod-eu');
    assert.deepEqual(kubectl(target, 'get-contexts', '-o', 'name').trim().split('\n').sort(), ['k8s-cilium-02', 'prod-eu']);
    const view = parse(readFileSync(target, 'utf8')) as Record<string, any>;
    assert.deepEqual(view.preferences, { colors: true });
    assert.equal(view.users.find((u: any) => u.name === 'ops').user.exec.command, 'kubelogin');
    assert.equal(view.contexts.find((c: any) => c.name === 'prod-eu').context.namespace, 'payments');
    r = await cli(['kubeconfig', 'merge', `k8s-cilium-02=${ADMIN2}`, '--kubeconfig', target, '--use-context', 'k8s-cilium-02']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(kubectl(target, 'current-context').trim(), 'k8s-cilium-02');
  });

  test('a second merge of the same files writes nothing and says so', async () => {
    const d = scratch();
    const target = join(d, 'config');
    const argv = ['kubeconfig', 'merge', `k8s-cilium-01=${CP1}`, `k8s-cilium-02=${ADMIN2}`, '--platform', LAB, '--kubeconfig', target];
    assert.equal((await cli(argv)).code, 0);
    const before = statSync(target);
    const r = await cli([...argv, '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.written, false);
    assert.deepEqual(doc.clusters.map((c: any) => c.actions), [{ cluster: 'unchanged', user: 'unchanged', context: 'unchanged' }, { cluster: 'unchanged', user: 'unchanged', context: 'unchanged' }]);
    assert.equal(statSync(target).mtimeMs, before.mtimeMs);
  });

  test('a same-named entry with other content is refused unless --replace, and then only that cluster changes', async () => {
    const d = scratch();
    const target = join(d, 'config');
    assert.equal((await cli(['kubeconfig', 'merge', `k8s-cilium-01=${CP1}`, `k8s-cilium-02=${ADMIN2}`, '--platform', LAB, '--kubeconfig', target])).code, 0);
    const before = readFileSync(target, 'utf8');
    // a rebuilt cluster 2: another CA (cluster 1's here) under the same name
    const rebuilt = join(d, 'rebuilt.conf');
    const doc = parse(readFileSync(ADMIN2, 'utf8'));
    doc.clusters[0].cluster['certificate-authority-data'] = dataOf(CP1, 'clusters', 'certificate-authority-data', 'cluster');
    writeFileSync(rebuilt, JSON.stringify(doc));
    let r = await cli(['kubeconfig', 'merge', `k8s-cilium-02=${rebuilt}`, '--kubeconfig', target]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /error\[KUBECONFIG_COLLISION\]: .*already holds cluster k8s-cilium-02 with other content than .*rebuilt\.conf brings/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.equal(readFileSync(target, 'utf8'), before);
    r = await cli(['kubeconfig', 'merge', `k8s-cilium-02=${rebuilt}`, '--kubeconfig', target, '--replace']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /cluster replaced, user unchanged, context unchanged/);
    const view = parse(readFileSync(target, 'utf8')) as Record<string, any>;
    assert.equal(view.clusters.find((c: any) => c.name === 'k8s-cilium-01').cluster['certificate-authority-data'], dataOf(CP1, 'clusters', 'certificate-authority-data', 'cluster'));
    assert.equal(view.clusters.find((c: any) => c.name === 'k8s-cilium-02').cluster.server, 'https://172.26.0.145:6443');
  });

  test("a control plane's own 127.0.0.1 server is refused without --server or a platform, and --server sets it", async () => {
    const d = scratch();
    const target = join(d, 'config');
    let r = await cli(['kubeconfig', 'merge', `k8s-cilium-01=${CP1}`, '--kubeconfig', target]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /error\[KUBECONFIG_LOOPBACK_SERVER\]: .*points at https:\/\/127\.0\.0\.1:6443/);
    assert.match(r.stderr, /hint: .*--server k8s-cilium-01=https:\/\/ADDRESS:6443/);
    r = await cli(['kubeconfig', 'merge', `k8s-cilium-01=${CP1}`, '--kubeconfig', target, '--server', 'k8s-cilium-01=https://172.26.0.141:6443']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(kubectl(target, 'view', '-o', 'jsonpath={.clusters[0].cluster.server}'), 'https://172.26.0.141:6443');
  });

  test('names change by field: a server URL that contains "cluster.local" is left as written', async () => {
    const d = scratch();
    const source = join(d, 'admin.conf');
    writeFileSync(source, readFileSync(ADMIN2, 'utf8').replace('https://172.26.0.145:6443', 'https://api.cluster.local.example.net:6443'));
    const target = join(d, 'config');
    const r = await cli(['kubeconfig', 'merge', `k8s-cilium-02=${source}`, '--kubeconfig', target]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(kubectl(target, 'view', '-o', 'jsonpath={.clusters[0].cluster.server}'), 'https://api.cluster.local.example.net:6443');
  });

  test("a relative certificate path keeps pointing at the same file from the merged kubeconfig (client-go's ResolveLocalPaths)", async () => {
    const d = scratch();
    const source = join(d, 'kubespray', 'admin.conf');
    execFileSync('mkdir', ['-p', join(d, 'kubespray')]);
    const doc = parse(readFileSync(ADMIN2, 'utf8'));
    delete doc.clusters[0].cluster['certificate-authority-data'];
    doc.clusters[0].cluster['certificate-authority'] = 'ca.crt';
    writeFileSync(source, JSON.stringify(doc));
    const target = join(d, 'home', 'config');
    const r = await cli(['kubeconfig', 'merge', `k8s-cilium-02=${source}`, '--kubeconfig', target]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(kubectl(target, 'view', '-o', 'jsonpath={.clusters[0].cluster.certificate-authority}'), join(d, 'kubespray', 'ca.crt'));
  });

  test("without --kubeconfig the target is kubectl's: the first existing KUBECONFIG entry", async () => {
    const d = scratch();
    copyFileSync(join(FIX, 'existing.config'), join(d, 'b'));
    const r = await cli(['kubeconfig', 'merge', `k8s-cilium-02=${ADMIN2}`], { env: { KUBECONFIG: `${join(d, 'a')}:${join(d, 'b')}`, HOME: d } });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(kubectl(join(d, 'b'), 'get-contexts', '-o', 'name').trim().split('\n').sort(), ['k8s-cilium-02', 'prod-eu']);
  });

  test("kubectl's lock file held: nothing is written, and the lock is not taken away", async () => {
    const d = scratch();
    const target = join(d, 'config');
    copyFileSync(join(FIX, 'existing.config'), target);
    writeFileSync(`${target}.lock`, '');
    const r = await cli(['kubeconfig', 'merge', `k8s-cilium-02=${ADMIN2}`, '--kubeconfig', target]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /error\[KUBECONFIG_LOCKED\]/);
    assert.equal(readFileSync(target, 'utf8'), readFileSync(join(FIX, 'existing.config'), 'utf8'));
    assert.equal(statSync(`${target}.lock`).isFile(), true);
  });

  test('--dry-run says what would change and writes nothing', async () => {
    const d = scratch();
    const target = join(d, 'config');
    const r = await cli(['kubeconfig', 'merge', `k8s-cilium-02=${ADMIN2}`, '--kubeconfig', target, '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /k8s-cilium-02 .* added\n\ndry run: .* not written/);
    assert.throws(() => statSync(target));
  });

  test('mistakes in the command line exit 2; a file that is no kubeconfig exits 1 at its position', async () => {
    assert.equal((await cli(['kubeconfig', 'merge', `a=${CP1}`, `a=${ADMIN2}`])).code, 2);
    assert.equal((await cli(['kubeconfig', 'merge', `a=${ADMIN2}`, '--server', 'b=https://x:6443'])).code, 2);
    assert.equal((await cli(['kubeconfig', 'merge', `k8s-cilium-09=${ADMIN2}`, '--platform', LAB])).code, 2);
    const r = await cli(['kubeconfig', 'merge', `k8s-cilium-01=${LAB}`, '--kubeconfig', join(scratch(), 'c')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /platform\.yaml:\d+:\d+: error\[KUBECONFIG_INVALID\]: .* is not a kubeconfig/);
  });
});
