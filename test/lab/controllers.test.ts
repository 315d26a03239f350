import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/lab/index.js';
import { TEST_ROOT } from '../helpers/golden.js';
import { kubectl, kubectlBinary, kubectlWatch, rows, startTestLab, until, type TestLab } from '../helpers/lab.js';
import { referenceLab } from '../helpers/platforms.js';

const DEMO = join(TEST_ROOT, 'fixtures', 'manifests', 'clustermesh-demo');
const FIX = join(TEST_ROOT, 'fixtures', 'manifests', 'lab-controllers');

/**
 * The controllers of a simulated cluster, driven by the real kubectl, with an injected clock and
 * `--latency 1s`: nothing moves until the test moves time, so every intermediate state is seen.
 */
describe('lab controllers, seen through kubectl', () => {
  const bin = kubectlBinary('newest').path;
  const clock = new ManualClock();
  let lab: TestLab;
  let cache: string;
  const k = (args: string[]) => kubectl(bin, lab.kubeconfig, cache, ['--context', 'k8s-cilium-01', ...args]);
  const ok = async (args: string[]): Promise<string> => {
    const r = await k(args);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  const settled = () => Promise.all(lab.lab.clusters.map((c) => c.controllers.settled()));
  /** Moves time by `ms` in steps of 50 ms, letting the controllers finish each step. */
  const step = async (ms: number) => {
    for (let t = 0; t < ms; t += 50) {
      clock.advance(50);
      await settled();
    }
  };
  /** The Cilium agent stand-in on both nodes, run until they are Ready: what a workload needs to be scheduled. */
  const agentsReady = async () => {
    await ok(['apply', '-f', join(FIX, 'agent-standin.yaml')]);
    await step(2000);
    assert.deepEqual(rows(await ok(['get', 'nodes'])).slice(1).map((r) => r[1]), ['Ready', 'Ready'], 'set-up: both nodes Ready');
  };

  before(async () => {
    lab = await startTestLab(referenceLab(), { clock, latencyMs: 1000 });
    cache = join(mkdtempSync(join(tmpdir(), 'mw-kubectl-')), 'cache');
  });
  after(async () => {
    await lab?.stop();
    rmSync(join(cache, '..'), { recursive: true, force: true });
  });

  // One scenario in three steps, each a subtest: the pods of the first step are the ones the nodes
  // of the second step let run in the third, on one clock. Run alone, the scenario runs whole.
  it('a Deployment from Pending to Running as the Cilium agents make the nodes Ready', async (t) => {
    await t.test('leaves pods Pending with the scheduler’s message while every node is NotReady', async () => {
      await ok(['apply', '-f', join(DEMO, 'cluster1.yaml')]);
      await step(200);
      const pods = rows(await ok(['get', 'pods', '-o', 'wide']));
      assert.equal(pods.length, 5);
      for (const p of pods.slice(1)) assert.deepEqual([p[1], p[2], p[6]], ['0/1', 'Pending', '<none>']);
      assert.match(pods[1]![0]!, /^rebel-base-[a-z0-9]{8,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/, 'Deployment → ReplicaSet → Pod names as the controllers make them');
      const pod = JSON.parse(await ok(['get', 'pod', pods[1]![0]!, '-o', 'json']));
      const scheduled = pod.status.conditions.find((c: { type: string }) => c.type === 'PodScheduled');
      // the message a real 1.30 scheduler gives on a Kubespray cluster before its CNI runs
      assert.equal(scheduled.reason, 'Unschedulable');
      assert.equal(
        scheduled.message,
        '0/2 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
      );
      const rs = rows(await ok(['get', 'replicasets']));
      assert.deepEqual(rs.slice(1).map((r) => r.slice(1, 4)), [['2', '2', '0'], ['2', '2', '0']]);
    });

    await t.test('turns nodes Ready once the Cilium agent DaemonSet runs on them, stage by stage', async () => {
      const nodes = kubectlWatch(bin, lab.kubeconfig, cache, ['--context', 'k8s-cilium-01', 'get', 'nodes', '-w']);
      const agents = kubectlWatch(bin, lab.kubeconfig, cache, ['--context', 'k8s-cilium-01', 'get', 'pods', '-n', 'kube-system', '-w']);
      try {
        await until(() => /k8s-cilium-01-wk01/.test(nodes.output()), 10_000, 'the node watch to start');
        // an empty namespace prints nothing until the first event: give that watch a moment to open
        await new Promise((r) => setTimeout(r, 500));
        await ok(['apply', '-f', join(FIX, 'agent-standin.yaml')]);
        await step(50);
        assert.deepEqual(rows(await ok(['get', 'nodes'])).slice(1).map((r) => r[1]), ['NotReady', 'NotReady']);
        await step(2000);
        assert.deepEqual(rows(await ok(['get', 'nodes'])).slice(1).map((r) => r[1]), ['Ready', 'Ready']);
        await until(() => (nodes.output().match(/\bReady\b/g) ?? []).length >= 2, 10_000, 'the node watch to see Ready');
        await until(() => (agents.output().match(/1\/1\s+Running/g) ?? []).length >= 2, 10_000, 'the pod watch to see the agents ready');
        // each agent pod went Pending → ContainerCreating → Running (not ready until its probe) → ready
        const seen = agents.output().split('\n').filter((l) => l.startsWith('cilium-')).map((l) => l.trim().split(/\s+/).slice(1, 3).join(' '));
        const firstOf = (s: string) => seen.indexOf(s);
        for (const s of ['0/1 Pending', '0/1 ContainerCreating', '0/1 Running', '1/1 Running']) assert.ok(firstOf(s) >= 0, `the watch saw ${s}: ${seen.join(' | ')}`);
        assert.ok(firstOf('0/1 Pending') < firstOf('0/1 ContainerCreating') && firstOf('0/1 ContainerCreating') < firstOf('0/1 Running') && firstOf('0/1 Running') < firstOf('1/1 Running'));
        const node = JSON.parse(await ok(['get', 'node', 'k8s-cilium-01-wk01', '-o', 'json']));
        assert.equal(node.spec.taints, undefined, 'the not-ready taint is lifted');
        const cp = JSON.parse(await ok(['get', 'node', 'k8s-cilium-01-cp', '-o', 'json']));
        assert.deepEqual(cp.spec.taints.map((t: { key: string }) => t.key), ['node-role.kubernetes.io/control-plane']);
        const wide = rows(await ok(['get', 'pods', '-n', 'kube-system', '-o', 'wide']));
        assert.deepEqual(wide.slice(1).map((r) => r[5]).sort(), ['172.26.0.141', '172.26.0.142'], 'host-network pods have their node’s address');
      } finally {
        nodes.stop();
        agents.stop();
      }
    });

    await t.test('then runs the waiting pods on the worker, with IPs from its cluster-pool slice, and readiness in the EndpointSlices', async () => {
      await ok(['apply', '-f', join(DEMO, 'global-service-example.yaml')]);
      await step(100);
      // started but the readiness probe has not passed yet: Running 0/1, endpoints not ready
      await step(1000);
      let pods = rows(await ok(['get', 'pods', '-o', 'wide', '-l', 'name=rebel-base']));
      for (const p of pods.slice(1)) assert.deepEqual([p[1], p[2], p[6]], ['0/1', 'Running', 'k8s-cilium-01-wk01']);
      let slice = JSON.parse(await ok(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=rebel-base', '-o', 'json'])).items[0];
      assert.deepEqual(slice.endpoints.map((e: { conditions: { ready: boolean } }) => e.conditions.ready), [false, false]);
      await step(600);
      pods = rows(await ok(['get', 'pods', '-o', 'wide', '-l', 'name=rebel-base']));
      for (const p of pods.slice(1)) {
        assert.deepEqual([p[1], p[2]], ['1/1', 'Running']);
        // cluster-pool IPAM: the worker is the cluster's second node, so 10.1.0.0/16 cut in /24s gives it 10.1.1.0/24
        assert.match(p[5]!, /^10\.1\.1\.\d+$/);
      }
      slice = JSON.parse(await ok(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=rebel-base', '-o', 'json'])).items[0];
      assert.equal(slice.addressType, 'IPv4');
      assert.deepEqual(slice.endpoints.map((e: { conditions: { ready: boolean } }) => e.conditions.ready), [true, true]);
      assert.deepEqual(slice.endpoints.map((e: { addresses: string[] }) => e.addresses[0]).sort(), pods.slice(1).map((p) => p[5]).sort());
      assert.deepEqual(slice.ports, [{ name: '', port: 80, protocol: 'TCP' }]);
      const deploy = rows(await ok(['get', 'deployment', 'rebel-base']));
      assert.deepEqual(deploy[1]!.slice(1, 4), ['2/2', '2', '2']);
      const d = JSON.parse(await ok(['get', 'deployment', 'rebel-base', '-o', 'json']));
      assert.equal(d.status.observedGeneration, d.metadata.generation, 'helm and rollout status wait for observedGeneration');
      const rollout = await k(['rollout', 'status', 'deployment/rebel-base', '--timeout=5s']);
      assert.match(rollout.stdout, /deployment "rebel-base" successfully rolled out/);
    });
  });

  it('keeps a pod that asks for the tainted control plane Pending, and runs StatefulSets in order and Jobs to completion', async () => {
    await agentsReady();
    await ok(['apply', '-f', join(FIX, 'workloads.yaml')]);
    await step(100);
    const pinned = JSON.parse(await ok(['get', 'pod', 'on-control-plane', '-o', 'json']));
    assert.equal(pinned.status.phase, 'Pending');
    assert.equal(
      pinned.status.conditions.find((c: { type: string }) => c.type === 'PodScheduled').message,
      "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
    );
    // OrderedReady: web-1 only once web-0 is ready
    assert.deepEqual(rows(await ok(['get', 'pods', '-l', 'app=nginx'])).slice(1).map((r) => r[0]), ['web-0']);
    await step(2000);
    assert.deepEqual(rows(await ok(['get', 'pods', '-l', 'app=nginx'])).slice(1).map((r) => r[0]), ['web-0', 'web-1']);
    await step(2000);
    assert.deepEqual(rows(await ok(['get', 'statefulset', 'web'])).slice(1).map((r) => r[1]), ['2/2']);
    const job = rows(await ok(['get', 'pods', '-l', 'job-name=pi']));
    assert.deepEqual(job[1]!.slice(1, 3), ['0/1', 'Completed']);
    const wait = await k(['wait', '--for=condition=complete', 'job/pi', '--timeout=5s']);
    assert.equal(wait.code, 0, wait.stderr);
    assert.match(wait.stdout, /job\.batch\/pi condition met/);
  });
});
