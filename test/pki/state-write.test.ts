import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadPkiState, savePkiState } from '../../src/state/index.js';
import { referenceLab } from '../helpers/platforms.js';
import { reconcile, withLoadBalancerIPs, withoutCluster } from '../helpers/pki.js';
import { renderWithState, snapshot, stateFailure, stateSuite } from '../helpers/state.js';

const lab = referenceLab();
const mode = (p: string) => statSync(p).mode & 0o777;

describe('the state folder: layout, permissions, atomic writes', () => {
  const suite = stateSuite();
  const { fresh, keys } = suite;

  test('layout ca.crt/ca.key + <cluster>/<name>.crt|.key; folders 0700, files 0600; loads back identical', () => {
    const dir = fresh('layout');
    savePkiState(dir, suite.pkis().lab1.state);
    assert.deepEqual(readdirSync(dir).sort(), ['ca.crt', 'ca.key', 'k8s-cilium-01', 'k8s-cilium-02']);
    assert.ok(readdirSync(join(dir, 'k8s-cilium-02')).includes('clustermesh-server.key'));
    for (const [rel] of snapshot(dir)) assert.equal(mode(join(dir, rel)), 0o600, rel);
    for (const d of [dir, join(dir, 'k8s-cilium-01'), join(dir, 'k8s-cilium-02')]) assert.equal(mode(d), 0o700, d);
    assert.equal(readFileSync(join(dir, 'k8s-cilium-01', 'clustermesh-remote.crt'), 'utf8'), suite.pkis().lab1.state['k8s-cilium-01/clustermesh-remote']!.certPem);
    assert.deepEqual(loadPkiState(dir), suite.pkis().lab1.state);
  });

  test('a folder that does not exist yet is an empty state', () => {
    assert.deepEqual(loadPkiState(fresh('none')), {});
  });

  test('save writes only what changed: same state → no file touched; a moved VIP → one pair', async () => {
    const dir = fresh('changed');
    savePkiState(dir, suite.pkis().lab1.state);
    const before1 = snapshot(dir);
    savePkiState(dir, suite.pkis().lab1.state);
    assert.deepEqual(snapshot(dir), before1);
    const moved = await reconcile(withLoadBalancerIPs(lab, 'k8s-cilium-01', ['172.26.0.101', '172.26.0.109']), loadPkiState(dir));
    savePkiState(dir, moved.state);
    const after1 = snapshot(dir);
    const changed = [...after1.keys()].filter((rel) => after1.get(rel)!.ino !== before1.get(rel)!.ino).sort();
    assert.deepEqual(changed, ['k8s-cilium-01/clustermesh-server.crt', 'k8s-cilium-01/clustermesh-server.key']);
  });

  test('a certificate whose key is gone is left out of the state, so it is issued again', async () => {
    const dir = fresh('half');
    savePkiState(dir, suite.pkis().lab1.state);
    rmSync(join(dir, 'k8s-cilium-01', 'hubble-server.key'));
    const loaded = loadPkiState(dir);
    assert.equal(loaded['k8s-cilium-01/hubble-server'], undefined);
    const again = await reconcile(lab, loaded);
    assert.deepEqual(again.events.filter((e) => e.action !== 'reused'), [{ id: 'k8s-cilium-01/hubble-server', action: 'created' }]);
  });

  test('a dropped cluster: its files and folder go; files outside the layout stay', async () => {
    const dir = fresh('dropped');
    savePkiState(dir, suite.pkis().lab1.state);
    writeFileSync(join(dir, 'NOTES.txt'), 'mine');
    const solo = await reconcile(withoutCluster(lab, 'k8s-cilium-02'), loadPkiState(dir));
    savePkiState(dir, solo.state);
    assert.deepEqual(readdirSync(dir).sort(), ['NOTES.txt', 'ca.crt', 'ca.key', 'k8s-cilium-01']);
  });

  test('a failed save leaves the previous files whole and no temp file behind', async () => {
    const dir = fresh('failed');
    savePkiState(dir, suite.pkis().lab1.state);
    const previous = snapshot(dir);
    // The rotated state rewrites every file, and its third cluster's folder is blocked by a file:
    // ca.crt, ca.key and both clusters are staged before the blocked folder fails the save.
    const three = structuredClone(lab);
    three.spec.clusters.push({ ...structuredClone(lab.spec.clusters[1]!), name: 'k8s-cilium-03', id: 3, podCIDR: '10.3.0.0/16', loadBalancerIPs: ['172.26.0.109', '172.26.0.110'] });
    const rotated = await reconcile(three, suite.pkis().lab1.state, { rotateCa: true });
    writeFileSync(join(dir, 'k8s-cilium-03'), 'in the way', { mode: 0o600 });
    previous.set('k8s-cilium-03', { ino: statSync(join(dir, 'k8s-cilium-03')).ino, bytes: 'in the way' });
    await stateFailure(() => savePkiState(dir, rotated.state), 'STATE_UNWRITABLE', keys());
    assert.deepEqual(snapshot(dir), previous);
    assert.deepEqual(loadPkiState(dir), suite.pkis().lab1.state);
  });

  test('the render pipeline: created, then reused with every state file untouched and the output byte-identical', async () => {
    const dir = fresh('ensure');
    const first = await renderWithState(lab, dir);
    assert.ok(first.events.every((e) => e.action === 'created'));
    const files = snapshot(dir);
    const second = await renderWithState(lab, dir);
    assert.ok(second.events.every((e) => e.action === 'reused'));
    assert.deepEqual(second.files, first.files);
    assert.deepEqual(snapshot(dir), files);
  });
});
