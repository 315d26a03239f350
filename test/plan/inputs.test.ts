/**
 * `--ready` checked against the Services each cluster holds: a name that is not there is a
 * usage error with the nearest name, or the list of what is there.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseManifestText } from '../../src/manifests/index.js';
import { overrideText, unknownReadyServices } from '../../src/plan/index.js';
import { validatePlatformFile } from '../../src/spec/index.js';
import { REPO_ROOT } from '../helpers/golden.js';

const lab = validatePlatformFile(`${REPO_ROOT}/examples/reference-lab/platform.yaml`).platform!;
const services = (names: string[], cluster?: string) => parseManifestText('s.yaml', names.map((n) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${n}}\nspec: {selector: {app: ${n}}}\n`).join('---\n'), cluster).objects;

test('a known Service, and cluster-wide overrides, pass', () => {
  assert.deepEqual(unknownReadyServices(lab, services(['rebel-base']), [{ cluster: 'k8s-cilium-01', service: { namespace: 'default', name: 'rebel-base' }, ready: 1 }, { cluster: 'k8s-cilium-02', ready: 0 }]), []);
});

test('a near name is offered; else the Services of the cluster, ten at most', () => {
  const near = unknownReadyServices(lab, services(['rebel-base']), [{ cluster: 'k8s-cilium-01', service: { namespace: 'default', name: 'rebel-bsae' }, ready: 1 }]);
  assert.deepEqual(near.map((u) => u.hint), ['did you mean k8s-cilium-01/default/rebel-base?']);
  const many = services(Array.from({ length: 12 }, (_, i) => `svc-${i}`));
  assert.deepEqual(unknownReadyServices(lab, many, [{ cluster: 'k8s-cilium-01', service: { namespace: 'shop', name: 'checkout' }, ready: 1 }]).map((u) => u.hint), ['Services of k8s-cilium-01: default/svc-0, default/svc-1, default/svc-2, default/svc-3, default/svc-4, default/svc-5, default/svc-6, default/svc-7, default/svc-8, default/svc-9, …']);
  assert.deepEqual(unknownReadyServices(lab, services(['a', 'b']), [{ cluster: 'k8s-cilium-01', service: { namespace: 'shop', name: 'checkout' }, ready: 1 }]).map((u) => u.hint), ['Services of k8s-cilium-01: default/a, default/b']);
});

test('a Service placed in the other cluster only is not there', () => {
  const u = unknownReadyServices(lab, services(['ledger'], 'k8s-cilium-02'), [{ cluster: 'k8s-cilium-01', service: { namespace: 'default', name: 'ledger' }, ready: 0 }]);
  assert.deepEqual(u.map((x) => x.hint), ['cluster k8s-cilium-01 has no Service in the manifests given']);
});

test('how an override is written back', () => {
  assert.equal(overrideText({ cluster: 'c1', ready: 0 }), '--ready c1=0');
  assert.equal(overrideText({ cluster: 'c1', service: { namespace: 'ns', name: 's' }, ready: 2 }), '--ready c1/ns/s=2');
});
