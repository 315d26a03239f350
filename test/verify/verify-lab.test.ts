import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Ajv2020 from 'ajv/dist/2020.js';
import { BACKEND_BIAS_ENV } from '../../src/lab/index.js';
import { bin, cli } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/golden.js';
import { kubectl, kubectlBinary } from '../helpers/lab.js';

const PLATFORM = readFileSync(join(REPO_ROOT, 'examples', 'reference-lab', 'platform.yaml'), 'utf8');

/**
 * A temp folder with the reference lab applied by the built binary (runApply, with the lab as a
 * child process of its own; `env` reaches the lab process, e.g. a biased backend choice).
 */
function appliedLab(prefix: string, env: NodeJS.ProcessEnv = {}): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  writeFileSync(join(dir, 'platform.yaml'), PLATFORM);
  const r = bin(['apply'], { cwd: dir, env: { HOME: dir, ...env } });
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  return dir;
}

function labDown(dir: string): void {
  bin(['lab', 'down'], { cwd: dir });
}

const verify = (dir: string, args: string[] = []) => cli(['verify', '--seed', '7', ...args], { cwd: dir });

/** The table's rows of one check (cells split on kubectl's 3-space padding). */
function rowsOf(stdout: string, check: string): string[][] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith(`${check} `))
    .map((l) => l.trim().split(/\s{3,}/));
}

