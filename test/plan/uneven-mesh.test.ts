/**
 * An uneven mesh planned end to end (test/fixtures/manifests/plan/uneven/, on the three-cluster
 * platform): checkout runs 1 replica in eu-west, 3 in eu-central (whose global annotation is an
 * unquoted YAML boolean) and 2 in us-east, where its Service is not global. Expected by hand from
 * Cilium 1.16's Documentation/network/clustermesh/services.rst: a global Service's client
 * load-balances over its own and the other global copies' backends, one backend as likely as the
 * next (so eu-west answers 1/4 and eu-central 3/4); a copy that is not global uses only its own
 * backends; a headless Service is answered by DNS with the local endpoints only.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { memoryIO } from '../../src/cli/io.js';
import { runPlan } from '../../src/cli/plan.js';
import { REPO_ROOT } from '../helpers/golden.js';

const THREE = 'test/fixtures/platforms-valid/three-clusters.yaml';
const UNEVEN = 'test/fixtures/manifests/plan/uneven';
const FILES = ['eu-west', 'eu-central', 'us-east'].map((c) => `${c}=${UNEVEN}/${c}.yaml`);
const FIX = `${UNEVEN}/eu-central.yaml:27:31: quote it: "true"`;

function plan(whatIf: string[] = []) {
  return runPlan(memoryIO({}, REPO_ROOT), THREE, { filename: FILES, ready: [], whatIf, output: 'json', platformManifests: false }, false);
}

const row = (p: ReturnType<typeof plan>, service: string, client: string) => {
  const g = p.globalServices.find((x) => `${x.namespace}/${x.name}` === service && x.client === client);
  assert.ok(g, `no prediction for ${service} from ${client}`);
  return g;
};

describe('plan: an uneven mesh (1, 3 and 2 replicas; global in two clusters only)', () => {
  const p = plan();

  test('from eu-west and eu-central: a quarter of the requests to eu-west, three quarters to eu-central', () => {
    for (const client of ['eu-west', 'eu-central']) {
      const r = row(p, 'shop/checkout', client);
      assert.deepEqual([r.global, r.shared, r.backends, r.share], [true, true, { [client]: client === 'eu-west' ? 1 : 3, [client === 'eu-west' ? 'eu-central' : 'eu-west']: client === 'eu-west' ? 3 : 1 }, { 'eu-west': 0.25, 'eu-central': 0.75 }], client);
    }
  });

  test('from us-east, whose Service is not global: its own two backends only, resting on its own fix only', () => {
    const r = row(p, 'shop/checkout', 'us-east');
    assert.deepEqual(r, { namespace: 'shop', name: 'checkout', client: 'us-east', global: false, shared: false, affinity: 'none', headless: false, backends: { 'us-east': 2 }, share: { 'us-east': 1 }, dependsOn: [`${UNEVEN}/us-east.yaml:28:25: quote it: "9102"`] });
  });

  test('the global clients rest on eu-central\'s unquoted annotation (with its place and the fix), not on us-east\'s', () => {
    assert.deepEqual(row(p, 'shop/checkout', 'eu-west').dependsOn, [FIX]);
    assert.deepEqual(row(p, 'shop/checkout', 'eu-central').dependsOn, [FIX]);
  });

  test('headless in eu-west only: eu-west\'s DNS answers with its own pod; eu-central, not given eu-west\'s, keeps its three', () => {
    const h = row(p, 'shop/checkout-pods', 'eu-west');
    assert.deepEqual([h.headless, h.backends, h.share], [true, { 'eu-west': 1 }, { 'eu-west': 1 }]);
    assert.match(h.note!, /^headless: not load-balanced by Cilium/);
    const c = row(p, 'shop/checkout-pods', 'eu-central');
    assert.deepEqual([c.headless, c.backends, c.share, c.note], [false, { 'eu-central': 3 }, { 'eu-central': 1 }, undefined]);
  });
});

describe('plan: the uneven mesh with eu-central down', () => {
  const p = plan(['cluster eu-central down']);

  test('eu-west keeps every request; the note says eu-central\'s backends are counted as gone', () => {
    const r = row(p, 'shop/checkout', 'eu-west');
    assert.deepEqual([r.backends, r.share], [{ 'eu-west': 1, 'eu-central': 0 }, { 'eu-west': 1 }]);
    assert.match(r.note!, /^with eu-central down its backends there are counted as gone; agents keep a disconnected cluster's services/);
  });

  test('us-east (not global) and eu-west\'s headless copy lose nothing, and no note speaks of eu-central', () => {
    const r = row(p, 'shop/checkout', 'us-east');
    assert.deepEqual([r.backends, r.share, r.note], [{ 'us-east': 2 }, { 'us-east': 1 }, undefined]);
    const h = row(p, 'shop/checkout-pods', 'eu-west');
    assert.deepEqual(h.backends, { 'eu-west': 1 });
    assert.doesNotMatch(h.note!, /eu-central/);
  });
});
