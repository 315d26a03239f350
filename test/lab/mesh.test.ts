import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { labHelm } from '../../src/lab/index.js';
import type { MeshPki } from '../../src/pki/index.js';
import { ciliumSecretValues, ciliumValues, DEFAULT_RENDER_OPTIONS, renderPlatform } from '../../src/render/index.js';
import { kubectl, kubectlBinary, startTestLab, testPki, type TestLab } from '../helpers/lab.js';
import { reconcile } from '../helpers/pki.js';
import { referenceLab } from '../helpers/platforms.js';
import { checkModel } from './swagger-models.js';

const OPTIONS = { caKeyToChart: false, kubeletInsecureTls: false };

/**
 * The notebook's mesh on the lab: both clusters installed with meshwright's rendered values and
 * secret values, the LB pools applied; KVStoreMesh of each dials the other's
 * clustermesh-apiserver VIP (mapped to a loopback TLS endpoint) and a real handshake decides.
 */
describe('the mesh on the lab: mutual TLS between clustermesh-apiservers', () => {
  const bin = kubectlBinary('newest').path;
  const platform = referenceLab();
  let lab: TestLab;
  let cache: string;
  const k = (ctx: string, args: string[], input?: string) => kubectl(bin, lab.kubeconfig, cache, ['--context', ctx, ...args], input);
  const settled = async () => {
    for (let i = 0; i < 3; i++) {
      await Promise.all(lab.lab.clusters.filter((c) => c.running).map((c) => c.controllers.settled()));
      await lab.lab.mesh.settled();
    }
  };
  const install = async (cluster: string, pki: MeshPki) => {
    const c = platform.spec.clusters.find((x) => x.name === cluster)!;
    const port = lab.lab.clusters.find((x) => x.name === cluster)!.port;
    await labHelm.upgradeInstall(port, await testPki(), { release: 'cilium', chart: 'cilium', namespace: 'kube-system', values: [ciliumValues(platform, c) as Record<string, any>, ciliumSecretValues(platform, c, pki, OPTIONS) as Record<string, any>], now: Date.now() });
  };
  const podOf = async (ctx: string, prefix: RegExp) => (await k(ctx, ['get', 'pods', '-n', 'kube-system', '-o', 'name'])).stdout.split('\n').map((p) => p.replace('pod/', '')).find((p) => prefix.test(p))!;
  const kvstoremesh = async (ctx: string) => {
    const r = await k(ctx, ['exec', '-n', 'kube-system', await podOf(ctx, /^clustermesh-apiserver-/), '-c', 'kvstoremesh', '--', '/usr/bin/clustermesh-apiserver', 'kvstoremesh-dbg', 'status', '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const list = JSON.parse(r.stdout);
    list.forEach((x: unknown) => assert.deepEqual(checkModel(x, 'RemoteCluster'), []));
    return list;
  };
  const agentText = async (ctx: string) => (await k(ctx, ['exec', '-n', 'kube-system', await podOf(ctx, /^cilium-[a-z0-9]{5}$/), '-c', 'cilium-agent', '--', 'cilium-dbg', 'status'])).stdout;

  before(async () => {
    lab = await startTestLab(platform);
    cache = join(mkdtempSync(join(tmpdir(), 'mw-kubectl-')), 'cache');
    const { pki } = await reconcile(platform);
    const files = renderPlatform(platform, pki, DEFAULT_RENDER_OPTIONS);
    for (const c of platform.spec.clusters) {
      await install(c.name, pki);
      const pool = files.find((f) => f.path === `${c.name}/manifests/01-lb-ipam.yaml`)!.content;
      const r = await k(c.name, ['apply', '-f', '-'], pool);
      assert.equal(r.code, 0, r.stderr);
    }
    await settled();
  });
  after(async () => {
    await lab?.stop();
    rmSync(join(cache, '..'), { recursive: true, force: true });
  });

  it('connects both ways when both clusters’ certificates come from the one mesh CA', async () => {
    const one = await kvstoremesh('k8s-cilium-01');
    assert.deepEqual(one.map((c: any) => [c.name, c.ready, c.connected]), [['k8s-cilium-02', true, true]]);
    assert.equal(one[0].config['cluster-id'], 2);
    assert.match(one[0].status, /^etcd: 1\/1 connected, .*https:\/\/k8s-cilium-02\.mesh\.cilium\.io:2379/);
    const two = await kvstoremesh('k8s-cilium-02');
    assert.deepEqual(two.map((c: any) => [c.name, c.ready]), [['k8s-cilium-01', true]]);
    assert.match(await agentText('k8s-cilium-01'), /^ClusterMesh: +1\/1 remote clusters ready, \d+ global-services$/m);
  });

  it('counts as global services what the remote clusters share, not the cluster’s own (num-global-services)', async () => {
    const globals = async (ctx: string) => Number(/ClusterMesh: .*, (\d+) global-services$/m.exec(await agentText(ctx))?.[1]);
    const before = [await globals('k8s-cilium-01'), await globals('k8s-cilium-02')];
    const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: only-in-one\n  namespace: default\n  annotations:\n    service.cilium.io/global: "true"\n    service.cilium.io/shared: "true"\nspec:\n  ports:\n  - port: 80\n';
    assert.equal((await k('k8s-cilium-01', ['apply', '-f', '-'], svc)).code, 0);
    await settled();
    try {
      // cilium pkg/clustermesh: Status() reports globalServices.size(), a cache services.go fills from remote clusters only
      assert.equal(await globals('k8s-cilium-01'), before[0], 'its own global service does not count in k8s-cilium-01');
      assert.equal(await globals('k8s-cilium-02'), before[1]! + 1, 'k8s-cilium-02 sees the one k8s-cilium-01 shares');
    } finally {
      await k('k8s-cilium-01', ['delete', 'service', 'only-in-one', '-n', 'default']);
      await settled();
    }
  });

  // One scenario in two steps: the link taken down by another CA is the one that reconnects (run
  // alone, the second step would find it connected already and prove nothing).
  it('another CA takes the link down, and one CA again brings it back', async (t) => {
    await t.test('keeps the link down when the other cluster’s certificates come from another CA, and says why', async () => {
      const other = await reconcile(platform);
      await install('k8s-cilium-02', other.pki);
      await settled();
      const one = await kvstoremesh('k8s-cilium-01');
      assert.equal(one[0].ready, undefined, 'ready is false (omitempty)');
      assert.match(one[0].status, /x509: certificate signed by unknown authority/);
      assert.ok(one[0]['num-failures'] >= 1);
      const text = await agentText('k8s-cilium-01');
      assert.match(text, /^ClusterMesh: +0\/1 remote clusters ready/m);
      assert.match(text, /k8s-cilium-02: not-ready/);
      // the other side fails too: its client certificate is not from cluster 1's CA, nor is cluster 1's server certificate trusted
      const two = await kvstoremesh('k8s-cilium-02');
      assert.equal(two[0].ready, undefined);
    });

    await t.test('reconnects when the CA is the same again, and a stopped cluster takes its link down with it', async () => {
      const { pki } = await reconcile(platform);
      await install('k8s-cilium-01', pki);
      await install('k8s-cilium-02', pki);
      await settled();
      assert.equal((await kvstoremesh('k8s-cilium-01'))[0].ready, true);
      await lab.lab.stopCluster('k8s-cilium-02');
      await settled();
      const one = await kvstoremesh('k8s-cilium-01');
      assert.equal(one[0].ready, undefined);
      assert.match(one[0].status, /connection refused/);
    });
  });
});
