import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { summarizePlatform, validatePlatformFile } from '../../src/spec/index.js';
import { REPO_ROOT, TEST_ROOT } from '../helpers/golden.js';

describe('valid platforms', () => {
  test('the reference lab validates clean and reads as the notebook describes it', () => {
    const r = validatePlatformFile(join(REPO_ROOT, 'examples', 'reference-lab', 'platform.yaml'));
    assert.deepEqual(r.diagnostics, []);
    assert.ok(r.platform);
    const s = summarizePlatform(r.platform);
    assert.deepEqual(
      s.clusters.map((c) => [c.name, c.id, c.podCIDR, c.serviceCIDR, c.controlPlane.map((n) => n.address), c.workers.map((n) => n.address), c.loadBalancerIPs]),
      [
        ['k8s-cilium-01', 1, '10.1.0.0/16', '10.233.0.0/18', ['172.26.0.141'], ['172.26.0.142'], ['172.26.0.101', '172.26.0.102']],
        ['k8s-cilium-02', 2, '10.2.0.0/16', '10.233.0.0/18', ['172.26.0.145'], ['172.26.0.146'], ['172.26.0.105', '172.26.0.106']],
      ],
    );
    assert.deepEqual(s.clusters[0]!.loadBalancerServices, ['kube-system/cilium-ingress', 'kube-system/clustermesh-apiserver']);
    assert.equal(s.kubernetes.version, 'v1.30.4');
    assert.equal(s.cilium.version, '1.16.5');
    assert.equal(s.mesh.kvstoremesh, true);
  });

  for (const name of readdirSync(join(TEST_ROOT, 'fixtures', 'platforms-valid'))) {
    test(`${name} validates with no error (only the warnings it declares)`, () => {
      const file = join(TEST_ROOT, 'fixtures', 'platforms-valid', name);
      const r = validatePlatformFile(file);
      const declared = [...readFileSync(file, 'utf8').matchAll(/^# expect: warning ([A-Z_]+) (\d+:\d+)$/gm)].map((m) => `warning ${m[1]} ${m[2]}`);
      assert.deepEqual(r.diagnostics.map((d) => `${d.severity} ${d.code} ${d.start?.line}:${d.start?.column}`), declared);
      assert.ok(r.platform);
    });
  }

  test('defaults are applied where the file is silent', () => {
    const r = validatePlatformFile(join(TEST_ROOT, 'fixtures', 'platforms-valid', 'three-clusters.yaml'));
    const p = r.platform!;
    assert.equal(p.spec.kubernetes.provisioner, 'kubespray');
    assert.equal(p.spec.cilium.kubeProxyReplacement, true);
    assert.equal(p.spec.mesh.kvstoremesh, true);
    assert.equal(p.spec.mesh.maxConnectedClusters, 255);
    assert.equal(p.spec.clusters[0]!.serviceCIDR, '10.233.0.0/18');
    assert.equal(p.spec.clusters[0]!.podCIDRMaskSize, 24);
    assert.equal(p.spec.clusters[0]!.nodes[3]!.role, 'worker');
    // dedicated ingress: the shared cilium-ingress, one per Ingress, and the clustermesh-apiserver
    assert.deepEqual(summarizePlatform(p).clusters[0]!.loadBalancerServices, [
      'kube-system/cilium-ingress',
      'test-ingress/cilium-ingress-app-ilba-ingress',
      'kube-system/clustermesh-apiserver',
    ]);
    assert.equal(summarizePlatform(p).clusters[0]!.loadBalancerIPCount, 8);
  });

  test('the summary\'s Cilium line reads each fixture\'s choices, defaults filled in (hubble on, shared ingress, no encryption, VXLAN tunnel)', () => {
    const cilium = (name: string) => summarizePlatform(validatePlatformFile(join(TEST_ROOT, 'fixtures', 'platforms-valid', name)).platform!).cilium;
    // three-clusters.yaml: dedicated ingress, relay and UI, WireGuard, Geneve.
    assert.deepEqual(cilium('three-clusters.yaml'), { version: '1.16.5', kubeProxyReplacement: true, ingress: 'dedicated', hubble: 'on + relay + ui', encryption: 'wireguard', routing: 'tunnel (geneve)' });
    // nodeport-511.yaml: native routing, IPsec, the rest defaults.
    assert.deepEqual(cilium('nodeport-511.yaml'), { version: '1.16.5', kubeProxyReplacement: true, ingress: 'shared', hubble: 'on', encryption: 'ipsec', routing: 'native' });
    // ha-external-lb.yaml: no kube-proxy replacement, ingress off.
    assert.deepEqual(cilium('ha-external-lb.yaml'), { version: '1.16.5', kubeProxyReplacement: false, ingress: 'off', hubble: 'on', encryption: 'none', routing: 'tunnel (vxlan)' });
    const off = validatePlatformFile(join(TEST_ROOT, 'fixtures', 'platforms-valid', 'three-clusters.yaml')).platform!;
    off.spec.cilium.hubble = { enabled: false, relay: false, ui: false };
    assert.equal(summarizePlatform(off).cilium.hubble, 'off');
  });
});
