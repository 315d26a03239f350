import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { load } from 'js-yaml';
import { labHelm } from '../../src/lab/index.js';
import { TEST_ROOT } from '../helpers/golden.js';
import { kubectl, kubectlBinary, startTestLab, testPki, type TestLab } from '../helpers/lab.js';
import { referenceLab } from '../helpers/platforms.js';
import { checkModel } from './swagger-models.js';

const RENDERED = join(TEST_ROOT, 'golden', 'render', 'reference-lab', 'k8s-cilium-01');

/** `kubectl exec` into the lab's Cilium pods, as meshwright's status and cilium-cli's clustermesh status do. */
describe('kubectl exec on the lab (WebSocket v5.channel.k8s.io)', () => {
  const newest = kubectlBinary('newest').path;
  let lab: TestLab;
  let cache: string;
  let agent: string;
  let apiserver: string;
  const k = (args: string[], bin = newest) => kubectl(bin, lab.kubeconfig, cache, ['--context', 'k8s-cilium-01', ...args]);
  const exec = (pod: string, container: string, command: string[], bin = newest) => k(['exec', '-n', 'kube-system', pod, '-c', container, '--', ...command], bin);

  before(async () => {
    lab = await startTestLab(referenceLab());
    cache = join(mkdtempSync(join(tmpdir(), 'mw-kubectl-')), 'cache');
    const values = load(readFileSync(join(RENDERED, 'helm', 'cilium-values.yaml'), 'utf8')) as Record<string, unknown>;
    await labHelm.upgradeInstall(lab.lab.clusters[0]!.port, await testPki(), { release: 'cilium', chart: 'cilium', namespace: 'kube-system', values: [values], now: Date.now() });
    await Promise.all(lab.lab.clusters.map((c) => c.controllers.settled()));
    const pods = (await k(['get', 'pods', '-n', 'kube-system', '-o', 'name'])).stdout.trim().split('\n').map((p) => p.replace('pod/', ''));
    agent = pods.find((p) => /^cilium-[a-z0-9]{5}$/.test(p))!;
    apiserver = pods.find((p) => p.startsWith('clustermesh-apiserver-'))!;
    assert.ok(agent && apiserver, `agent and clustermesh-apiserver pods in ${pods.join(' ')}`);
  });
  after(async () => {
    await lab?.stop();
    rmSync(join(cache, '..'), { recursive: true, force: true });
  });

  it('answers `cilium-dbg status -o json` (and `cilium status -o json`) with a StatusResponse valid against Cilium’s models', async () => {
    for (const bin of ['cilium-dbg', 'cilium']) {
      const r = await exec(agent, 'cilium-agent', [bin, 'status', '-o', 'json']);
      assert.equal(r.code, 0, r.stderr);
      const sr = JSON.parse(r.stdout);
      assert.deepEqual(checkModel(sr, 'StatusResponse'), []);
      assert.equal(sr.cilium.state, 'Ok');
      // rendered values: kubeProxyReplacement true, tunnel vxlan, cluster id 1 → identities 65536…131071 (cluster-id << 16)
      assert.equal(sr['kube-proxy-replacement'].mode, 'True');
      assert.deepEqual(sr.routing['inter-host-routing-mode'], 'Tunnel');
      assert.equal(sr.routing['tunnel-protocol'], 'vxlan');
      assert.deepEqual([sr['identity-range']['min-identity'], sr['identity-range']['max-identity']], [65536, 131071]);
      assert.ok(Array.isArray(sr['cluster-mesh'].clusters), 'cluster-mesh.clusters is listed (cilium-cli reads it)');
      assert.match(sr.ipam.status, /^IPv4: \d+\/254 allocated from 10\.1\.\d+\.0\/24, $/);
    }
  });

  it('prints `cilium-dbg status` as cilium-dbg’s tabwriter does, with more under --verbose', async () => {
    const r = await exec(agent, 'cilium-agent', ['cilium-dbg', 'status']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    // FormatStatusResponse order; cells padded to the widest label of the block plus 3 spaces
    assert.match(lines[0]!, /^KVStore: +Disabled {3}$/);
    // one tabwriter block: every label's value starts in the same column, 3 past the widest label
    const block = lines.slice(0, lines.findIndex((l) => !l.includes(':  ')));
    const starts = new Set(block.map((l) => l.search(/:\s+\S/) + l.slice(l.indexOf(':') + 1).search(/\S/) + 1));
    assert.equal(starts.size, 1, block.join('\n'));
    assert.equal([...starts][0], Math.max(...block.map((l) => l.indexOf(':') + 1)) + 3);
    assert.match(r.stdout, /^KubeProxyReplacement: +True {3}\[eth0 172\.26\.0\.\d+ \(Direct Routing\)\]$/m);
    assert.match(r.stdout, /^ClusterMesh: +\d+\/\d+ remote clusters ready, \d+ global-services$/m);
    assert.match(r.stdout, /^Routing: +Network: Tunnel \[vxlan\] {3}Host: Legacy$/m);
    assert.match(r.stdout, /^Cluster health: +2\/2 reachable/m);
    assert.doesNotMatch(r.stdout, /KubeProxyReplacement Details/);
    const v = await exec(agent, 'cilium-agent', ['cilium-dbg', 'status', '--verbose']);
    assert.match(v.stdout, /^KubeProxyReplacement Details:\n {2}Status: +True$/m);
    assert.match(v.stdout, /^Allocated addresses:$/m);
  });

  it('answers `kvstoremesh-dbg status -o json` in the kvstoremesh container with RemoteCluster models', async () => {
    const r = await exec(apiserver, 'kvstoremesh', ['/usr/bin/clustermesh-apiserver', 'kvstoremesh-dbg', 'status', '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const clusters = JSON.parse(r.stdout);
    assert.ok(Array.isArray(clusters));
    clusters.forEach((c: unknown, i: number) => assert.deepEqual(checkModel(c, 'RemoteCluster'), [], `item ${i}`));
  });

  it('says "not simulated" for other commands and exits with the error channel’s code', async () => {
    const r = await exec(agent, 'cilium-agent', ['ls', '/']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /`ls \/` is not simulated/);
    // client-go decodes NonZeroExitCode into CodeExitError; kubectl prints it and exits with the code
    assert.match(r.stderr, /command terminated with exit code 1/);
    const wrong = await exec(apiserver, 'kvstoremesh', ['cilium-dbg', 'status']);
    assert.equal(wrong.code, 1, 'cilium-dbg is the agent’s, not kvstoremesh’s');
  });

  it('refuses SPDY (kubectl 1.27 speaks nothing else) with a Status kubectl prints', async () => {
    const old = join(dirname(newest), 'kubectl.1.27');
    const r = await exec(agent, 'cilium-agent', ['cilium-dbg', 'status'], old);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^Error from server \(BadRequest\): exec over SPDY\/3\.1 is not simulated by this meshwright lab/m);
  });

  it('checks the pod and container as the apiserver does, on either protocol', async () => {
    const r = await exec(agent, 'no-such-container', ['cilium-dbg', 'status']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /container no-such-container is not valid for pod/);
  });
});
