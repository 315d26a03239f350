import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { clusterClient } from '../../src/ops/kube/index.js';
import { referenceLab } from '../helpers/platforms.js';
import { DEFAULT_PROBE_NAMESPACE, PROBE_LABEL, PROBE_OWNER_ANNOTATION, probeTraffic } from '../../src/verify/probe/index.js';
import type { ClusterAccess } from '../../src/verify/types.js';
import { bin, cli } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/golden.js';
import { kubectl, kubectlBinary, until } from '../helpers/lab.js';

const PLATFORM = readFileSync(join(REPO_ROOT, 'examples', 'reference-lab', 'platform.yaml'), 'utf8');
const CLUSTERS = ['k8s-cilium-01', 'k8s-cilium-02'];
const ONLY_X_WING = ['apiVersion: cilium.io/v2', 'kind: CiliumNetworkPolicy', 'metadata: {name: rebel-base-from-x-wing, namespace: default}', 'spec:', '  endpointSelector: {matchLabels: {name: rebel-base}}', '  ingress:', '    - fromEndpoints: [{matchLabels: {name: x-wing}}]', ''].join('\n');

/**
 * verify with probe pods on the reference lab (`--probe pod`): the path real clusters take — pods
 * created, waited for, exec'd into with the real kubectl's protocol, deleted — end to end, with
 * the lab answering curl in the probe pods.
 */
