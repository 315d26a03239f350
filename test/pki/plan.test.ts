import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { certificatePlan, clustermeshApiserverIP, type CertRequest } from '../../src/pki/index.js';
import { meshEndpoint } from '../../src/model/index.js';
import { referenceLab, validFixture } from '../helpers/platforms.js';
import { withLoadBalancerIPs } from '../helpers/pki.js';

const byId = (plan: CertRequest[]) => new Map(plan.map((r) => [r.id, r]));

describe('certificatePlan: the reference lab', () => {
  const lab = referenceLab();
  const plan = byId(certificatePlan(lab));

  test('one mesh CA, ten years', () => {
    const ca = plan.get('ca')!;
    assert.equal(ca.kind, 'ca');
    assert.equal(ca.commonName, 'meshwright mesh CA cilium-lab');
    assert.equal(ca.lifetimeDays, 3650);
    assert.equal([...plan.values()].filter((r) => r.kind === 'ca').length, 1);
  });

  test('each cluster: server, admin, remote, local (KVStoreMesh) and Hubble server; no relay client (relay off)', () => {
    assert.deepEqual([...plan.keys()], [
      'ca',
      ...['k8s-cilium-01', 'k8s-cilium-02'].flatMap((c) => ['clustermesh-server', 'clustermesh-admin', 'clustermesh-remote', 'clustermesh-local', 'hubble-server'].map((n) => `${c}/${n}`)),
    ]);
    for (const r of plan.values()) if (r.kind === 'leaf') assert.equal(r.lifetimeDays, 1095, r.id);
  });

  test('clustermesh-apiserver server certificate names the pinned VIP of its own cluster', () => {
    for (const [cluster, vip] of [['k8s-cilium-01', '172.26.0.102'], ['k8s-cilium-02', '172.26.0.106']] as const) {
      const server = plan.get(`${cluster}/clustermesh-server`)!;
      assert.equal(server.commonName, 'clustermesh-apiserver.cilium.io');
      assert.deepEqual(server.dnsNames, ['clustermesh-apiserver.cilium.io', '*.mesh.cilium.io', 'clustermesh-apiserver.kube-system.svc']);
      assert.deepEqual(server.ipAddresses, ['127.0.0.1', '::1', vip]);
      assert.deepEqual(server.usages, ['server', 'client']);
    }
  });

  test('client certificates: admin-<cluster>, remote (authMode legacy), local-<cluster>', () => {
    const expect = (id: string, cn: string) => {
      const r = plan.get(id)!;
      assert.equal(r.commonName, cn, id);
      assert.deepEqual(r.usages, ['client'], id);
      assert.deepEqual([...r.dnsNames, ...r.ipAddresses], [], id);
    };
    expect('k8s-cilium-01/clustermesh-admin', 'admin-k8s-cilium-01');
    expect('k8s-cilium-02/clustermesh-remote', 'remote');
    expect('k8s-cilium-02/clustermesh-local', 'local-k8s-cilium-02');
  });

  test('Hubble server: Cilium\'s *.<cluster>.hubble-grpc.cilium.io, as CN and SAN', () => {
    const h = plan.get('k8s-cilium-02/hubble-server')!;
    assert.equal(h.commonName, '*.k8s-cilium-02.hubble-grpc.cilium.io');
    assert.deepEqual(h.dnsNames, ['*.k8s-cilium-02.hubble-grpc.cilium.io']);
    assert.deepEqual(h.usages, ['server', 'client']);
  });
});

describe('clustermeshApiserverIP', () => {
  const lab = referenceLab();

  test('reference lab: .102 and .106, the address after cilium-ingress\'s', () => {
    assert.equal(clustermeshApiserverIP(lab, lab.spec.clusters[0]!), '172.26.0.102');
    assert.equal(clustermeshApiserverIP(lab, lab.spec.clusters[1]!), '172.26.0.106');
  });

  test('is the address peers dial (spec meshEndpoint), so the certificate and the endpoint agree', () => {
    for (const c of lab.spec.clusters) assert.deepEqual(meshEndpoint(lab, c).addresses, [clustermeshApiserverIP(lab, c)]);
  });

  test('a range and a CIDR expand into addresses in order (dedicated ingress takes two before it)', () => {
    const p = validFixture('three-clusters.yaml');
    assert.deepEqual(p.spec.clusters.map((c) => clustermeshApiserverIP(p, c)), ['192.168.10.202', '192.168.11.202', '192.168.20.202']);
    const lab3 = validFixture('reference-lab-three-vips.yaml');
    assert.equal(clustermeshApiserverIP(lab3, lab3.spec.clusters[0]!), '172.26.0.102');
  });

  test('an exhausted pool leaves the VIP out (the Service would stay <pending>)', () => {
    const p = withLoadBalancerIPs(lab, 'k8s-cilium-01', ['172.26.0.101']);
    assert.equal(clustermeshApiserverIP(p, p.spec.clusters[0]!), undefined);
    assert.deepEqual(byId(certificatePlan(p)).get('k8s-cilium-01/clustermesh-server')!.ipAddresses, ['127.0.0.1', '::1']);
  });

  test('mesh off: no clustermesh-apiserver Service, so no VIP, though the service type says LoadBalancer', () => {
    const p = validFixture('single-cluster-no-mesh.yaml');
    assert.deepEqual([p.spec.mesh.enabled, p.spec.mesh.apiserverService, p.spec.clusters[0]!.loadBalancerIPs], [false, 'LoadBalancer', ['10.200.0.100']]);
    assert.equal(clustermeshApiserverIP(p, p.spec.clusters[0]!), undefined);
  });

  test('NodePort: no VIP, so none in the SANs', () => {
    const p = validFixture('nodeport-511.yaml');
    assert.equal(clustermeshApiserverIP(p, p.spec.clusters[0]!), undefined);
    assert.deepEqual(byId(certificatePlan(p)).get('dc-300/clustermesh-server')!.ipAddresses, ['127.0.0.1', '::1']);
  });
});

describe('certificatePlan: features change the set', () => {
  test('KVStoreMesh off: no local certificate', () => {
    const ids = certificatePlan(validFixture('nodeport-511.yaml')).map((r) => r.id);
    assert.ok(!ids.some((id) => id.endsWith('/clustermesh-local')), ids.join(' '));
  });

  test('Hubble Relay on: a relay client certificate *.hubble-relay.cilium.io per cluster', () => {
    const relay = certificatePlan(validFixture('three-clusters.yaml')).filter((r) => r.name === 'hubble-relay-client');
    assert.deepEqual(relay.map((r) => r.id), ['eu-west/hubble-relay-client', 'eu-central/hubble-relay-client', 'us-east/hubble-relay-client']);
    for (const r of relay) assert.deepEqual([r.commonName, r.usages], ['*.hubble-relay.cilium.io', ['client']]);
  });

  test('mesh off: no clustermesh certificates, Hubble\'s still', () => {
    assert.deepEqual(certificatePlan(validFixture('single-cluster-no-mesh.yaml')).map((r) => r.id), ['ca', 'default/hubble-server']);
  });

  test('Hubble off as well: the CA alone', () => {
    const p = structuredClone(validFixture('single-cluster-no-mesh.yaml'));
    p.spec.cilium.hubble.enabled = false;
    assert.deepEqual(certificatePlan(p).map((r) => r.id), ['ca']);
  });
});
