import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { MeshwrightError } from '../../src/diag/index.js';
import { ansibleCoreSupported, ansiblePlaybookArgs, createProgress, runKubeconfigMerge, decodeRelease, helmUpgradeArgs, parseAgentStatus, parseAnsibleCoreVersion, preflightReal, unconnectedPeers } from '../../src/ops/index.js';
import { realHelmDriver } from '../../src/ops/helm-driver.js';
import { fetchAdminConf } from '../../src/ops/kubeconfig/index.js';
import { sshAdminConfArgs } from '../../src/ops/tools/ssh-args.js';
import { inputsHash, Journal } from '../../src/ops/journal.js';
import type { ClusterClient } from '../../src/ops/kube/client.js';
import { cli } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/golden.js';
import { referenceLab } from '../helpers/platforms.js';

describe('the real target’s command lines, as data', () => {
  it('helm upgrade --install from a repository chart: --version, values files in order, the context', () => {
    assert.deepEqual(
      helmUpgradeArgs({ release: 'cilium', chart: { ref: 'cilium/cilium', version: '1.16.5' }, namespace: 'kube-system', valuesFiles: ['/o/k8s-cilium-01/helm/cilium-values.yaml', '/o/k8s-cilium-01/helm/cilium-values.secret.yaml'], kubeconfig: '/home/u/.kube/config', kubeContext: 'k8s-cilium-01' }),
      ['upgrade', '--install', 'cilium', 'cilium/cilium', '--version', '1.16.5', '--namespace', 'kube-system', '--values', '/o/k8s-cilium-01/helm/cilium-values.yaml', '--values', '/o/k8s-cilium-01/helm/cilium-values.secret.yaml', '--kubeconfig', '/home/u/.kube/config', '--kube-context', 'k8s-cilium-01'],
    );
  });

  it('a local .tgz carries its own version (no --version); no --wait at all', () => {
    const args = helmUpgradeArgs({ release: 'metrics-server', chart: { ref: '/charts/metrics-server-3.12.2.tgz', version: '3.12.2' }, namespace: 'kube-system', valuesFiles: ['v.yaml'], kubeconfig: 'k', kubeContext: 'c' });
    assert.deepEqual(args.slice(0, 4), ['upgrade', '--install', 'metrics-server', '/charts/metrics-server-3.12.2.tgz']);
    assert.ok(!args.includes('--version'));
    assert.ok(!args.includes('--wait'), 'the LoadBalancer Services cannot be ready before the pool exists');
  });

  it('ansible-playbook as Kubespray’s README runs it: -i hosts.yaml --become --become-user=root cluster.yml, in the checkout', () => {
    assert.deepEqual(ansiblePlaybookArgs({ kubespray: '/src/kubespray', inventory: '/o/k8s-cilium-01/kubespray', become: true }), {
      cwd: '/src/kubespray',
      args: ['-i', '/o/k8s-cilium-01/kubespray/hosts.yaml', '--become', '--become-user=root', 'cluster.yml'],
    });
  });

  it('reads ansible-core from `ansible-playbook --version` and holds it to 2.16.4 ≤ v < 2.17', () => {
    // the first line as ansible-core prints it (Debian's 2.14.18 here: "ansible-playbook [core 2.14.18]")
    const out = 'ansible-playbook [core 2.16.4]\n  config file = None\n  python version = 3.11.7\n';
    assert.deepEqual(parseAnsibleCoreVersion(out), [2, 16, 4]);
    assert.equal(parseAnsibleCoreVersion('ansible-playbook 2.9.27\n'), undefined, 'ansible 2.9 had no [core …]');
    assert.equal(ansibleCoreSupported([2, 16, 4]), true);
    assert.equal(ansibleCoreSupported([2, 16, 14]), true);
    assert.equal(ansibleCoreSupported([2, 16, 3]), false);
    assert.equal(ansibleCoreSupported([2, 17, 0]), false);
    assert.equal(ansibleCoreSupported([2, 14, 18]), false, "Debian's ansible-core");
  });
});

