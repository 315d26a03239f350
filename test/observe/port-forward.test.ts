import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { load } from 'js-yaml';
import { labHelm } from '../../src/lab/index.js';
import type { FlowRecord } from '../../src/observe/index.js';
import { cli } from '../helpers/cli.js';
import { TEST_ROOT } from '../helpers/golden.js';
import { startTestLab, testPki, until, type TestLab } from '../helpers/lab.js';
import { referenceLab } from '../helpers/platforms.js';

const RENDERED = join(TEST_ROOT, 'golden', 'render', 'reference-lab', 'k8s-cilium-01');
const FIXTURE = join(TEST_ROOT, 'fixtures', 'observe', 'lab-flows.jsonl');

/**
 * The real-cluster path, driven against the lab: no lab.json in the folder, so `observe` finds
 * svc/hubble-relay in kube-system through the kubeconfig and port-forwards to its pod over
 * WebSocket (client-node's PortForward), as `cilium hubble port-forward` does; the lab's API server
 * speaks the kubelet's port-forward protocol and forwards hubble-relay's 4245 to the cluster's
 * Observer server.
 */
describe('observe through a port-forward to svc/hubble-relay (the real-cluster path, on the lab)', () => {
  let lab: TestLab;
  let cwd: string;
  before(async () => {
    lab = await startTestLab(referenceLab());
    cwd = mkdtempSync(join(tmpdir(), 'mw-observe-pf-'));
    for (const line of readFileSync(FIXTURE, 'utf8').trim().split('\n')) lab.lab.flows.record(JSON.parse(line) as FlowRecord);
    const values = load(readFileSync(join(RENDERED, 'helm', 'cilium-values.yaml'), 'utf8')) as { hubble: { relay: { enabled: boolean } } };
    values.hubble.relay.enabled = true;
    await labHelm.upgradeInstall(lab.lab.clusters[0]!.port, await testPki(), { release: 'cilium', chart: 'cilium', namespace: 'kube-system', values: [values as unknown as Record<string, unknown>], now: Date.now() });
    await Promise.all(lab.lab.clusters.map((c) => c.controllers.settled()));
  });
  after(async () => {
    await lab?.stop();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('observe --kubeconfig --context reads the relay of that cluster', async () => {
    let r = await cli(['observe', '--kubeconfig', lab.kubeconfig, '--context', 'k8s-cilium-01', '-o', 'json', '--verdict', 'DROPPED'], { cwd });
    // the relay pod may still be starting
    await until(async () => {
      if (r.code === 0) return true;
      r = await cli(['observe', '--kubeconfig', lab.kubeconfig, '--context', 'k8s-cilium-01', '-o', 'json', '--verdict', 'DROPPED'], { cwd });
      return r.code === 0;
    }, 20_000, () => `observe through the port-forward (last: ${r.code} ${r.stderr})`);
    const uuids = r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as FlowRecord).flow.uuid!.slice(-2));
    assert.deepEqual(uuids, ['05', '06']);
  });

  it('a cluster without Hubble Relay: exit 3 with the hint to enable it', async () => {
    const r = await cli(['observe', '--kubeconfig', lab.kubeconfig, '--context', 'k8s-cilium-02'], { cwd });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /Hubble Relay is not installed in context k8s-cilium-02/);
    assert.match(r.stderr, /hubble\.relay\.enabled=true/);
  });

  it('an unknown context: exit 1 naming the contexts', async () => {
    const r = await cli(['observe', '--kubeconfig', lab.kubeconfig, '--context', 'nope'], { cwd });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no context nope/);
  });
});
