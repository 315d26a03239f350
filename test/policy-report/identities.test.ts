/**
 * Security identities (policy-semantics.md §5 "How Cilium computes policy", §2.2): pods of
 * one cluster with equal identity-relevant labels share one identity; a label that is
 * relevant splits it; labels Cilium leaves out (pod-template-hash, …) do not.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Identity, PolicyBuild } from '../../src/model/policy-engine/types.js';
import { build, deploymentPodName, ONE } from './helpers.js';

function webIdentities(b: PolicyBuild, cluster = ONE): Identity[] {
  return b.engine.identities.filter((i) => i.cluster === cluster && i.namespace === 'shop' && i.endpoints.some((e) => e.labels.app === 'web'));
}

describe('identities', () => {
  test('the 10 pods of one Deployment share one identity', () => {
    const b = build(['identities/web-deployment.yaml']);
    const pods = b.endpoints.filter((e) => e.owner.kind === 'Deployment' && e.owner.name === 'web');
    assert.equal(pods.length, 10);
    assert.equal(new Set(pods.map((e) => e.name)).size, 10, 'pod names are distinct');
    assert.ok(pods.every((e) => deploymentPodName('web').test(e.name)), pods.map((e) => e.name).join(', '));
    const ids = webIdentities(b);
    assert.equal(ids.length, 1);
    assert.equal(ids[0]!.endpoints.length, 10);
  });

  test('the identity carries the labels Cilium shows: k8s:<label>, namespace, cluster, service account', () => {
    const [id] = webIdentities(build(['identities/web-deployment.yaml']));
    assert.ok(id);
    assert.equal(id.labels['k8s:app'], 'web');
    assert.equal(id.labels['k8s:tier'], 'frontend');
    assert.equal(id.labels['k8s:io.kubernetes.pod.namespace'], 'shop');
    assert.equal(id.labels['k8s:io.cilium.k8s.policy.cluster'], ONE);
    assert.equal(id.labels['k8s:io.cilium.k8s.policy.serviceaccount'], 'default');
  });

  test('adding a label to one pod splits it into its own identity (9 + 1)', () => {
    const ids = webIdentities(build(['identities/web-pods-one-relabelled.yaml']));
    assert.equal(ids.length, 2);
    const sizes = ids.map((i) => i.endpoints.length).sort((a, b) => a - b);
    assert.deepEqual(sizes, [1, 9]);
    const single = ids.find((i) => i.endpoints.length === 1)!;
    assert.equal(single.endpoints[0]!.name, 'web-7');
    assert.equal(single.labels['k8s:canary'], 'true');
  });

  test('a label Cilium leaves out of identities (pod-template-hash) does not split', () => {
    const ids = webIdentities(build(['identities/web-pods-one-other-hash.yaml']));
    assert.equal(ids.length, 1);
    assert.equal(ids[0]!.endpoints.length, 10);
    assert.equal(ids[0]!.labels['k8s:pod-template-hash'], undefined);
  });

  test('the same Deployment in two clusters gives one identity per cluster', () => {
    const b = build(['identities/web-deployment.yaml'], { clusters: ['east', 'west'] });
    for (const c of ['east', 'west']) {
      const ids = webIdentities(b, c);
      assert.equal(ids.length, 1, c);
      assert.equal(ids[0]!.endpoints.length, 10);
      assert.ok(ids[0]!.endpoints.every((e) => e.cluster === c));
    }
    const keys = b.engine.identities.map((i) => i.key);
    assert.equal(new Set(keys).size, keys.length, 'identity keys are unique');
  });
});