/** A stand-in for one of the user's tools: records its arguments, then exits as told (or hangs). */
function standIn(dir: string, name: string, body: string): void {
  writeFileSync(join(dir, name), `#!/bin/sh\necho "$@" >> "${join(dir, `${name}.args`)}"\n${body}\n`);
  chmodSync(join(dir, name), 0o755);
}

describe('preflight and helm against stand-ins on PATH', () => {
  let dir: string;
  let bin: string;
  // only the stand-ins: this machine has Debian's ansible-playbook and ssh in /usr/bin
  const env = () => ({ PATH: bin });
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mw-tools-'));
    bin = join(dir, 'bin');
    mkdirSync(bin);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const problems = async (kubespray?: string): Promise<MeshwrightError> => {
    try {
      await preflightReal(referenceLab(), { env: env(), ...(kubespray ? { kubespray } : {}) });
    } catch (err) {
      assert.ok(err instanceof MeshwrightError);
      return err;
    }
    assert.fail('preflight passed');
  };

  it('names every missing tool at once, with install hints, exit 3', async () => {
    rmSync(bin, { recursive: true, force: true });
    mkdirSync(bin);
    const err = await problems();
    assert.equal(err.exitCode, 3);
    const messages = err.diagnostics.map((d) => d.message).join('\n');
    assert.match(messages, /helm is not on PATH/);
    assert.match(messages, /ansible-playbook is not on PATH/);
    assert.match(messages, /ssh is not on PATH/);
    assert.match(messages, /no Kubespray checkout given/);
    assert.ok(err.diagnostics.every((d) => d.hint), 'each with how to install it');
  });

  it('refuses an ansible-core Kubespray 2.26 does not accept', async () => {
    standIn(bin, 'helm', 'exit 0');
    standIn(bin, 'ssh', 'exit 0');
    standIn(bin, 'ansible-playbook', 'echo "ansible-playbook [core 2.17.1]"');
    const ks = join(dir, 'kubespray');
    mkdirSync(ks, { recursive: true });
    writeFileSync(join(ks, 'cluster.yml'), '---\n');
    const err = await problems(ks);
    assert.deepEqual(err.diagnostics.map((d) => d.code), ['TOOL_VERSION']);
    assert.match(err.diagnostics[0]!.message, /ansible-core 2\.17\.1 is outside what Kubespray v2\.26 accepts \(2\.16\.4 ≤ version < 2\.17\)/);
    standIn(bin, 'ansible-playbook', 'echo "ansible-playbook [core 2.16.4]"');
    const tools = await preflightReal(referenceLab(), { env: env(), kubespray: ks });
    assert.equal(tools.helm, join(bin, 'helm'));
    assert.equal(tools.ansiblePlaybook, join(bin, 'ansible-playbook'));
    assert.match(readFileSync(join(bin, 'ansible-playbook.args'), 'utf8'), /^--version$/m);
  });

  const client = { cluster: 'k8s-cilium-01', context: 'k8s-cilium-01' } as ClusterClient;
  const install = { release: 'cilium', chart: 'cilium' as const, namespace: 'kube-system', valuesFiles: ['/o/a.yaml', '/o/b.yaml'], values: [] };

  it('runs helm with the command line above, and says how it failed', async () => {
    standIn(bin, 'helm', 'exit 0');
    rmSync(join(bin, 'helm.args'), { force: true });
    const driver = realHelmDriver({ helm: join(bin, 'helm'), ciliumVersion: '1.16.5', charts: { cilium: 'oci://registry.example/charts/cilium' }, env: env() });
    await driver.upgradeInstall(client, '/k/config', install, 10_000);
    assert.equal(readFileSync(join(bin, 'helm.args'), 'utf8'), 'upgrade --install cilium oci://registry.example/charts/cilium --version 1.16.5 --namespace kube-system --values /o/a.yaml --values /o/b.yaml --kubeconfig /k/config --kube-context k8s-cilium-01\n');
    standIn(bin, 'helm', 'echo "Error: INSTALLATION FAILED: context deadline exceeded" >&2; exit 1');
    await assert.rejects(driver.upgradeInstall(client, '/k/config', install, 10_000), (err: MeshwrightError) => err.exitCode === 3 && /failed \(exit 1\): Error: INSTALLATION FAILED: context deadline exceeded/.test(err.message));
  });

  it('a release left pending (helm: "another operation … is in progress") gets helm’s own remedy, naming the interrupted run', async () => {
    // helm 3's message for a pending last revision (pkg/action/upgrade.go errPending), as the CLI prints it
    standIn(bin, 'helm', 'echo "Error: UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress" >&2; exit 1');
    const driver = realHelmDriver({ helm: join(bin, 'helm'), ciliumVersion: '1.16.5', charts: {}, env: env() });
    const since = new Date('2026-12-01T22:10:00Z');
    await assert.rejects(driver.upgradeInstall(client, '/k/config', install, 10_000, { since, pid: 41 }), (err: MeshwrightError) => {
      assert.equal(err.exitCode, 3);
      assert.match(err.message, /an earlier meshwright apply was stopped during this helm run \(2026-12-01T22:10:00\.000Z\) and left the release pending/);
      assert.match(err.diagnostics[0]!.hint ?? '', /helm history cilium --kubeconfig \/k\/config --kube-context k8s-cilium-01 -n kube-system.*helm rollback cilium --kubeconfig \/k\/config --kube-context k8s-cilium-01 -n kube-system.*helm uninstall cilium/);
      return true;
    });
    await assert.rejects(driver.upgradeInstall(client, '/k/config', install, 10_000), /another helm operation holds the release/);
  });

  it('stops a helm that hangs at the step’s timeout', async () => {
    standIn(bin, 'helm', 'exec /bin/sleep 30');
    const driver = realHelmDriver({ helm: join(bin, 'helm'), ciliumVersion: '1.16.5', charts: {}, env: env() });
    const t0 = Date.now();
    await assert.rejects(driver.upgradeInstall(client, '/k/config', install, 300), /did not finish within 0\.3s/);
    assert.ok(Date.now() - t0 < 10_000);
  });
});

