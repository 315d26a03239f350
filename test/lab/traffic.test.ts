import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { labHelm, requestCurl, type CurlOutcome, type CurlRequest } from '../../src/lab/index.js';
import { buildPlan, platformObjects } from '../../src/plan/index.js';
import { ciliumSecretValues, ciliumValues, DEFAULT_RENDER_OPTIONS, renderPlatform } from '../../src/render/index.js';
import { kubectl, kubectlBinary, startTestLab, testPki, type TestLab } from '../helpers/lab.js';
import { reconcile } from '../helpers/pki.js';
import { referenceLab } from '../helpers/platforms.js';

const ONE = '{"Galaxy": "Alderaan", "Cluster": "Cluster-1"}\n';
const TWO = '{"Galaxy": "Alderaan", "Cluster": "Cluster-2"}\n';

/**
 * Traffic on the notebook's lab: both clusters installed with meshwright's rendered values, the
 * rendered LB pool, ingress app and clustermesh demo applied with kubectl, the mesh connected by
 * its real handshake; requests go through the lab process as `meshwright lab curl` sends them.
 */
describe('lab curl: requests resolved and answered as Cilium and the backends would', () => {
  const bin = kubectlBinary('newest').path;
  const platform = referenceLab();
  let lab: TestLab;
  let cache: string;
  const k = async (ctx: string, args: string[], input?: string) => {
    const r = await kubectl(bin, lab.kubeconfig, cache, ['--context', ctx, ...args], input);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout;
  };
  const settled = async () => {
    for (let i = 0; i < 3; i++) {
      await Promise.all(lab.lab.clusters.filter((c) => c.running).map((c) => c.controllers.settled()));
      await lab.lab.mesh.settled();
    }
  };
  const curl = async (req: Omit<CurlRequest, 'seed'> & { seed?: number }): Promise<CurlOutcome[]> => {
    const port = lab.lab.clusters.find((c) => c.name === req.cluster)!.port;
    const r = await requestCurl(port, await testPki(), { seed: 1, ...req });
    assert.ok('results' in r, JSON.stringify(r));
    return r.results;
  };

  before(async () => {
    lab = await startTestLab(platform);
    cache = join(mkdtempSync(join(tmpdir(), 'mw-kubectl-')), 'cache');
    const { pki } = await reconcile(platform);
    const files = renderPlatform(platform, pki, DEFAULT_RENDER_OPTIONS);
    for (const c of platform.spec.clusters) {
      const port = lab.lab.clusters.find((x) => x.name === c.name)!.port;
      const values = [ciliumValues(platform, c) as Record<string, any>, ciliumSecretValues(platform, c, pki, { caKeyToChart: false, kubeletInsecureTls: false }) as Record<string, any>];
      await labHelm.upgradeInstall(port, await testPki(), { release: 'cilium', chart: 'cilium', namespace: 'kube-system', values, now: Date.now() });
      for (const f of ['01-lb-ipam.yaml', '02-ingress-app.yaml', '03-global-service-demo.yaml']) await k(c.name, ['apply', '-f', '-'], files.find((x) => x.path === `${c.name}/manifests/${f}`)!.content);
    }
    await settled();
    assert.ok(lab.lab.mesh.linkReady('k8s-cilium-01', 'k8s-cilium-02') && lab.lab.mesh.linkReady('k8s-cilium-02', 'k8s-cilium-01'), 'the mesh is up');
  });
  after(async () => {
    await lab?.stop();
    rmSync(join(cache, '..'), { recursive: true, force: true });
  });

  it("answers the notebook's five-request loop to the rebel-base ClusterIP from each cluster with both clusters' messages", async () => {
    for (const cluster of ['k8s-cilium-01', 'k8s-cilium-02']) {
      const ip = await k(cluster, ['get', 'svc', 'rebel-base', '-o', 'jsonpath={.spec.clusterIP}']);
      assert.match(ip, /^10\.233\.\d+\.\d+$/);
      const out = await curl({ cluster, url: ip, count: 5, seed: 7 });
      assert.equal(out.length, 5);
      for (const r of out) {
        assert.equal(r.exitCode, 0);
        assert.ok(r.stdout === ONE || r.stdout === TWO, r.stdout);
      }
      assert.deepEqual(new Set(out.map((r) => r.stdout)), new Set([ONE, TWO]), `${cluster}: both clusters answer`);
      // each answer names the cluster of the pod that sent it
      for (const r of out) assert.equal(r.stdout === ONE ? 'k8s-cilium-01' : 'k8s-cilium-02', r.backend?.cluster);
    }
  });

  it('is reproducible for a seed and picks at random, not round-robin', async () => {
    const a = await curl({ cluster: 'k8s-cilium-01', url: 'http://rebel-base/', count: 40, seed: 42 });
    const b = await curl({ cluster: 'k8s-cilium-01', url: 'http://rebel-base/', count: 40, seed: 42 });
    assert.deepEqual(a.map((r) => r.backend?.pod), b.map((r) => r.backend?.pod));
    // round-robin over four backends would never send two requests in a row to one pod
    const repeats = a.filter((r, i) => i > 0 && r.backend?.pod === a[i - 1]!.backend?.pod).length;
    assert.ok(repeats > 0, 'some consecutive requests reach the same pod');
  });

  it("answers through the Cilium Ingress' VIP with the Hello Kubernetes page when the Host header matches a rule", async () => {
    const vip = await k('k8s-cilium-01', ['get', 'ingress', '-n', 'test-ingress', 'app-ilba-ingress', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}']);
    assert.equal(vip, '172.26.0.101');
    const [page] = await curl({ cluster: 'k8s-cilium-01', url: `http://${vip}/`, headers: ['Host: test-ingress.ilba.cat'] });
    assert.equal(page!.exitCode, 0);
    // paulbouwer/hello-kubernetes v1.10.1 views/layouts/main.handlebars and views/home.handlebars
    assert.match(page!.stdout, /^<!DOCTYPE html>\n<html>\n<head>\n    <title>Hello Kubernetes!<\/title>\n/);
    assert.match(page!.stdout, /<th>namespace:<\/th>\n      <td>test-ingress<\/td>/);
    assert.match(page!.stdout, new RegExp(`<th>pod:</th>\\n      <td>${page!.backend!.pod}</td>`));
    assert.match(page!.backend!.pod, /^app-ilba-deployment-[a-z0-9]+-[a-z0-9]{5}$/);
    assert.match(page!.stdout, /paulbouwer\/hello-kubernetes:1\.10\.1 \(linux\/amd64\)/);
    // no rule for another host: Envoy's 404 with an empty body, curl exits 0
    const [other] = await curl({ cluster: 'k8s-cilium-01', url: `http://${vip}/`, headers: ['Host: elsewhere.example'] });
    assert.deepEqual([other!.exitCode, other!.stdout, other!.httpStatus], [0, '', 404]);
  });

  it('says what curl says for a name nobody serves', async () => {
    const [r] = await curl({ cluster: 'k8s-cilium-01', url: 'http://no-such-service.default.svc.cluster.local/' });
    assert.deepEqual([r!.exitCode, r!.stderr], [6, 'curl: (6) Could not resolve host: no-such-service.default.svc.cluster.local\n']);
  });

  /**
   * Each request picks one of the reachable ready backends independently with equal weight, so
   * the count answered by a cluster with predicted share p over n requests is Binomial(n, p):
   * mean n·p, standard deviation √(n·p·(1−p)). The bound is 4 standard deviations (a false
   * failure about once in 15,000 runs for a fresh seed; the seed is fixed, so never).
   */
  const withinShares = (out: CurlOutcome[], share: Record<string, number>) => {
    const n = out.length;
    for (const [cluster, p] of Object.entries(share)) {
      const got = out.filter((r) => r.backend?.cluster === cluster).length;
      const bound = 4 * Math.sqrt(n * p * (1 - p));
      assert.ok(Math.abs(got - n * p) <= bound, `${cluster}: ${got} of ${n}, plan predicts ${(p * n).toFixed(1)} ± ${bound.toFixed(1)}`);
    }
    assert.equal(out.filter((r) => !share[r.backend!.cluster]).length, 0, 'no answer from a cluster the plan gives no share');
  };
  const predicted = (overrides: Parameters<typeof buildPlan>[0]['overrides'] = []) => {
    const plan = buildPlan({ platform, objects: platformObjects(platform), overrides });
    return plan.globalServices.find((g) => g.client === 'k8s-cilium-01' && g.namespace === 'default' && g.name === 'rebel-base')!.share;
  };

  it("shares 2,000 seeded requests between the clusters as plan predicts (2 + 2 backends: half each)", async () => {
    const share = predicted();
    assert.deepEqual(share, { 'k8s-cilium-01': 0.5, 'k8s-cilium-02': 0.5 });
    withinShares(await curl({ cluster: 'k8s-cilium-01', url: 'http://rebel-base.default.svc.cluster.local/', count: 2000, seed: 2024 }), share);
  });

  it('shares them as plan predicts with one local backend left (plan --ready k8s-cilium-01/default/rebel-base=1: a third local)', async () => {
    await k('k8s-cilium-01', ['scale', 'deployment/rebel-base', '--replicas=1']);
    await settled();
    const share = predicted([{ cluster: 'k8s-cilium-01', service: { namespace: 'default', name: 'rebel-base' }, ready: 1 }]);
    assert.ok(Math.abs(share['k8s-cilium-01']! - 1 / 3) < 1e-9);
    withinShares(await curl({ cluster: 'k8s-cilium-01', url: 'http://rebel-base/', count: 2000, seed: 99 }), share);
    await k('k8s-cilium-01', ['scale', 'deployment/rebel-base', '--replicas=2']);
    await settled();
  });

  it("times out like curl when the policy engine denies the request, and answers when it allows", async () => {
    await k('k8s-cilium-01', ['apply', '-f', '-'], readFileSync('test/fixtures/policy/mesh/rebel-base-from-local-x-wing.yaml', 'utf8'));
    const xwing = async (ctx: string) => (await k(ctx, ['get', 'pods', '-l', 'name=x-wing', '-o', 'jsonpath={.items[0].metadata.name}'])).trim();
    const target = (await k('k8s-cilium-01', ['get', 'pods', '-l', 'name=rebel-base', '-o', 'jsonpath={.items[0].status.podIP}'])).trim();
    // x-wing of cluster 2 is not allowed by the policy of cluster 1 (io.cilium.k8s.policy.cluster: k8s-cilium-01)
    const [denied] = await curl({ cluster: 'k8s-cilium-02', from: `default/${await xwing('k8s-cilium-02')}`, url: `http://${target}/` });
    assert.deepEqual([denied!.exitCode, denied!.stdout], [28, '']);
    assert.match(denied!.stderr, new RegExp(`^curl: \\(28\\) Failed to connect to ${target.replace(/\./g, '\\.')} port 80 after \\d+ ms: Connection timed out\\n$`));
    const [quick] = await curl({ cluster: 'k8s-cilium-02', from: `default/${await xwing('k8s-cilium-02')}`, url: `http://${target}/`, connectTimeout: 2 });
    assert.deepEqual([quick!.exitCode, quick!.stderr], [28, 'curl: (28) Connection timed out after 2000 milliseconds\n']);
    const [allowed] = await curl({ cluster: 'k8s-cilium-01', from: `default/${await xwing('k8s-cilium-01')}`, url: `http://${target}/` });
    assert.deepEqual([allowed!.exitCode, allowed!.stdout], [0, ONE]);
    await k('k8s-cilium-01', ['delete', 'ciliumnetworkpolicy', 'rebel-base-from-local-x-wing']);
  });

  it("keeps the other cluster's local service answering when a cluster stops", async () => {
    await lab.lab.stopCluster('k8s-cilium-02');
    await settled();
    const out = await curl({ cluster: 'k8s-cilium-01', url: 'http://rebel-base/', count: 20, seed: 3 });
    assert.deepEqual(out.map((r) => [r.exitCode, r.stdout]), Array.from({ length: 20 }, () => [0, ONE]));
  });
});
