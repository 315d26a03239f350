import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/golden.js';
import { kubectl, kubectlBinary, rows, type KubectlResult } from '../helpers/lab.js';

const PLATFORM = readFileSync(join(REPO_ROOT, 'examples', 'reference-lab', 'platform.yaml'), 'utf8');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The built binary, as a user runs it (the lab it starts is a child process of its own). */
function apply(dir: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Run {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli', 'main.js'), 'apply', ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: dir, NO_COLOR: '1', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

function labDown(dir: string): void {
  spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli', 'main.js'), 'lab', 'down'], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
}

/** What the notebook looks at after its last step, through the real kubectl, as one comparable document. */
async function endState(k: (args: string[]) => Promise<KubectlResult>): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const ctx of ['k8s-cilium-01', 'k8s-cilium-02']) {
    const get = async (args: string[]) => {
      const r = await k(['--context', ctx, ...args]);
      assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
      return r.stdout;
    };
    const nodes = rows(await get(['get', 'nodes'])).slice(1).map((r) => [r[0], r[1]]);
    const lbs = rows(await get(['get', 'svc', '-A'])).filter((r) => r[2] === 'LoadBalancer').map((r) => [r[0], r[1], r[4]]);
    const pools = rows(await get(['get', 'ippools'])).slice(1).map((r) => r.slice(0, 4));
    const ingresses = rows(await get(['get', 'ingress', '-A'])).slice(1).map((r) => r.slice(0, 5));
    const releases = rows(await get(['get', 'secrets', '-n', 'kube-system', '-l', 'owner=helm', '-L', 'name,status,version'])).slice(1).map((r) => r.slice(-3));
    const deployments = rows(await get(['get', 'deployments', '-A'])).slice(1).map((r) => [r[0], r[1], r[2]]);
    const message = JSON.parse(await get(['get', 'configmap', 'rebel-base-response', '-o', 'json'])).data.message;
    out[ctx] = { nodes, lbs, pools, ingresses, releases, deployments, message };
  }
  return out;
}

