import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ciliumValues } from '../../src/render/index.js';
import { validatePlatformFile, type Platform } from '../../src/spec/index.js';
import { unknownChartKeys } from '../helpers/chart-keys.js';
import { REPO_ROOT, TEST_ROOT } from '../helpers/golden.js';

function load(file: string): Platform {
  const r = validatePlatformFile(file);
  assert.ok(r.platform, r.diagnostics.map((d) => d.message).join('\n'));
  return r.platform;
}

const LAB = load(join(REPO_ROOT, 'examples', 'reference-lab', 'platform.yaml'));
const FIXTURES = ['three-clusters.yaml', 'nodeport-511.yaml', 'single-cluster-no-mesh.yaml'].map((f) => load(join(TEST_ROOT, 'fixtures', 'platforms-valid', f)));

const get = (v: unknown, path: string): unknown => path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], v);

describe('Cilium values', () => {
  test('reference lab, cluster 1: name, id, pod CIDR, API server, pinned VIPs, peer', () => {
    const v = ciliumValues(LAB, LAB.spec.clusters[0]!);
    assert.deepEqual(get(v, 'cluster'), { name: 'k8s-cilium-01', id: 1 });
    assert.deepEqual(get(v, 'ipam'), { mode: 'cluster-pool', operator: { clusterPoolIPv4PodCIDRList: ['10.1.0.0/16'], clusterPoolIPv4MaskSize: 24 } });
    assert.equal(get(v, 'kubeProxyReplacement'), true);
    assert.equal(get(v, 'k8sServiceHost'), '172.26.0.141');
    assert.equal(get(v, 'k8sServicePort'), 6443);
    assert.equal(get(v, 'ingressController.loadbalancerMode'), 'shared');
    assert.deepEqual(get(v, 'ingressController.service.annotations'), { 'lbipam.cilium.io/ips': '172.26.0.101' });
    assert.equal(get(v, 'l2announcements.enabled'), true);
    assert.ok((get(v, 'k8sClientRateLimit.qps') as number) > 10, "raised above the chart's default of 10 QPS");
    assert.equal(get(v, 'clustermesh.useAPIServer'), true);
    assert.equal(get(v, 'clustermesh.apiserver.service.type'), 'LoadBalancer');
    assert.deepEqual(get(v, 'clustermesh.apiserver.service.annotations'), { 'lbipam.cilium.io/ips': '172.26.0.102' });
    assert.equal(get(v, 'clustermesh.apiserver.kvstoremesh.enabled'), true);
    assert.equal(get(v, 'clustermesh.apiserver.tls.auto.enabled'), false);
    assert.equal(get(v, 'clustermesh.config.enabled'), true);
    assert.deepEqual(get(v, 'clustermesh.config.clusters'), [{ name: 'k8s-cilium-02', ips: ['172.26.0.106'], port: 2379 }]);
    assert.equal(get(v, 'hubble.tls.auto.enabled'), false);
  });

  test('no secret material in the public values', () => {
    for (const p of [LAB, ...FIXTURES]) {
      for (const c of p.spec.clusters) {
        const text = JSON.stringify(ciliumValues(p, c));
        assert.doesNotMatch(text, /PRIVATE KEY|BEGIN CERTIFICATE|"cert"|"key"/);
      }
    }
  });

  test('NodePort apiserver under kube-proxy replacement: a distinct node port per cluster, peers on node addresses', () => {
    const p = FIXTURES[1]!;
    const [a, b] = p.spec.clusters.map((c) => ciliumValues(p, c));
    assert.notEqual(get(a, 'clustermesh.apiserver.service.nodePort'), get(b, 'clustermesh.apiserver.service.nodePort'));
    assert.deepEqual(get(a, 'clustermesh.config.clusters'), [{ name: 'dc-301', ips: ['172.31.0.10'], port: get(b, 'clustermesh.apiserver.service.nodePort') }]);
    assert.equal(get(a, 'routingMode'), 'native');
    assert.equal(get(a, 'ipv4NativeRoutingCIDR'), '10.0.0.0/8');
    assert.equal(get(a, 'clustermesh.maxConnectedClusters'), 511);
  });

  test('mesh off: no clustermesh-apiserver, no peers', () => {
    const p = FIXTURES[2]!;
    const v = ciliumValues(p, p.spec.clusters[0]!);
    assert.deepEqual(get(v, 'clustermesh'), { useAPIServer: false });
    assert.equal(get(v, 'l2announcements.enabled'), false, 'L2 announcements need kube-proxy replacement');
    assert.deepEqual(get(v, 'nodePort'), { enabled: true }, "the Ingress needs Cilium's NodePort without kube-proxy replacement");
  });

  test('every rendered key exists in the Cilium 1.16.5 chart, with the type its schema wants', () => {
    for (const p of [LAB, ...FIXTURES]) {
      for (const c of p.spec.clusters) assert.deepEqual(unknownChartKeys(ciliumValues(p, c)), [], `${p.metadata.name}/${c.name}`);
    }
  });

  test('the chart-key check does catch a key the chart lacks or a wrong type', () => {
    assert.deepEqual(unknownChartKeys({ clustermesh: { apiserver: { servise: { type: 'LoadBalancer' } } }, cluster: { id: '1' } }), [
      'clustermesh.apiserver.servise: not a key of the chart',
      'cluster.id: "1" is not integer',
    ]);
    assert.deepEqual(unknownChartKeys({ clustermesh: { config: { clusters: [{ name: 'x', adress: 'y' }] } } }), ['clustermesh.config.clusters[].adress: not a key of the chart']);
  });
});