describe('meshwright verify on the reference lab after apply', () => {
  const kube = kubectlBinary('newest').path;
  let dir: string;
  const k = async (args: string[], input?: string) => {
    const r = await kubectl(kube, join(dir, '.meshwright', 'lab', 'kubeconfig'), join(dir, 'kube-cache'), args, input);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };

  before(() => {
    dir = appliedLab('mw-verify-');
  });
  after(() => {
    labDown(dir);
    rmSync(dir, { recursive: true, force: true });
  });

  it('verifies green without naming the platform (the one apply last converged), each row expected against observed', async () => {
    const r = await verify(dir);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^meshwright verify cilium-lab \(lab: SIMULATED clusters\): all checks pass/);
    // the notebook's numbers, expected from the plan and observed on the clusters
    assert.deepEqual(rowsOf(r.stdout, 'lb-ipam').map((x) => x.slice(1, 6)), [
      ['k8s-cilium-01', 'pool pool-ilba', 'ok', 'disabled false, conflicting False, 0 of 2 IPs available', 'disabled false, conflicting False, 0 IPs available'],
      ['k8s-cilium-01', 'service kube-system/cilium-ingress', 'ok', '172.26.0.101', '172.26.0.101'],
      ['k8s-cilium-01', 'service kube-system/clustermesh-apiserver', 'ok', '172.26.0.102', '172.26.0.102'],
      ['k8s-cilium-02', 'pool pool-ilba', 'ok', 'disabled false, conflicting False, 0 of 2 IPs available', 'disabled false, conflicting False, 0 IPs available'],
      ['k8s-cilium-02', 'service kube-system/cilium-ingress', 'ok', '172.26.0.105', '172.26.0.105'],
      ['k8s-cilium-02', 'service kube-system/clustermesh-apiserver', 'ok', '172.26.0.106', '172.26.0.106'],
    ]);
    assert.deepEqual(rowsOf(r.stdout, 'helm-releases').map((x) => `${x[1]} ${x[5]}`), [
      'k8s-cilium-01 deployed, chart cilium-1.16.5, revision 1',
      'k8s-cilium-01 deployed, chart kubelet-csr-approver-1.1.0, revision 1',
      'k8s-cilium-01 deployed, chart metrics-server-3.12.2, revision 1',
      'k8s-cilium-02 deployed, chart cilium-1.16.5, revision 1',
      'k8s-cilium-02 deployed, chart kubelet-csr-approver-1.1.0, revision 1',
      'k8s-cilium-02 deployed, chart metrics-server-3.12.2, revision 1',
    ]);
    assert.match(r.stdout, /ingress\s+k8s-cilium-01\s+GET http:\/\/172\.26\.0\.101\/ Host: test-ingress\.ilba\.cat\s+ok\s+.*HTTP 200, the Hello page/);
    assert.match(r.stdout, /clustermesh-tls\s+k8s-cilium-02\s+clustermesh-apiserver 172\.26\.0\.106:2379\s+ok\s+.*issued by meshwright mesh CA cilium-lab, verified by the mesh CA/);
    assert.match(r.stdout, /mesh-connected\s+k8s-cilium-01\s+cluster mesh\s+ok\s+all 2 nodes connected to k8s-cilium-02\s+all 2 nodes are connected to all clusters/);
    assert.match(r.stdout, /global-services\s+k8s-cilium-01\s+default\/rebel-base from k8s-cilium-01\s+ok\s+k8s-cilium-01 50%, k8s-cilium-02 50% of 100\s+k8s-cilium-01 \d+, k8s-cilium-02 \d+ \(binomial p/);
    // what the lab does not simulate is said, not faked
    // the lab serves metrics.k8s.io while metrics-server runs (kubectl top works), so the row is green
    assert.match(r.stdout, /metrics-server\s+k8s-cilium-01\s+metrics\.k8s\.io nodes\s+ok\s+every node \(k8s-cilium-01-cp, k8s-cilium-01-wk01\)\s+all 2 nodes/);
  });

  it('-o json validates against the schema `meshwright schema verify` publishes', async () => {
    const schema = JSON.parse((await cli(['schema', 'verify'])).stdout);
    const r = await verify(dir, ['-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as Record<string, any>;
    const ajv = new Ajv2020.default({ allErrors: true, strict: true });
    const validate = ajv.compile(schema);
    assert.ok(validate(JSON.parse(r.stdout)), JSON.stringify(validate.errors));
    assert.equal(report.summary.fail, 0);
    assert.ok(!validate({ ...report, results: [{ ...report.results[0], status: 'maybe' }] }), 'the schema refuses an unknown status');
  });

  it('-o junit validates against the JUnit XSD (xmllint)', async () => {
    const r = await verify(dir, ['-o', 'junit']);
    assert.equal(r.code, 0, r.stderr);
    const file = join(dir, 'verify.xml');
    writeFileSync(file, r.stdout);
    const x = spawnSync('xmllint', ['--noout', '--schema', join(REPO_ROOT, 'test', 'fixtures', 'junit', 'JUnit.xsd'), file], { encoding: 'utf8' });
    assert.equal(x.status, 0, x.stderr);
    assert.match(r.stdout, /<testsuite name="global-services" package="meshwright.verify" id="\d+"/);
    assert.match(r.stdout, /<testcase name="k8s-cilium-01: kubelet serving CSRs" classname="meshwright.verify.metrics-server" time="[\d.]+">\n\s+<skipped>/);
  });

  it('a workload scaled to 0 behind meshwright’s back: the shares fail the binomial test, naming the cluster', async () => {
    await k(['--context', 'k8s-cilium-02', '-n', 'default', 'scale', 'deployment/rebel-base', '--replicas=0']);
    try {
      const r = await verify(dir);
      assert.equal(r.code, 1, r.stdout);
      assert.match(r.stdout, /global-services\s+k8s-cilium-01\s+default\/rebel-base from k8s-cilium-01\s+FAIL\s+k8s-cilium-01 50%, k8s-cilium-02 50% of 100\s+k8s-cilium-01 100, k8s-cilium-02 0; .*k8s-cilium-02 answered 0 of 100, predicted 50% \(binomial p = 1\.6e-30, Holm-adjusted over 2 clusters 3\.2e-30 < 0\.01\)/);
      assert.match(r.stdout, /what to do\n\s+global-services k8s-cilium-01 default\/rebel-base from k8s-cilium-01: compare meshwright plan's backends \(k8s-cilium-01 2, k8s-cilium-02 2\)/);
      // only the traffic check turns red
      assert.deepEqual([...new Set(r.stdout.split('\n').filter((l) => /\sFAIL\s/.test(l)).map((l) => l.split(/\s+/)[0]))], ['global-services']);
    } finally {
      await k(['--context', 'k8s-cilium-02', '-n', 'default', 'scale', 'deployment/rebel-base', '--replicas=2']);
      await k(['--context', 'k8s-cilium-02', '-n', 'default', 'rollout', 'status', 'deployment/rebel-base', '--timeout=30s']);
    }
  });

  it('the L2 announcement policy deleted behind meshwright’s back: nobody announces that cluster’s VIPs, and only that check says so', async () => {
    const policy = await k(['--context', 'k8s-cilium-02', 'get', 'ciliuml2announcementpolicies', '-o', 'yaml']);
    await k(['--context', 'k8s-cilium-02', 'delete', 'ciliuml2announcementpolicies', '--all']);
    try {
      const r = await verify(dir);
      assert.equal(r.code, 1, r.stdout);
      assert.match(r.stdout, /l2-announcement\s+k8s-cilium-02\s+172\.26\.0\.105 \(kube-system\/cilium-ingress\)\s+FAIL\s+.*no lease: no node announces this VIP/);
      assert.match(r.stdout, /l2-announcement\s+k8s-cilium-01\s+172\.26\.0\.101 \(kube-system\/cilium-ingress\)\s+ok/);
      assert.deepEqual([...new Set(r.stdout.split('\n').filter((l) => /\sFAIL\s/.test(l)).map((l) => l.split(/\s+/)[0]))], ['l2-announcement']);
    } finally {
      await k(['--context', 'k8s-cilium-02', 'apply', '-f', '-'], policy);
    }
  });

  it('a deleted EndpointSlice: that cluster’s backends are gone from every client', async () => {
    await k(['--context', 'k8s-cilium-01', '-n', 'default', 'delete', 'endpointslices', '-l', 'kubernetes.io/service-name=rebel-base']);
    try {
      const r = await verify(dir);
      assert.equal(r.code, 1, r.stdout);
      assert.match(r.stdout, /global-services\s+k8s-cilium-02\s+default\/rebel-base from k8s-cilium-02\s+FAIL\s+.*k8s-cilium-01 0, k8s-cilium-02 100; k8s-cilium-01 answered 0 of 100, predicted 50%/);
    } finally {
      // any change of the Service makes the lab's EndpointSlice controller write it again, as kube-controller-manager would
      await k(['--context', 'k8s-cilium-01', '-n', 'default', 'annotate', 'service', 'rebel-base', 'meshwright.test/touch=1', '--overwrite']);
    }
  });

  it('service.cilium.io/shared: "false" in one cluster: the other stops getting its backends', async () => {
    await k(['--context', 'k8s-cilium-01', '-n', 'default', 'annotate', 'service', 'rebel-base', 'service.cilium.io/shared=false', '--overwrite']);
    try {
      const r = await verify(dir);
      assert.equal(r.code, 1, r.stdout);
      assert.match(r.stdout, /global-services\s+k8s-cilium-02\s+default\/rebel-base from k8s-cilium-02\s+FAIL\s+.*k8s-cilium-01 0, k8s-cilium-02 100;/);
      // cluster 1 keeps using both sides (services.rst: shared=false only stops exporting)
      assert.match(r.stdout, /global-services\s+k8s-cilium-01\s+default\/rebel-base from k8s-cilium-01\s+ok\s/);
    } finally {
      await k(['--context', 'k8s-cilium-01', '-n', 'default', 'annotate', 'service', 'rebel-base', 'service.cilium.io/shared-']);
    }
  });

  it('a CiliumNetworkPolicy admitting only x-wing: requests from the other cluster’s nodes time out, and verify says so', async () => {
    const policy = ['apiVersion: cilium.io/v2', 'kind: CiliumNetworkPolicy', 'metadata: {name: rebel-base-from-x-wing, namespace: default}', 'spec:', '  endpointSelector: {matchLabels: {name: rebel-base}}', '  ingress:', '    - fromEndpoints: [{matchLabels: {name: x-wing}}]', ''].join('\n');
    await k(['--context', 'k8s-cilium-01', 'apply', '-f', '-'], policy);
    try {
      const r = await verify(dir);
      assert.equal(r.code, 1, r.stdout);
      assert.match(r.stdout, /global-services\s+k8s-cilium-02\s+default\/rebel-base from k8s-cilium-02\s+FAIL\s+.*k8s-cilium-01 0, k8s-cilium-02 \d+; \d+ failed \(curl: \(28\) Connection timed out after 2000 milliseconds\)/);
    } finally {
      await k(['--context', 'k8s-cilium-01', '-n', 'default', 'delete', 'ciliumnetworkpolicy', 'rebel-base-from-x-wing']);
    }
    const again = await verify(dir);
    assert.equal(again.code, 0, `back to green once the lab is as apply left it:\n${again.stdout}`);
  });

  it('a mesh CA other than the one the clusters’ certificates come from: clustermesh-tls says so', async () => {
    // another CA, made by openssl: the clustermesh-apiservers' certificates do not chain to it
    const other = join(dir, 'other-state');
    mkdirSync(other, { recursive: true });
    const ca = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=another CA', '-days', '1', '-keyout', join(other, 'ca.key'), '-out', join(other, 'ca.crt')], { encoding: 'utf8' });
    assert.equal(ca.status, 0, ca.stderr);
    const r = await verify(dir, ['--state', other]);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stdout, /clustermesh-tls\s+k8s-cilium-01\s+clustermesh-apiserver 172\.26\.0\.102:2379\s+FAIL\s+a server certificate issued by the mesh CA\s+clustermesh-apiserver\.cilium\.io issued by meshwright mesh CA cilium-lab, not the mesh CA \(SELF_SIGNED_CERT_IN_CHAIN\)/);
    assert.deepEqual([...new Set(r.stdout.split('\n').filter((l) => /\sFAIL\s/.test(l)).map((l) => l.split(/\s+/)[0]))], ['clustermesh-tls']);
  });

  it('a cluster that does not answer: exit 3, naming it', async () => {
    labDown(dir);
    const r = await cli(['verify', 'platform.yaml', '--kubeconfig', join(dir, '.meshwright', 'lab', 'kubeconfig')], { cwd: dir });
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.match(r.stderr, /the API server of k8s-cilium-0[12] \(context k8s-cilium-0[12], https:\/\/127\.0\.0\.1:\d+\) does not answer/);
  });
});

describe('meshwright verify on a lab whose backend choice is biased', () => {
  let dir: string;
  before(() => {
    dir = appliedLab('mw-verify-bias-', { [BACKEND_BIAS_ENV]: 'k8s-cilium-01=4' });
  });
  after(() => {
    labDown(dir);
    rmSync(dir, { recursive: true, force: true });
  });

  it('shares of 4:1 fail the binomial test against plan’s 50%; every other check still passes', async () => {
    const r = await verify(dir);
    assert.equal(r.code, 1, r.stdout);
    const failed = r.stdout.split('\n').filter((l) => /\sFAIL\s/.test(l));
    assert.equal(failed.length, 2, r.stdout);
    for (const l of failed) assert.match(l, /^global-services\s+k8s-cilium-0[12]\s+default\/rebel-base from k8s-cilium-0[12]\s+FAIL\s+.*k8s-cilium-01 answered (7\d|8\d|9\d) of 100, predicted 50% \(binomial p = [\d.e-]+, Holm-adjusted over 2 clusters [\d.e-]+ < 0\.01\)/);
  });
});
