import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { labHelm } from '../../src/lab/index.js';
import type { FlowRecord } from '../../src/observe/index.js';
import { ciliumSecretValues, ciliumValues, DEFAULT_RENDER_OPTIONS, renderPlatform } from '../../src/render/index.js';
import { cli } from '../helpers/cli.js';
import { TEST_ROOT } from '../helpers/golden.js';
import { kubectl, kubectlBinary, startTestLab, testPki, until, type TestLab } from '../helpers/lab.js';
import { reconcile } from '../helpers/pki.js';
import { referenceLab } from '../helpers/platforms.js';

const FIXTURE = join(TEST_ROOT, 'fixtures', 'observe', 'lab-flows.jsonl');
const OPTIONS = { caKeyToChart: false, kubeletInsecureTls: false };

/**
 * Cross-cluster Hubble: a cluster's relay serves the flows of the clusters its mesh link is ready
 * to (the relay reaches their Hubble servers under the shared CA), and only its own when the peer
 * presents a certificate of another CA (cilium-mesh.md §1.7: "cross-cluster Hubble does not
 * operate" in the degraded mode).
 */
describe('observe: a relay in a connected mesh sees the remote cluster, not after a CA mismatch', () => {
  const platform = referenceLab();
  let lab: TestLab;
  let cache: string;
  const uuids = async (relay: string) => {
    const r = await cli(['observe', '--server', relay, '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.trim().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as FlowRecord).flow.uuid!.slice(-2));
  };
  const relayOf = (name: string) => lab.lab.clusters.find((c) => c.name === name)!.observer!.address;

  before(async () => {
    lab = await startTestLab(platform);
    for (const line of readFileSync(FIXTURE, 'utf8').trim().split('\n')) lab.lab.flows.record(JSON.parse(line) as FlowRecord);
    cache = join(mkdtempSync(join(tmpdir(), 'mw-kubectl-')), 'cache');
    const { pki } = await reconcile(platform);
    const files = renderPlatform(platform, pki, DEFAULT_RENDER_OPTIONS);
    for (const c of platform.spec.clusters) {
      const port = lab.lab.clusters.find((x) => x.name === c.name)!.port;
      await labHelm.upgradeInstall(port, await testPki(), { release: 'cilium', chart: 'cilium', namespace: 'kube-system', values: [ciliumValues(platform, c) as Record<string, unknown>, ciliumSecretValues(platform, c, pki, OPTIONS) as Record<string, unknown>], now: Date.now() });
      // the clustermesh-apiserver's VIP comes from the LB IPAM pool (as in test/lab/mesh.test.ts)
      const pool = files.find((f) => f.path === `${c.name}/manifests/01-lb-ipam.yaml`)!.content;
      const r = await kubectl(kubectlBinary('newest').path, lab.kubeconfig, cache, ['--context', c.name, 'apply', '-f', '-'], pool);
      assert.equal(r.code, 0, r.stderr);
    }
    await until(async () => {
      await Promise.all(lab.lab.clusters.map((c) => c.controllers.settled()));
      await lab.lab.mesh.settled();
      return lab.lab.mesh.linkReady('k8s-cilium-01', 'k8s-cilium-02') && lab.lab.mesh.linkReady('k8s-cilium-02', 'k8s-cilium-01');
    }, 30_000, 'the mesh links');
  });
  after(async () => {
    await lab?.stop();
    if (cache) rmSync(join(cache, '..'), { recursive: true, force: true });
  });

  it('connected under one CA: each relay serves both clusters, merged by time', async () => {
    assert.deepEqual(await uuids(relayOf('k8s-cilium-01')), ['01', '02', '03', '04', '05', '06', '07']);
    assert.deepEqual(await uuids(relayOf('k8s-cilium-02')), ['01', '02', '03', '04', '05', '06', '07']);
  });

  it('a foreign CA on k8s-cilium-02: each relay is back to its own cluster', async () => {
    await lab.lab.faults.inject('k8s-cilium-02', { kind: 'foreign-ca' });
    await until(async () => {
      await Promise.all(lab.lab.clusters.map((c) => c.controllers.settled()));
      await lab.lab.mesh.settled();
      return !lab.lab.mesh.linkReady('k8s-cilium-01', 'k8s-cilium-02');
    }, 30_000, 'the link to break');
    assert.deepEqual(await uuids(relayOf('k8s-cilium-01')), ['01', '02', '03', '05', '06']);
    assert.deepEqual(await uuids(relayOf('k8s-cilium-02')), ['04', '07']);
  });
});
