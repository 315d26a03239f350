/**
 * What a platform asks of the networks between its clusters and of its address pools, from the
 * fixtures in test/fixtures/platforms-valid, expected by hand from Cilium 1.16's documentation:
 * - firewall rules (Documentation/operations/system_requirements.rst "Firewall Rules"): 4240/TCP
 *   cilium-health, 8472/UDP VXLAN, 6081/UDP Geneve, 51871/UDP WireGuard, ESP for IPsec; the
 *   clustermesh-apiserver listens on 2379 (templates/clustermesh-apiserver/service.yaml), a
 *   NodePort one on 32379 (values.yaml) — per cluster under kube-proxy replacement
 *   (cilium/cilium#24692), meshwright's choice being 32000 + cluster id;
 * - identities (pkg/identity/numericidentity.go): the cluster id above the 16 bits of local
 *   identities (15 bits with maxConnectedClusters 511);
 * - cluster-pool IPAM (Documentation/network/concepts/ipam/cluster-pool.rst): each node gets the
 *   next /clusterPoolIPv4MaskSize slice of the pod CIDR.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { clusterIpam, clustermeshNodePort, identityRange, impliedLoadBalancers, meshEndpoint, networkPlan, pinnedLoadBalancerIPs } from '../../src/model/index.js';
import { firstAddresses } from '../../src/model/pinned-ips.js';
import type { Platform } from '../../src/spec/index.js';
import { platformFromText, referenceLab, validFixture } from '../helpers/platforms.js';

const fixture = (name: string): Platform => validFixture(`${name}.yaml`);

const HEALTH = { from: 'every node', to: 'every node of the other clusters', port: '4240', protocol: 'TCP', purpose: 'cilium-health' };
const ETCD = 'clustermesh-apiserver (etcd, mutual TLS)';

describe('network requirements between the clusters', () => {
  test('three sites, WireGuard over Geneve, LoadBalancer clustermesh-apiservers with KVStoreMesh', () => {
    const n = networkPlan(fixture('three-clusters'));
    assert.equal(n.routingMode, 'tunnel (geneve)');
    assert.deepEqual(n.requirements, [
      ...['eu-west', 'eu-central', 'us-east'].map((c) => ({ from: 'KVStoreMesh (clustermesh-apiserver pods) of the other clusters', to: `clustermesh-apiserver VIP of ${c}`, port: '2379', protocol: 'TCP', purpose: ETCD })),
      HEALTH,
      { from: 'every node', to: 'every node of the other clusters', port: '6081', protocol: 'UDP', purpose: 'Geneve tunnel (pod-to-pod across clusters)' },
      { from: 'every node', to: 'every node of the other clusters', port: '51871', protocol: 'UDP', purpose: 'WireGuard encryption' },
    ]);
    assert.deepEqual(n.caveats, []);
  });

  test('two sites with IPsec over VXLAN: ESP between every node, the same key everywhere', () => {
    const n = networkPlan(fixture('ipsec-relay'));
    assert.deepEqual(n.requirements.slice(2), [
      HEALTH,
      { from: 'every node', to: 'every node of the other clusters', port: '8472', protocol: 'UDP', purpose: 'VXLAN tunnel (pod-to-pod across clusters)' },
      { from: 'every node', to: 'every node of the other clusters', port: '-', protocol: 'ESP', purpose: 'IPsec encryption (IP protocol 50); every cluster needs the same IPsec key' },
    ]);
    assert.equal(n.routingMode, 'tunnel (vxlan)');
  });

  test('native routing, NodePort clustermesh-apiservers, no KVStoreMesh: agents dial node ports 32300 and 32301', () => {
    const n = networkPlan(fixture('nodeport-511'));
    assert.equal(n.routingMode, 'native');
    assert.deepEqual(n.requirements.slice(0, 2), [
      { from: 'every node (cilium agents) of the other clusters', to: 'nodes of dc-300', port: '32300', protocol: 'TCP', purpose: ETCD },
      { from: 'every node (cilium agents) of the other clusters', to: 'nodes of dc-301', port: '32301', protocol: 'TCP', purpose: ETCD },
    ]);
    assert.deepEqual(n.requirements.slice(2).map((r) => `${r.port}/${r.protocol}`), ['4240/TCP', '-/ESP']);
    assert.deepEqual(n.caveats, [
      'native routing: every node needs routes to the pod CIDRs of every cluster (10.0.0.0/8)',
      'NodePort clustermesh-apiserver under kube-proxy replacement: each cluster needs its own node port, or traffic to a remote node port is answered locally (cilium/cilium#24692); meshwright gives cluster N port 32000+N',
      'NodePort clustermesh-apiserver: peers are reached on node addresses, which break when nodes are removed',
    ]);
  });

  test('without kube-proxy replacement: the shared NodePort 32379, and global services reach only local backends from host-network clients', () => {
    const text = `apiVersion: meshwright/v1alpha1
kind: Platform
metadata: {name: branch-offices}
spec:
  kubernetes: {version: v1.30.4}
  cilium: {version: 1.16.5, kubeProxyReplacement: false}
  mesh: {apiserverService: NodePort}
  clusters:
    - name: office-a
      id: 11
      podCIDR: 10.11.0.0/16
      nodes: [{name: office-a-cp, address: 172.27.1.10, role: control-plane}]
      loadBalancerIPs: [172.27.1.100]
    - name: office-b
      id: 12
      podCIDR: 10.12.0.0/16
      nodes: [{name: office-b-cp, address: 172.27.2.10, role: control-plane}]
      loadBalancerIPs: [172.27.2.100]
`;
    const n = networkPlan(platformFromText(text));
    assert.deepEqual(n.requirements.slice(0, 2).map((x) => [x.to, x.port]), [['nodes of office-a', '32379'], ['nodes of office-b', '32379']]);
    assert.deepEqual(n.caveats, [
      'NodePort clustermesh-apiserver: peers are reached on node addresses, which break when nodes are removed',
      'without kube-proxy replacement, host-network clients and NodePort access reach only local backends of a global service (Cilium docs; socketLB.hostNamespaceOnly is the workaround)',
    ]);
  });

  test('no mesh, or a mesh of one cluster: nothing to open between clusters', () => {
    for (const name of ['mesh-off-two-clusters', 'single-cluster-no-mesh']) {
      const n = networkPlan(fixture(name));
      assert.deepEqual([n.requirements, n.caveats], [[], []], name);
    }
  });

  test('a mesh of one cluster (the first site of a mesh to come): no peer to open anything to', () => {
    const text = `apiVersion: meshwright/v1alpha1
kind: Platform
metadata: {name: first-site}
spec:
  kubernetes: {version: v1.30.4}
  cilium: {version: 1.16.5, kubeProxyReplacement: false, routingMode: native, nativeRoutingCIDR: 10.0.0.0/8}
  mesh: {enabled: true, apiserverService: NodePort}
  clusters:
    - name: site-1
      id: 1
      podCIDR: 10.1.0.0/16
      nodes: [{name: site-1-cp, address: 192.168.1.10, role: control-plane}]
      loadBalancerIPs: [192.168.1.100]
`;
    const n = networkPlan(platformFromText(text));
    assert.deepEqual([n.routingMode, n.requirements, n.caveats], ['native', [], []]);
  });
});

describe('where peers reach a clustermesh-apiserver', () => {
  test('LoadBalancer: its pinned VIP on 2379, after the ingress\'s (.101 then .102 in the reference lab)', () => {
    const lab = referenceLab();
    assert.deepEqual(lab.spec.clusters.map((c) => meshEndpoint(lab, c)), [
      { cluster: 'k8s-cilium-01', addresses: ['172.26.0.102'], port: 2379 },
      { cluster: 'k8s-cilium-02', addresses: ['172.26.0.106'], port: 2379 },
    ]);
  });

  test('NodePort: every node of the cluster, on 32000 + id under kube-proxy replacement', () => {
    const p = fixture('no-ingress-nodeport-mesh');
    assert.deepEqual(meshEndpoint(p, p.spec.clusters[1]!), { cluster: 'office-b', addresses: ['172.27.2.10', '172.27.2.11'], port: 32012 });
    assert.equal(clustermeshNodePort({ kubeProxyReplacement: false }, { id: 12 }), 32379);
  });

  test('a pool too small for the platform\'s own Services: the clustermesh-apiserver has no address yet', () => {
    const mesh = { enabled: true, apiserverService: 'LoadBalancer' as const };
    assert.deepEqual(pinnedLoadBalancerIPs({ ingress: { enabled: true, mode: 'shared' } }, mesh, { loadBalancerIPs: ['10.0.0.5'] }).map((p) => [p.service.name, p.ip]), [['cilium-ingress', '10.0.0.5'], ['clustermesh-apiserver', undefined]]);
  });
});

describe('the platform\'s own LoadBalancer Services, in creation order', () => {
  const lb = { enabled: true, apiserverService: 'LoadBalancer' as const };
  test('shared ingress, then the clustermesh-apiserver', () => {
    assert.deepEqual(impliedLoadBalancers({ ingress: { enabled: true, mode: 'shared' } }, lb, { ingressHost: 'shop.example.com' }).map((s) => `${s.namespace}/${s.name}`), ['kube-system/cilium-ingress', 'kube-system/clustermesh-apiserver']);
  });

  test('dedicated ingress with a host: the test app\'s own cilium-ingress-app-ilba-ingress comes second; without a host it is not deployed', () => {
    assert.deepEqual(impliedLoadBalancers({ ingress: { enabled: true, mode: 'dedicated' } }, lb, { ingressHost: 'shop.example.com' }).map((s) => `${s.namespace}/${s.name}`), ['kube-system/cilium-ingress', 'test-ingress/cilium-ingress-app-ilba-ingress', 'kube-system/clustermesh-apiserver']);
    assert.deepEqual(impliedLoadBalancers({ ingress: { enabled: true, mode: 'dedicated' } }, lb, {}).map((s) => s.name), ['cilium-ingress', 'clustermesh-apiserver']);
  });

  test('no ingress controller and a NodePort (or no) mesh: none', () => {
    assert.deepEqual(impliedLoadBalancers({ ingress: { enabled: false, mode: 'shared' } }, { enabled: true, apiserverService: 'NodePort' }, {}), []);
    assert.deepEqual(impliedLoadBalancers({ ingress: { enabled: false, mode: 'shared' } }, { enabled: false, apiserverService: 'LoadBalancer' }, {}), []);
  });

  test('the first addresses of the pool, block after block, without expanding a whole CIDR', () => {
    assert.deepEqual(firstAddresses(['192.168.10.200/29'], 3), ['192.168.10.200', '192.168.10.201', '192.168.10.202']);
    assert.deepEqual(firstAddresses(['10.0.0.7', '10.0.1.0/24'], 3), ['10.0.0.7', '10.0.1.0', '10.0.1.1']);
    assert.deepEqual(firstAddresses(['10.0.0.0/8'], 0), []);
  });
});

describe('identities per cluster', () => {
  test('255 clusters: 65,536 identities each, cluster 1 from 65536, cluster 255 up to 16777215', () => {
    assert.deepEqual(identityRange(1, 255), { first: 65536, last: 131071, size: 65536 });
    assert.deepEqual(identityRange(255, 255), { first: 16711680, last: 16777215, size: 65536 });
  });

  test('511 clusters: 32,768 each', () => {
    assert.deepEqual(identityRange(1, 511), { first: 32768, last: 65535, size: 32768 });
    assert.deepEqual(identityRange(511, 511), { first: 16744448, last: 16777215, size: 32768 });
  });

  test('cluster id 0 (no mesh): local identities start at 256, after the reserved ones', () => {
    assert.deepEqual(identityRange(0, 255), { first: 256, last: 65535, size: 65280 });
  });
});

describe('cluster-pool IPAM', () => {
  test('a /16 cut in /26 slices: 1024 of them, 60 pod addresses each, in node order', () => {
    const ipam = clusterIpam({ podCIDR: '10.20.0.0/16', podCIDRMaskSize: 26, nodes: [{ name: 'us-east-cp1', role: 'control-plane' }, { name: 'us-east-wk1', role: 'worker' }, { name: 'us-east-wk2', role: 'worker' }] as never });
    assert.deepEqual(ipam, {
      podCIDR: '10.20.0.0/16',
      maskSize: 26,
      slices: 1024,
      nodes: [
        { node: 'us-east-cp1', role: 'control-plane', podCIDR: '10.20.0.0/26', podIPs: 60 },
        { node: 'us-east-wk1', role: 'worker', podCIDR: '10.20.0.64/26', podIPs: 60 },
        { node: 'us-east-wk2', role: 'worker', podCIDR: '10.20.0.128/26', podIPs: 60 },
      ],
      freeSlices: 1021,
    });
  });

  test('more nodes than slices: the last node gets none, no slice is left', () => {
    const ipam = clusterIpam({ podCIDR: '10.9.0.0/23', podCIDRMaskSize: 24, nodes: [{ name: 'a', role: 'control-plane' }, { name: 'b', role: 'worker' }, { name: 'c', role: 'worker' }] as never });
    assert.deepEqual([ipam.slices, ipam.nodes.map((n) => n.podCIDR), ipam.freeSlices], [2, ['10.9.0.0/24', '10.9.1.0/24'], 0]);
  });
});