describe('meshwright verify --probe pod on the reference lab', () => {
  const kube = kubectlBinary('newest').path;
  let dir: string;
  let kubeconfig: string;
  const k = async (args: string[], input?: string) => {
    const r = await kubectl(kube, kubeconfig, join(dir, 'kube-cache'), args, input);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  /** A NoSchedule taint on every node of both clusters (kubectl taint's patch is refused by the lab: a merge patch of spec.taints); returns the undo. */
  const taintEveryNode = async () => {
    const nodes = await Promise.all(CLUSTERS.map(async (c) => ({ c, items: JSON.parse(await k(['--context', c, 'get', 'nodes', '-o', 'json'])).items as any[] })));
    const taint = (extra: object[]) =>
      Promise.all(nodes.flatMap(({ c, items }) => items.map((n) => k(['--context', c, 'patch', 'node', n.metadata.name, '--type=merge', '-p', JSON.stringify({ spec: { taints: [...(n.spec.taints ?? []), ...extra] } })]))));
    await taint([{ key: 'meshwright.test/hold', value: '1', effect: 'NoSchedule' }]);
    return () => taint([]);
  };
  const verify = (args: string[] = []) => cli(['verify', '--seed', '7', '--probe', 'pod', ...args], { cwd: dir });
  /** No probe pod in any namespace of either cluster. */
  const noProbeLeft = async () => {
    for (const c of CLUSTERS) assert.equal((await k(['--context', c, 'get', 'pods', '-A', '-l', PROBE_LABEL, '-o', 'name'])).trim(), '', `probe pods left in ${c}`);
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mw-verify-probe-'));
    writeFileSync(join(dir, 'platform.yaml'), PLATFORM);
    const r = bin(['apply'], { cwd: dir, env: { HOME: dir } });
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    kubeconfig = join(dir, '.meshwright', 'lab', 'kubeconfig');
  });
  after(() => {
    bin(['lab', 'down'], { cwd: dir });
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes the ingress and global-services checks from probe pods, and leaves no probe pod nor its namespace', async () => {
    const r = await verify();
    assert.equal(r.code, 0, r.stdout + r.stderr);
    for (const c of CLUSTERS) {
      assert.match(r.stdout, new RegExp(`ingress\\s+${c}\\s+GET http://172\\.26\\.0\\.10[15]/ Host: test-ingress\\.ilba\\.cat\\s+ok\\s+.*HTTP 200, the Hello page`));
      // the probe sees the VIP only; rebel-base's answer names the cluster, so the shares are tested
      assert.match(r.stdout, new RegExp(`global-services\\s+${c}\\s+default/rebel-base from ${c}\\s+ok\\s+k8s-cilium-01 50%, k8s-cilium-02 50% of 100\\s+k8s-cilium-01 \\d+, k8s-cilium-02 \\d+ \\(binomial p`));
    }
    await noProbeLeft();
    for (const c of CLUSTERS) assert.doesNotMatch(await k(['--context', c, 'get', 'namespaces', '-o', 'name']), new RegExp(`namespace/${DEFAULT_PROBE_NAMESPACE}\\b`));
  });

  it('--probe-image is the created pod’s image; --probe-namespace an existing namespace, which stays', async () => {
    const image = 'registry.internal.example/mirror/alpine-curl:v1.10.0';
    const r = await verify(['--probe-image', image, '--probe-namespace', 'default']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    // the kubelet's Pulled events outlive the pods: one probe per client cluster and run, with that image
    for (const c of CLUSTERS) {
      const events = await k(['--context', c, 'get', 'events', '-n', 'default', '--field-selector', 'reason=Pulled', '-o', 'jsonpath={range .items[*]}{.involvedObject.name} {.message}{"\\n"}{end}']);
      const probes = events.split('\n').filter((l) => l.startsWith('meshwright-probe-'));
      assert.equal(probes.length, 1, events);
      assert.match(probes[0]!, new RegExp(`Container image "${image.replace(/\./g, '\\.')}"`));
    }
    await noProbeLeft();
    await k(['--context', 'k8s-cilium-01', 'get', 'namespace', 'default']);
  });

  it('a check that fails (requests dropped by a policy) still leaves no probe pod; exit 1 names the timeouts', async () => {
    for (const c of CLUSTERS) await k(['--context', c, 'apply', '-f', '-'], ONLY_X_WING);
    try {
      const r = await verify(['--requests', '5']);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stdout, /global-services\s+k8s-cilium-01\s+default\/rebel-base from k8s-cilium-01\s+FAIL\s+.*5 failed \(curl: \(28\) Connection timed out after 2000 milliseconds\)/);
      await noProbeLeft();
    } finally {
      for (const c of CLUSTERS) await k(['--context', c, '-n', 'default', 'delete', 'ciliumnetworkpolicy', 'rebel-base-from-x-wing']);
    }
  });

  it('a probe standing in for x-wing carries its labels, is never Ready, and gets through a policy that admits only x-wing', async () => {
    for (const c of CLUSTERS) await k(['--context', c, 'apply', '-f', '-'], ONLY_X_WING);
    const platform = referenceLab();
    const access: ClusterAccess[] = platform.spec.clusters.map((spec) => ({ spec, client: clusterClient(kubeconfig, spec.name, spec.name) }));
    const traffic = probeTraffic(access, { image: 'quay.io/cilium/alpine-curl:v1.10.0', seed: 3, tlsTarget: async () => undefined });
    try {
      const xwing = JSON.parse(await k(['--context', 'k8s-cilium-01', 'get', 'pods', '-n', 'default', '-l', 'name=x-wing', '-o', 'json'])).items[0];
      const from = await traffic.curl('k8s-cilium-01', 'http://rebel-base.default/', { count: 10, seed: 1, from: `default/${xwing.metadata.name}` });
      assert.deepEqual(from.map((a) => a.exitCode), Array(10).fill(0));
      assert.deepEqual(new Set(from.map((a) => a.backend?.cluster)), new Set(CLUSTERS));
      // the run's own probe, in its own namespace, has no x-wing identity: dropped
      const own = await traffic.curl('k8s-cilium-01', 'http://rebel-base.default/', { count: 2, seed: 1 });
      assert.deepEqual(own.map((a) => a.error), Array(2).fill('curl: (28) Connection timed out after 2000 milliseconds'));
      const probes = JSON.parse(await k(['--context', 'k8s-cilium-01', 'get', 'pods', '-n', 'default', '-l', PROBE_LABEL, '-o', 'json'])).items;
      assert.equal(probes.length, 1);
      const probe = probes[0];
      for (const [key, value] of Object.entries(xwing.metadata.labels as Record<string, string>)) assert.equal(probe.metadata.labels[key], value, `label ${key}`);
      assert.equal(probe.status.phase, 'Running');
      assert.equal(probe.status.conditions.find((c: any) => c.type === 'Ready').status, 'False');
      await k(['--context', 'k8s-cilium-01', 'wait', '-n', 'default', `pod/${probe.metadata.name}`, '--for=condition=Ready', '--timeout=1s'], undefined).then(
        () => assert.fail('the probe turned Ready'),
        () => undefined,
      );
    } finally {
      await traffic.close();
      access.forEach((a) => a.client.close());
      for (const c of CLUSTERS) await k(['--context', c, '-n', 'default', 'delete', 'ciliumnetworkpolicy', 'rebel-base-from-x-wing']);
    }
    await noProbeLeft();
  });

  it('a probe pod standing in for rebel-base is not among its Service’s ready endpoints', async () => {
    const platform = referenceLab();
    const access: ClusterAccess[] = platform.spec.clusters.map((spec) => ({ spec, client: clusterClient(kubeconfig, spec.name, spec.name) }));
    const traffic = probeTraffic(access, { image: 'quay.io/cilium/alpine-curl:v1.10.0', seed: 3, tlsTarget: async () => undefined });
    try {
      const rebel = (await k(['--context', 'k8s-cilium-01', 'get', 'pods', '-n', 'default', '-l', 'name=rebel-base', '-o', 'jsonpath={.items[0].metadata.name}'])).trim();
      await traffic.curl('k8s-cilium-01', 'http://x-wing.default/', { count: 1, seed: 1, from: `default/${rebel}` });
      const probe = (await k(['--context', 'k8s-cilium-01', 'get', 'pods', '-n', 'default', '-l', PROBE_LABEL, '-o', 'jsonpath={.items[0].metadata.name}'])).trim();
      const slices = JSON.parse(await k(['--context', 'k8s-cilium-01', 'get', 'endpointslices', '-n', 'default', '-l', 'kubernetes.io/service-name=rebel-base', '-o', 'json'])).items as any[];
      const endpoints = slices.flatMap((s) => s.endpoints ?? []);
      const ready = endpoints.filter((e) => e.conditions?.ready).map((e) => e.targetRef?.name);
      assert.equal(ready.length, 2, JSON.stringify(endpoints));
      assert.ok(!ready.includes(probe), `${probe} is a ready endpoint`);
    } finally {
      await traffic.close();
      access.forEach((a) => a.client.close());
    }
    await noProbeLeft();
  });

  it('a leftover of a killed run (this host, a process that is gone) is removed at the next start; a live run’s is not', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    const pod = (name: string, owner: string) =>
      JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { [PROBE_LABEL]: 'killed' }, annotations: { [PROBE_OWNER_ANNOTATION]: owner } }, spec: { containers: [{ name: 'probe', image: 'quay.io/cilium/alpine-curl:v1.10.0', command: ['sleep', '3600'] }] } });
    await k(['--context', 'k8s-cilium-01', 'apply', '-f', '-'], pod('meshwright-probe-leftover', `${hostname()}/${dead}`));
    await k(['--context', 'k8s-cilium-01', 'apply', '-f', '-'], pod('meshwright-probe-live', `${hostname()}/${process.pid}`));
    try {
      const r = await verify(['--requests', '5']);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal((await k(['--context', 'k8s-cilium-01', 'get', 'pods', '-A', '-l', PROBE_LABEL, '-o', 'name'])).trim(), 'pod/meshwright-probe-live');
    } finally {
      await k(['--context', 'k8s-cilium-01', '-n', 'default', 'delete', 'pod', 'meshwright-probe-live', '--ignore-not-found']);
    }
  });

  it('Ctrl-C while a probe pod waits to be scheduled: the pod is removed before verify exits (130)', async () => {
    // every node tainted: the probe stays Pending (the scheduler's FailedScheduling), verify waits for it
    const untaint = await taintEveryNode();
    try {
      const child = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'cli', 'main.js'), 'verify', '--probe', 'pod', '--requests', '5'], { cwd: dir, env: { PATH: process.env.PATH, NO_COLOR: '1', HOME: dir } });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      await until(async () => (await k(['--context', 'k8s-cilium-01', 'get', 'pods', '-A', '-l', PROBE_LABEL, '-o', 'name'])).trim() !== '', 60_000, 'a probe pod');
      child.kill('SIGINT');
      assert.equal(await exited, 130);
      await noProbeLeft();
    } finally {
      await untaint();
    }
  });

  it('a probe pod that never runs (no node takes it): the request fails with the scheduler’s reason, and the pod is removed', async () => {
    const untaint = await taintEveryNode();
    const platform = referenceLab();
    const access: ClusterAccess[] = platform.spec.clusters.map((spec) => ({ spec, client: clusterClient(kubeconfig, spec.name, spec.name) }));
    const traffic = probeTraffic(access, { image: 'quay.io/cilium/alpine-curl:v1.10.0', seed: 3, startTimeoutMs: 1500, tlsTarget: async () => undefined });
    try {
      await assert.rejects(traffic.curl('k8s-cilium-01', 'http://rebel-base.default/', { count: 1, seed: 1 }), /probe pod meshwright-probe\/meshwright-probe-\w+ in k8s-cilium-01 did not run in time: unschedulable: 0\/2 nodes are available/);
      await noProbeLeft();
    } finally {
      await traffic.close();
      access.forEach((a) => a.client.close());
      await untaint();
    }
  });

  it('a probe pod that cannot be created: exit 3, with the API server’s reason', async () => {
    const r = await verify(['--probe-namespace', 'no-such-namespace', '--requests', '5']);
    assert.equal(r.code, 3, r.stdout + r.stderr);
    for (const c of CLUSTERS) assert.match(r.stdout, new RegExp(`ingress\\s+${c}\\s+GET http://\\S+ Host: test-ingress.ilba.cat\\s+ERROR\\s+.*not sent: cannot create the probe pod in ${c} namespace no-such-namespace: namespaces "no-such-namespace" not found`));
    // the rows that need no probe still stand
    assert.match(r.stdout, /ingress\s+k8s-cilium-01\s+ingress test-ingress\/app-ilba-ingress address\s+ok/);
    assert.match(r.stdout, /global-services\s+k8s-cilium-02\s+default\/rebel-base from k8s-cilium-02\s+ERROR\s+.*not sent: cannot create the probe pod/);
    await noProbeLeft();
  });
});
