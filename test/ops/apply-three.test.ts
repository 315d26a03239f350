import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/golden.js';
import { kubectl, kubectlBinary, rows } from '../helpers/lab.js';

const CLUSTERS = ['eu-west', 'eu-central', 'us-east'];
/** cluster → its ID, as the fixture gives them (rebel-base answers "Cluster-<id>"). */
const IDS: Record<string, number> = { 'eu-west': 10, 'eu-central': 11, 'us-east': 20 };

const cli = (dir: string, args: string[]) =>
  spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli', 'main.js'), ...args], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir, NO_COLOR: '1' }, encoding: 'utf8', timeout: 180_000 });

/**
 * Issue 15: a platform of three clusters (test/fixtures/platforms-valid/three-clusters.yaml: three
 * sites, WireGuard, Hubble Relay, dedicated ingress, a three-node control plane) applied on the lab
 * in one command. Read back with the real kubectl: every agent reports both other clusters ready
 * and connected (`cilium-dbg status -o json`, Cilium's models.ClusterMeshStatus), and the global
 * rebel-base Service answers from all three clusters.
 */
describe('apply on the lab: three clusters, every one meshed with both others', () => {
  const bin = kubectlBinary('newest').path;
  let dir: string;
  const k = (args: string[]) => kubectl(bin, join(dir, '.meshwright', 'lab', 'kubeconfig'), join(dir, 'kube-cache'), args);

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mw-apply-three-'));
    copyFileSync(join(REPO_ROOT, 'test', 'fixtures', 'platforms-valid', 'three-clusters.yaml'), join(dir, 'platform.yaml'));
  });
  after(() => {
    cli(dir, ['lab', 'down']);
    rmSync(dir, { recursive: true, force: true });
  });

  it('converges in one command; every agent has both other clusters ready and connected; rebel-base answers from all three', async () => {
    const r = cli(dir, ['apply']);
    assert.equal(r.status, 0, `${r.stderr}\n${r.stdout}`);
    assert.match(r.stdout, /the platform is converged/);
    for (const cluster of CLUSTERS) {
      const nodes = rows((await k(['--context', cluster, 'get', 'nodes'])).stdout).slice(1);
      assert.ok(nodes.length > 0 && nodes.every((n) => n[1] === 'Ready'), `${cluster}: every node Ready`);
      const pods = rows((await k(['--context', cluster, 'get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=cilium', '-o', 'wide'])).stdout).slice(1);
      assert.equal(pods.length, nodes.length, `${cluster}: one agent per node`);
      for (const pod of pods) {
        const x = await k(['--context', cluster, 'exec', '-n', 'kube-system', pod[0]!, '-c', 'cilium-agent', '--', 'cilium-dbg', 'status', '-o', 'json']);
        assert.equal(x.code, 0, x.stderr);
        const mesh = JSON.parse(x.stdout)['cluster-mesh'] as { clusters: Array<{ name: string; ready: boolean; connected: boolean }> };
        const peers = CLUSTERS.filter((c) => c !== cluster);
        assert.deepEqual(
          mesh.clusters.map((c) => [c.name, c.ready, c.connected]).sort(),
          peers.map((p) => [p, true, true]).sort(),
          `${cluster}/${pod[0]} on ${pod[6]}: both other clusters ready and connected`,
        );
      }
    }
    // the notebook's curl loop, longer: three clusters' backends behind the one global Service
    for (const from of CLUSTERS) {
      const c = cli(dir, ['lab', 'curl', '--context', from, '-n', '40', '--seed', '3', 'http://rebel-base.default.svc.cluster.local/']);
      assert.equal(c.status, 0, c.stderr);
      const answered = new Set([...c.stdout.matchAll(/"Cluster": "Cluster-(\d+)"/g)].map((m) => Number(m[1])));
      assert.deepEqual([...answered].sort((a, b) => a - b), Object.values(IDS).sort((a, b) => a - b), `from ${from}: rebel-base of all three clusters answers`);
    }
    const again = cli(dir, ['apply']);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /nothing changed/);
  });
});