describe('what apply reads and keeps', () => {
  it('decodes a helm 3 release Secret: base64 of base64(gzip(JSON))', () => {
    // pkg/storage/driver/util.go encodeRelease: gzip (BestCompression), then base64; the Secret's data adds its own base64
    const release = { name: 'cilium', namespace: 'kube-system', version: 3, info: { status: 'deployed' }, chart: { metadata: { name: 'cilium', version: '1.16.5' } }, config: { cluster: { name: 'k8s-cilium-01', id: 1 } } };
    const inner = gzipSync(Buffer.from(JSON.stringify(release)), { level: 9 }).toString('base64');
    const r = decodeRelease(Buffer.from(inner).toString('base64'));
    assert.deepEqual(r, { name: 'cilium', namespace: 'kube-system', version: 3, status: 'deployed', chartVersion: '1.16.5', config: { cluster: { name: 'k8s-cilium-01', id: 1 } } });
  });

  it('reads an agent’s mesh from cilium-dbg status -o json (models.ClusterMeshStatus)', () => {
    const sr = { cilium: { state: 'Ok' }, 'cluster-mesh': { clusters: [{ name: 'k8s-cilium-02', ready: true, connected: true, status: 'ready' }, { name: 'k8s-cilium-03', ready: false, connected: true, status: 'syncing' }], 'num-global-services': 2 } };
    const s = parseAgentStatus('k8s-cilium-01', { name: 'cilium-abcde', node: 'k8s-cilium-01-cp' }, sr);
    assert.equal(s.state, 'Ok');
    assert.equal(s.clusterMesh?.globalServices, 2);
    assert.deepEqual(unconnectedPeers(s, ['k8s-cilium-02', 'k8s-cilium-03', 'k8s-cilium-04']), ['k8s-cilium-03', 'k8s-cilium-04']);
    assert.equal(parseAgentStatus('c', { name: 'p', node: 'n' }, { cilium: { state: 'Ok' } }).clusterMesh, undefined, 'no cluster-mesh key: not configured');
  });

  it('journal: started before acting, done with the inputs’ hash; another hash runs the step again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mw-journal-'));
    try {
      const j = Journal.open(dir, 'cilium-lab');
      const h = inputsHash({ b: 1, a: [1, 2] });
      assert.equal(h, inputsHash({ a: [1, 2], b: 1 }), 'key order does not matter');
      j.record({ step: 'cilium', cluster: 'k8s-cilium-01', inputs: h, state: 'started', description: '' }, new Date('2026-01-01T00:00:00Z'));
      assert.equal(Journal.open(dir, 'cilium-lab').isDone('cilium', 'k8s-cilium-01', h), false, 'started is not done');
      j.record({ step: 'cilium', cluster: 'k8s-cilium-01', inputs: h, state: 'done', description: 'HelmRelease/kube-system/cilium created' }, new Date('2026-01-01T00:00:01Z'));
      const again = Journal.open(dir, 'cilium-lab');
      assert.equal(again.isDone('cilium', 'k8s-cilium-01', h), true);
      assert.equal(again.isDone('cilium', 'k8s-cilium-01', inputsHash({ b: 2 })), false);
      assert.equal(again.entries().length, 1, 'one entry per step and cluster');
      assert.equal(Journal.open(dir, 'another-platform').entries().length, 0, "another platform's journal is not this one's");
      writeFileSync(join(dir, 'apply-journal.json'), '{ not json');
      assert.throws(() => Journal.open(dir, 'cilium-lab'), /is not an apply journal meshwright can read/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('progress: plain lines in CI, one JSON object per line with -o json', () => {
    let t = 1000;
    const plain: string[] = [];
    const p = createProgress('plain', (s) => plain.push(s), () => t);
    p.emit({ type: 'start', step: 'cilium', title: 'Cilium by Helm', clusters: ['k8s-cilium-01', 'k8s-cilium-02'] });
    t = 15_000;
    p.emit({ type: 'waiting', step: 'cilium', cluster: 'k8s-cilium-02', what: '1/2 cilium agents Ready in k8s-cilium-02' });
    assert.deepEqual(plain, ['[  0.0s] cilium: Cilium by Helm (k8s-cilium-01, k8s-cilium-02)\n', '[   14s] cilium: waiting for 1/2 cilium agents Ready in k8s-cilium-02\n']);
    const json: string[] = [];
    const q = createProgress('json', (s) => json.push(s), () => 5000);
    q.emit({ type: 'done', step: 'demo', outcome: 'unchanged', detail: 'nothing to change' });
    assert.deepEqual(JSON.parse(json[0]!), { type: 'done', step: 'demo', outcome: 'unchanged', detail: 'nothing to change', elapsedMs: 0 });
  });
});

describe('apply --target real: Kubespray through an ansible-playbook stand-in', () => {
  let dir: string;
  let bin: string;
  let ks: string;
  const run = (extra: string[] = []) => cli(['apply', '--target', 'real', '--yes', '--kubespray', ks, '--kubeconfig', join(dir, 'kubeconfig'), '--timeout', '2s', ...extra], { cwd: dir, env: { PATH: bin, HOME: dir } });
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mw-apply-real-'));
    bin = join(dir, 'bin');
    ks = join(dir, 'kubespray');
    mkdirSync(bin);
    mkdirSync(ks);
    writeFileSync(join(ks, 'cluster.yml'), '---\n');
    writeFileSync(join(dir, 'platform.yaml'), readFileSync(join(REPO_ROOT, 'examples', 'reference-lab', 'platform.yaml')));
    standIn(bin, 'helm', 'exit 0');
    standIn(bin, 'ssh', 'exit 0');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('--dry-run before the clusters exist: the playbook runs and every object would be made; nothing runs or is written', async () => {
    standIn(bin, 'ansible-playbook', 'case "$1" in --version) echo "ansible-playbook [core 2.16.4]";; *) exit 99;; esac');
    const r = await run(['--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /provision\s+k8s-cilium-02\s+would change\s+ansible-playbook -i \S+\/k8s-cilium-02\/kubespray\/hosts\.yaml --become --become-user=root cluster\.yml/);
    assert.match(r.stdout, /cilium\s+k8s-cilium-01\s+would change\s+.*HelmRelease\/kube-system\/cilium would be created/);
    assert.deepEqual(readFileSync(join(bin, 'ansible-playbook.args'), 'utf8').trim().split('\n'), ['--version']);
    assert.ok(!existsSync(join(dir, '.meshwright')), 'nothing rendered, no journal');
    rmSync(join(bin, 'ansible-playbook.args'));
  });

  it('a failing cluster.yml stops apply with exit 3 and what it printed; nothing else runs', async () => {
    standIn(bin, 'ansible-playbook', 'case "$1" in --version) echo "ansible-playbook [core 2.16.4]";; *) echo "fatal: [k8s-cilium-01-cp]: UNREACHABLE!"; exit 4;; esac');
    rmSync(join(bin, 'ansible-playbook.args'), { force: true });
    const r = await run();
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /ansible-playbook cluster\.yml for k8s-cilium-01 failed \(exit 4\): fatal: \[k8s-cilium-01-cp\]: UNREACHABLE!/);
    const calls = readFileSync(join(bin, 'ansible-playbook.args'), 'utf8').trim().split('\n');
    assert.deepEqual(calls, ['--version', `-i ${join(dir, '.meshwright', 'out', 'k8s-cilium-01', 'kubespray', 'hosts.yaml')} --become --become-user=root cluster.yml`]);
    assert.ok(!readFileSync(join(bin, 'helm.args'), { encoding: 'utf8', flag: 'a+' }).length, 'helm never ran');
    const journal = JSON.parse(readFileSync(join(dir, '.meshwright', 'state', 'pki', 'apply-journal.json'), 'utf8'));
    assert.deepEqual(journal.entries.map((e: { step: string; cluster: string; state: string }) => [e.step, e.cluster, e.state]), [['provision', 'k8s-cilium-01', 'failed']]);
  });

  it('a cluster.yml that hangs is stopped at --timeout, naming it', async () => {
    standIn(bin, 'ansible-playbook', 'case "$1" in --version) echo "ansible-playbook [core 2.16.4]";; *) exec /bin/sleep 30;; esac');
    const r = await run();
    assert.equal(r.code, 3);
    assert.match(r.stderr, /ansible-playbook cluster\.yml for k8s-cilium-01 did not finish within 2s/);
  });

  it('resumes: clusters provisioned before are skipped; admin.conf is fetched over ssh, and a host that refuses is named (exit 3)', async () => {
    standIn(bin, 'ansible-playbook', 'case "$1" in --version) echo "ansible-playbook [core 2.16.4]";; *) echo ok;; esac');
    // Kubespray would have written artifacts/admin.conf only with kubeconfig_localhost; the stand-in does not, so apply asks ssh
    standIn(bin, 'ssh', 'case "$1" in -V) echo OpenSSH_9.2p1;; *) echo "ssh: connect to host $5 port 22: Connection refused" >&2; exit 255;; esac');
    rmSync(join(bin, 'ansible-playbook.args'), { force: true });
    const first = await run();
    assert.equal(first.code, 3, first.stderr);
    assert.match(first.stderr, /ssh could not log in to 172\.26\.0\.14[15] for k8s-cilium-0[12]: ssh: connect to host 172\.26\.0\.14[15] port 22: Connection refused/);
    // no --ssh-user: the login ssh chooses (as Ansible's remote_user default), sudo only when cat is refused
    assert.match(readFileSync(join(bin, 'ssh.args'), 'utf8'), /^-o BatchMode=yes -o ConnectTimeout=15 172\.26\.0\.141 -- cat \/etc\/kubernetes\/admin\.conf 2>\/dev\/null \|\| sudo -n cat \/etc\/kubernetes\/admin\.conf$/m);
    rmSync(join(bin, 'ansible-playbook.args'));
    const second = await run();
    assert.equal(second.code, 3);
    assert.deepEqual(readFileSync(join(bin, 'ansible-playbook.args'), 'utf8').trim().split('\n'), ['--version'], 'cluster.yml is not run again for clusters done with the same inventory');
    rmSync(join(bin, 'ssh.args'));
    const third = await run(['--ssh-user', 'ubuntu']);
    assert.equal(third.code, 3);
    assert.match(third.stderr, /ssh could not log in to ubuntu@172\.26\.0\.14[15] for k8s-cilium-0[12]/);
    assert.match(readFileSync(join(bin, 'ssh.args'), 'utf8'), /^-o BatchMode=yes -o ConnectTimeout=15 ubuntu@172\.26\.0\.141 -- sudo -n cat \/etc\/kubernetes\/admin\.conf$/m);
  });
});

describe('admin.conf over ssh (a stand-in ssh on PATH; no real ssh, no host contacted)', () => {
  let dir: string;
  let bin: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mw-ssh-'));
    bin = join(dir, 'bin');
    mkdirSync(bin);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const fetch = (env: NodeJS.ProcessEnv, dest = join(dir, 'k8s-cilium-02', 'artifacts', 'admin.conf')) => fetchAdminConf({ cluster: 'k8s-cilium-02', host: '172.26.0.145', user: 'root', dest, env, timeoutMs: 5000 });

  it('the ssh command lines, as data: batch mode, root reads the file, anyone else through sudo -n', () => {
    assert.deepEqual(sshAdminConfArgs({ host: '172.26.0.145', user: 'root' }), ['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=15', 'root@172.26.0.145', '--', 'cat', '/etc/kubernetes/admin.conf']);
    assert.deepEqual(sshAdminConfArgs({ host: 'k8s-cilium-02-cp', user: 'ubuntu' }), ['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=15', 'ubuntu@k8s-cilium-02-cp', '--', 'sudo', '-n', 'cat', '/etc/kubernetes/admin.conf']);
    assert.deepEqual(sshAdminConfArgs({ host: '172.26.0.145' }), ['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=15', '172.26.0.145', '--', 'cat /etc/kubernetes/admin.conf 2>/dev/null || sudo -n cat /etc/kubernetes/admin.conf']);
  });

  it('writes what ssh printed 0600, and kubeconfig merge then names the cluster after the mesh (kubectl config reads it)', async () => {
    const fixture = join(REPO_ROOT, 'test', 'fixtures', 'kubeconfig', 'k8s-cilium-02-admin.conf');
    standIn(bin, 'ssh', `/bin/cat '${fixture}'`);
    const dest = join(dir, 'k8s-cilium-02', 'artifacts', 'admin.conf');
    await fetch({ PATH: bin }, dest);
    assert.equal(readFileSync(dest, 'utf8'), readFileSync(fixture, 'utf8'));
    assert.equal(statSync(dest).mode & 0o777, 0o600);
    const target = join(dir, 'kubeconfig');
    runKubeconfigMerge({ cwd: dir, sources: [{ cluster: 'k8s-cilium-02', path: dest }], target, servers: {}, platform: referenceLab(), replace: false, dryRun: false });
    const contexts = execFileSync('kubectl', ['--kubeconfig', target, 'config', 'get-contexts', '-o', 'name'], { encoding: 'utf8' });
    assert.equal(contexts.trim(), 'k8s-cilium-02');
  });

  it('ssh missing: exit 3 with how to install it', async () => {
    await assert.rejects(fetch({ PATH: join(dir, 'nothing-here') }), (err: unknown) => err instanceof MeshwrightError && err.exitCode === 3 && /ssh is not installed \(needed to fetch root@172\.26\.0\.145:\/etc\/kubernetes\/admin\.conf for k8s-cilium-02\)/.test(err.message));
  });

  it('a file that is not there (sudo or cat fails): exit 3 naming the host and what it said', async () => {
    standIn(bin, 'ssh', 'echo "cat: /etc/kubernetes/admin.conf: No such file or directory" >&2; exit 1');
    await assert.rejects(fetch({ PATH: bin }), (err: unknown) => err instanceof MeshwrightError && err.exitCode === 3 && /reading \/etc\/kubernetes\/admin\.conf on 172\.26\.0\.145 failed \(exit 1\) for k8s-cilium-02: cat: \/etc\/kubernetes\/admin\.conf: No such file/.test(err.message));
  });
});
