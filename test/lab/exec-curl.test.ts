import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { labHelm, requestCurl } from '../../src/lab/index.js';
import { ciliumSecretValues, ciliumValues, DEFAULT_RENDER_OPTIONS, renderPlatform } from '../../src/render/index.js';
import { kubectl, kubectlBinary, startTestLab, testPki, type TestLab } from '../helpers/lab.js';
import { reconcile } from '../helpers/pki.js';
import { referenceLab } from '../helpers/platforms.js';

// the upstream clustermesh example's answers (examples/kubernetes/clustermesh/cluster{1,2}.yaml)
const ONE = '{"Galaxy": "Alderaan", "Cluster": "Cluster-1"}\n';
const TWO = '{"Galaxy": "Alderaan", "Cluster": "Cluster-2"}\n';

/**
 * `kubectl exec POD -- curl …` on the reference lab: the lab answers curl in any running pod, from
 * that pod, as `meshwright lab curl --from NS/POD` answers (verify's probe pods rely on it).
 */
describe('kubectl exec … -- curl in a lab pod', () => {
  const bin = kubectlBinary('newest').path;
  const platform = referenceLab();
  let lab: TestLab;
  let cache: string;
  let xwing: string;
  let hello: string;
  const k = (ctx: string, args: string[], input?: string) => kubectl(bin, lab.kubeconfig, cache, ['--context', ctx, ...args], input);
  const ok = async (ctx: string, args: string[], input?: string) => {
    const r = await k(ctx, args, input);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout;
  };
  const exec = (pod: string, command: string[], ns = 'default') => k('k8s-cilium-01', ['exec', '-n', ns, pod, '--', ...command]);

  before(async () => {
    lab = await startTestLab(platform);
    cache = join(mkdtempSync(join(tmpdir(), 'mw-kubectl-')), 'cache');
    const { pki } = await reconcile(platform);
    const files = renderPlatform(platform, pki, DEFAULT_RENDER_OPTIONS);
    for (const c of platform.spec.clusters) {
      const port = lab.lab.clusters.find((x) => x.name === c.name)!.port;
      const values = [ciliumValues(platform, c) as Record<string, any>, ciliumSecretValues(platform, c, pki, { caKeyToChart: false, kubeletInsecureTls: false }) as Record<string, any>];
      await labHelm.upgradeInstall(port, await testPki(), { release: 'cilium', chart: 'cilium', namespace: 'kube-system', values, now: Date.now() });
      for (const f of ['01-lb-ipam.yaml', '02-ingress-app.yaml', '03-global-service-demo.yaml']) await ok(c.name, ['apply', '-f', '-'], files.find((x) => x.path === `${c.name}/manifests/${f}`)!.content);
    }
    for (let i = 0; i < 3; i++) {
      await Promise.all(lab.lab.clusters.map((c) => c.controllers.settled()));
      await lab.lab.mesh.settled();
    }
    xwing = (await ok('k8s-cilium-01', ['get', 'pods', '-n', 'default', '-l', 'name=x-wing', '-o', 'jsonpath={.items[0].metadata.name}'])).trim();
    hello = (await ok('k8s-cilium-01', ['get', 'pods', '-n', 'test-ingress', '-o', 'jsonpath={.items[0].metadata.name}'])).trim();
    assert.ok(xwing && hello, 'x-wing and the hello app run');
  });
  after(async () => {
    await lab?.stop();
    rmSync(join(cache, '..'), { recursive: true, force: true });
  });

  it("gives curl's output and exit code: -s -o /dev/null -w '%{http_code}' prints 200", async () => {
    const r = await exec(xwing, ['curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', 'http://rebel-base/']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '200');
  });

  it('several URLs are several transfers, each with its -w line, from both clusters of the global service', async () => {
    const r = await exec(xwing, ['curl', '-sS', '-w', '|%{http_code} %{exitcode}|\\n', ...Array.from({ length: 20 }, () => 'http://rebel-base.default:80/')]);
    assert.equal(r.code, 0, r.stderr);
    const answers = r.stdout.split('|200 0|\n');
    assert.equal(answers.length, 21, r.stdout);
    assert.equal(answers.pop(), '');
    for (const a of answers) assert.ok(a === ONE || a === TWO, a);
    assert.deepEqual(new Set(answers), new Set([ONE, TWO]));
  });

  it('an unknown host: exit 6 and curl’s message, as lab curl --from says it', async () => {
    const r = await exec(xwing, ['curl', '-sS', 'http://no-such-service/']);
    assert.equal(r.code, 6);
    assert.equal(r.stderr.split('\n')[0], 'curl: (6) Could not resolve host: no-such-service');
    // -s alone: the message is not shown (curl(1) --silent), the code is
    const quiet = await exec(xwing, ['curl', '-s', 'http://no-such-service/']);
    assert.equal(quiet.code, 6);
    assert.doesNotMatch(quiet.stderr, /Could not resolve/);
  });

  it('a request a CiliumNetworkPolicy denies: exit 28 after --max-time, the same answer lab curl --from gives', async () => {
    const policy = ['apiVersion: cilium.io/v2', 'kind: CiliumNetworkPolicy', 'metadata: {name: rebel-base-from-x-wing, namespace: default}', 'spec:', '  endpointSelector: {matchLabels: {name: rebel-base}}', '  ingress:', '    - fromEndpoints: [{matchLabels: {name: x-wing}}]', ''].join('\n');
    await ok('k8s-cilium-01', ['apply', '-f', '-'], policy);
    await ok('k8s-cilium-02', ['apply', '-f', '-'], policy);
    try {
      await Promise.all(lab.lab.clusters.map((c) => c.controllers.settled()));
      const denied = await exec(hello, ['curl', '-sS', '--max-time', '2', '-w', '%{http_code}', 'http://rebel-base.default/'], 'test-ingress');
      assert.equal(denied.code, 28);
      assert.equal(denied.stdout, '000');
      assert.equal(denied.stderr.split('\n')[0], 'curl: (28) Connection timed out after 2000 milliseconds');
      const viaLab = await requestCurl(lab.lab.clusters[0]!.port, await testPki(), { cluster: 'k8s-cilium-01', url: 'http://rebel-base.default/', from: `test-ingress/${hello}`, seed: 1, connectTimeout: 2 });
      assert.ok('results' in viaLab);
      assert.equal(viaLab.results[0]!.exitCode, 28);
      assert.equal(viaLab.results[0]!.stderr, `${denied.stderr.split('\n')[0]}\n`);
      // x-wing is admitted: the same request from its pod is answered
      const allowed = await exec(xwing, ['curl', '-sS', '--max-time', '2', 'http://rebel-base.default/']);
      assert.equal(allowed.code, 0, allowed.stderr);
    } finally {
      await ok('k8s-cilium-01', ['delete', '-n', 'default', 'ciliumnetworkpolicy', 'rebel-base-from-x-wing']);
      await ok('k8s-cilium-02', ['delete', '-n', 'default', 'ciliumnetworkpolicy', 'rebel-base-from-x-wing']);
    }
  });

  it('with several URLs the exit code is the last transfer’s (curl(1) --fail-early), each transfer’s in %{exitcode}', async () => {
    const r = await exec(xwing, ['curl', '-s', '-o', '/dev/null', '-o', '/dev/null', '-w', '%{exitcode};', 'http://no-such-service/', 'http://rebel-base/']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '6;0;');
    const last = await exec(xwing, ['curl', '-s', '-o', '/dev/null', '-o', '/dev/null', '-w', '%{exitcode};', 'http://rebel-base/', 'http://no-such-service/']);
    assert.equal(last.code, 6);
  });

  it('the Host header reaches the ingress: the Hello page through the ingress VIP', async () => {
    const r = await exec(xwing, ['curl', '-sS', '-H', 'Host: test-ingress.ilba.cat', 'http://172.26.0.101/']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /<title>Hello Kubernetes!<\/title>/);
  });

  it('an option the lab does not know: curl’s usage error, exit 2', async () => {
    const r = await exec(xwing, ['curl', '--no-such-option', 'http://rebel-base/']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^curl: option --no-such-option: is unknown/);
  });
});