describe('apply on the lab: the reference lab from nothing to the notebook’s end state', () => {
  const bin = kubectlBinary('newest').path;
  let dir: string;
  let cache: string;
  const k = (args: string[]) => kubectl(bin, join(dir, '.meshwright', 'lab', 'kubeconfig'), cache, args);
  let converged: Record<string, unknown>;
  let built: Run;

  // The one shared fixture: the reference lab applied from nothing. Each test starts from it and
  // puts back what it changes, so any test runs alone (--test-name-pattern) as well as in order.
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mw-apply-'));
    cache = join(dir, 'kube-cache');
    writeFileSync(join(dir, 'platform.yaml'), PLATFORM);
    built = apply(dir);
    if (built.code === 0) converged = await endState(k);
  });
  after(() => {
    labDown(dir);
    rmSync(dir, { recursive: true, force: true });
  });

  it('--dry-run in an empty folder lists what would be made and starts or writes nothing', () => {
    const empty = mkdtempSync(join(tmpdir(), 'mw-apply-dry-'));
    try {
      writeFileSync(join(empty, 'platform.yaml'), PLATFORM);
      const r = apply(empty, ['--dry-run']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /nothing was changed/);
      assert.match(r.stdout, /cilium\s+k8s-cilium-01\s+would change\s+.*HelmRelease\/kube-system\/cilium would be created/);
      assert.match(r.stdout, /lb-ipam\s+k8s-cilium-02\s+would change\s+CiliumLoadBalancerIPPool\/pool-ilba would be created/);
      assert.match(r.stdout, /demo\s+k8s-cilium-02\s+would change\s+ConfigMap\/default\/rebel-base-response would be created/);
      assert.ok(!existsSync(join(empty, '.meshwright')), 'no lab, no render output, no state');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('builds the whole platform in one command; real kubectl sees what the notebook saw', async () => {
    const r = built;
    assert.equal(r.code, 0, `${r.stderr}\n${r.stdout}`);
    assert.match(r.stdout, /the platform is converged/);
    const one = converged['k8s-cilium-01'] as Record<string, any>;
    const two = converged['k8s-cilium-02'] as Record<string, any>;
    assert.deepEqual(one.nodes, [['k8s-cilium-01-cp', 'Ready'], ['k8s-cilium-01-wk01', 'Ready']]);
    assert.deepEqual(two.nodes, [['k8s-cilium-02-cp', 'Ready'], ['k8s-cilium-02-wk01', 'Ready']]);
    // the notebook's VIPs: cilium-ingress .101/.105, clustermesh-apiserver .102/.106
    assert.deepEqual(one.lbs, [['kube-system', 'cilium-ingress', '172.26.0.101'], ['kube-system', 'clustermesh-apiserver', '172.26.0.102']]);
    assert.deepEqual(two.lbs, [['kube-system', 'cilium-ingress', '172.26.0.105'], ['kube-system', 'clustermesh-apiserver', '172.26.0.106']]);
    assert.deepEqual(one.pools, [['pool-ilba', 'false', 'False', '0']]);
    assert.deepEqual(one.ingresses, [['test-ingress', 'app-ilba-ingress', 'cilium', 'test-ingress.ilba.cat', '172.26.0.101']]);
    assert.deepEqual(two.ingresses, [['test-ingress', 'app-ilba-ingress', 'cilium', 'test-ingress.ilba.cat', '172.26.0.105']]);
    // helm 3's release Secrets, labelled name/status/version (pkg/storage/driver/secrets.go)
    assert.deepEqual(new Set(one.releases.map((x: string[]) => x.join(' '))), new Set(['cilium deployed 1', 'kubelet-csr-approver deployed 1', 'metrics-server deployed 1']));
    const ready = Object.fromEntries((one.deployments as string[][]).map((d) => [`${d[0]}/${d[1]}`, d[2]]));
    assert.equal(ready['default/rebel-base'], '2/2');
    assert.equal(ready['default/x-wing'], '2/2');
    assert.equal(ready['test-ingress/app-ilba-deployment'], '2/2');
    assert.equal(ready['kube-system/metrics-server'], '1/1');
    assert.match(one.message, /"Cluster": "Cluster-1"/);
    assert.match(two.message, /"Cluster": "Cluster-2"/);
    // the mesh: the lab's agents report their peer connected over mutual TLS, so apply waited for
    // the connection itself rather than noting that it could not be seen
    assert.match(r.stdout, /^mesh\s+k8s-cilium-01\s+\w+/m);
    assert.doesNotMatch(r.stdout, /does not simulate mesh connections/);
  });

  it('a second apply changes nothing and says so; --dry-run then finds nothing to change', async () => {
    const rv = async () => Promise.all(['k8s-cilium-01', 'k8s-cilium-02'].map(async (c) => JSON.parse((await k(['--context', c, 'get', '--raw', '/api/v1/configmaps'])).stdout).metadata.resourceVersion));
    const before = await rv();
    const r = apply(dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /nothing changed/);
    const dry = apply(dir, ['--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /nothing would change/);
    assert.doesNotMatch(dry.stdout, /would be (created|configured)/);
    assert.deepEqual(await rv(), before, 'no write reached either cluster (the store revision did not move)');
  });

  it('a rendered file edited by hand is rendered again by the next apply (a no-op re-run does not skip render blindly)', () => {
    const values = join(dir, '.meshwright', 'out', 'k8s-cilium-01', 'helm', 'cilium-values.yaml');
    const rendered = readFileSync(values, 'utf8');
    writeFileSync(values, `${rendered}# edited by hand\n`);
    const r = apply(dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(values, 'utf8'), rendered, 'render rewrote the output as render would');
    assert.match(r.stdout, /nothing changed/);
  });

  it('converges again without the journal: every step is idempotent on its own', async () => {
    rmSync(join(dir, '.meshwright', 'state', 'pki', 'apply-journal.json'));
    const r = apply(dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /nothing changed/);
    assert.deepEqual(await endState(k), converged);
  });

  it('refuses a changed pod CIDR and says why, changing nothing', () => {
    writeFileSync(join(dir, 'platform.yaml'), PLATFORM.replace('podCIDR: 10.2.0.0/16', 'podCIDR: 10.3.0.0/16'));
    try {
      const r = apply(dir);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /cluster k8s-cilium-02: podCIDR 10\.3\.0\.0\/16 differs from 10\.2\.0\.0\/16/);
      assert.match(r.stderr, /Cilium cannot change/);
    } finally {
      writeFileSync(join(dir, 'platform.yaml'), PLATFORM);
    }
  });

  it('one apply at a time per state folder: a second one names who holds the lock', () => {
    const lock = join(dir, '.meshwright', 'state', 'pki', 'apply.lock');
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z' }));
    try {
      const r = apply(dir);
      assert.equal(r.code, 1);
      assert.match(r.stderr, new RegExp(`another meshwright apply holds .*apply\\.lock: pid ${process.pid} on ${hostname()}`));
    } finally {
      rmSync(lock, { force: true });
    }
  });

  it('--target real refuses the lab’s API servers, whose contexts have the same names', () => {
    const tools = join(dir, 'tools');
    mkdirSync(tools, { recursive: true });
    writeFileSync(join(tools, 'helm'), '#!/bin/sh\necho "$@" >> "$(dirname "$0")/helm.log"\n');
    chmodSync(join(tools, 'helm'), 0o755);
    writeFileSync(join(dir, 'existing.yaml'), PLATFORM.replace('provisioner: kubespray', 'provisioner: existing'));
    const r = apply(dir, ['existing.yaml', '--target', 'real', '--yes', '--kubeconfig', join('.meshwright', 'lab', 'kubeconfig'), '--output-dir', 'out-real', '--state', 'state-real'], { PATH: `${tools}:${process.env.PATH}` });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /context k8s-cilium-0[12] reaches a meshwright lab \(\/version v1\.30\.4\+meshwright-lab\), not a real cluster/);
    assert.ok(!existsSync(join(tools, 'helm.log')), 'helm never ran');
  });

  it('--target lab refuses an API server that does not say it is the lab', async () => {
    let server: Server | undefined;
    try {
      // a plain API server's /version (no +meshwright-lab)
      server = createServer((req, res) => {
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify(req.url === '/version' ? { major: '1', minor: '30', gitVersion: 'v1.30.4' } : { kind: 'Status', code: 404 }));
      });
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as { port: number }).port;
      const kc = ['k8s-cilium-01', 'k8s-cilium-02'].map((n) => ({ n }));
      writeFileSync(
        join(dir, 'plain-kubeconfig'),
        JSON.stringify({ apiVersion: 'v1', kind: 'Config', clusters: kc.map(({ n }) => ({ name: n, cluster: { server: `http://127.0.0.1:${port}`, 'insecure-skip-tls-verify': true } })), users: kc.map(({ n }) => ({ name: n, user: { token: 'x' } })), contexts: kc.map(({ n }) => ({ name: n, context: { cluster: n, user: n } })), 'current-context': 'k8s-cilium-01' }),
      );
      const r = await new Promise<Run>((resolve) => {
        // asynchronously: this process serves the API server the apply talks to
        const child = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'cli', 'main.js'), 'apply', '--kubeconfig', 'plain-kubeconfig'], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir, NO_COLOR: '1' } });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d));
        child.stderr.on('data', (d: Buffer) => (stderr += d));
        child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
      });
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /context k8s-cilium-0[12] reaches a real API server \(\/version v1\.30\.4\), not the meshwright lab/);
    } finally {
      server?.close();
    }
  });

  it('killed after each step’s side effect and before its journal entry, resumes to the same end state', async () => {
    const other = mkdtempSync(join(tmpdir(), 'mw-apply-kill-'));
    const k2 = (args: string[]) => kubectl(bin, join(other, '.meshwright', 'lab', 'kubeconfig'), join(other, 'kube-cache'), args);
    try {
      writeFileSync(join(other, 'platform.yaml'), PLATFORM);
      const file = join(other, '.meshwright', 'state', 'pki', 'apply-journal.json');
      const journal = () => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).entries : []) as Array<{ step: string; cluster: string; state: string }>;
      // helm-pending: inside helm, after the release was recorded pending (helm's lock) and before its objects: the next run must take that revision over
      for (const point of ['provision/k8s-cilium-01', 'helm-pending/k8s-cilium-01', 'cilium/k8s-cilium-02', 'lb-ipam/k8s-cilium-01', 'mesh/k8s-cilium-02', 'demo/k8s-cilium-01']) {
        const r = apply(other, [], { MESHWRIGHT_APPLY_TEST_KILL: point });
        assert.equal(r.signal, 'SIGKILL', `killed at ${point}:\n${r.stderr}`);
        const [point0, cluster] = point.split('/');
        const step = point0 === 'helm-pending' ? 'cilium' : point0;
        const entry = journal().find((e) => e.step === step && e.cluster === cluster);
        // the side effect happened, its journal entry did not: the entry still says started (the lab step records only done)
        assert.notEqual(entry?.state, 'done', `${point} is not recorded done`);
      }
      const last = apply(other);
      assert.equal(last.code, 0, last.stderr);
      // the same end state; only helm's history differs: the interrupted revision stays, failed (helm history shows it)
      const deployedOnly = (state: Record<string, unknown>) =>
        Object.fromEntries(Object.entries(state).map(([ctx, v]) => [ctx, { ...(v as object), releases: ((v as { releases: string[][] }).releases).filter((r) => r[1] === 'deployed').map((r) => r.slice(0, 2)) }]));
      const end = await endState(k2);
      assert.deepEqual(deployedOnly(end), deployedOnly(converged));
      assert.ok(((end['k8s-cilium-01'] as { releases: string[][] }).releases).some((r) => r[0] === 'cilium' && r[1] === 'failed'), 'the revision the kill left pending is now failed');
      const again = apply(other);
      assert.match(again.stdout, /nothing changed/);
    } finally {
      labDown(other);
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('upgrades a release whose values changed, restarts agents and operator only when cilium-config changed, and prunes what is no longer rendered', async () => {
    const relay = PLATFORM.replace('relay: false', 'relay: true ');
    const noKpr = relay.replace('kubeProxyReplacement: true ', 'kubeProxyReplacement: false');
    try {
      writeFileSync(join(dir, 'platform.yaml'), relay);
      const r1 = apply(dir);
      assert.equal(r1.code, 0, r1.stderr);
      assert.match(r1.stdout, /cilium\s+k8s-cilium-01\s+changed\s+HelmRelease\/kube-system\/cilium configured/);
      assert.doesNotMatch(r1.stdout, /restarted/, 'hubble-relay is a Deployment of its own: cilium-config did not change');
      const restartedAt = async () => JSON.parse((await k(['--context', 'k8s-cilium-01', 'get', 'ds', 'cilium', '-n', 'kube-system', '-o', 'json'])).stdout).spec.template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt'];
      assert.equal(await restartedAt(), undefined);
      writeFileSync(join(dir, 'platform.yaml'), noKpr);
      // without kube-proxy replacement render has no L2 announcement policy: the one apply made is pruned, a user's object is not
      const l2 = async () => rows((await k(['--context', 'k8s-cilium-01', 'get', 'ciliuml2announcementpolicies'])).stdout).slice(1).map((r) => r[0]);
      assert.deepEqual(await l2(), ['l2-pool-ilba']);
      const mine = await k(['--context', 'k8s-cilium-01', 'create', 'configmap', 'my-notes', '-n', 'default', '--from-literal=owner=me']);
      assert.equal(mine.code, 0, mine.stderr);
      const dry = apply(dir, ['--dry-run']);
      assert.equal(dry.code, 0, dry.stderr);
      assert.match(dry.stdout, /prune\s+k8s-cilium-01\s+would change\s+CiliumL2AnnouncementPolicy\/l2-pool-ilba would be deleted/);
      assert.deepEqual(await l2(), ['l2-pool-ilba'], '--dry-run deleted nothing');
      const r2 = apply(dir);
      assert.equal(r2.code, 0, r2.stderr);
      assert.match(r2.stdout, /prune\s+k8s-cilium-02\s+changed\s+CiliumL2AnnouncementPolicy\/l2-pool-ilba deleted/);
      assert.deepEqual(await l2(), [], 'kubectl finds no L2 announcement policy any more');
      assert.equal((await k(['--context', 'k8s-cilium-01', 'get', 'configmap', 'my-notes', '-n', 'default'])).code, 0, "the user's ConfigMap is still there");
      assert.match(r2.stdout, /restarted the cilium agents and operator in k8s-cilium-01: cilium-config changed \(enable-l2-announcements, kube-proxy-replacement\)/);
      assert.ok(await restartedAt(), 'kubectl rollout restart’s annotation on the agents’ pod template');
      const ds = rows((await k(['--context', 'k8s-cilium-01', 'get', 'ds', 'cilium', '-n', 'kube-system'])).stdout);
      assert.deepEqual(ds[1]!.slice(1, 6), ['2', '2', '2', '2', '2'], 'the agents rolled out again and are Ready');
    } finally {
      writeFileSync(join(dir, 'platform.yaml'), PLATFORM);
    }
  });

  it('--timeout names what was still not ready', () => {
    const slow = mkdtempSync(join(tmpdir(), 'mw-apply-slow-'));
    try {
      writeFileSync(join(slow, 'platform.yaml'), PLATFORM);
      // every simulated stage takes its share of 20s (container start 20s): nothing is Ready within 2s
      const up = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli', 'main.js'), 'lab', 'up', '--latency', '20s'], { cwd: slow, encoding: 'utf8', timeout: 60_000 });
      assert.equal(up.status, 0, up.stderr);
      const r = apply(slow, ['--timeout', '2s']);
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stderr, /step cilium on k8s-cilium-0[12]: still waiting for .*cilium agents.* after 2s/);
      const journal = JSON.parse(readFileSync(join(slow, '.meshwright', 'state', 'pki', 'apply-journal.json'), 'utf8'));
      assert.ok(journal.entries.some((e: { step: string; state: string }) => e.step === 'cilium' && e.state === 'failed'), 'the failure is journalled');
    } finally {
      labDown(slow);
      rmSync(slow, { recursive: true, force: true });
    }
  });
});
