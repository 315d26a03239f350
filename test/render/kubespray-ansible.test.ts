import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { kubesprayGroups } from '../../src/render/kubespray.js';
import type { ClusterSpec, Platform } from '../../src/spec/index.js';
import { ansibleInventory, type InventoryJson } from '../helpers/ansible.js';
import { referenceLab, validFixture } from '../helpers/platforms.js';

const group = (inv: InventoryJson, name: string) => (inv[name] ?? {}) as { hosts?: string[]; children?: string[] };

/** What any rendered inventory must say, read back from Ansible's own parse. */
function assertParsedLikeSpec(platform: Platform, cluster: ClusterSpec, inv: InventoryJson): void {
  const { controlPlane, workers } = kubesprayGroups(cluster);
  assert.deepEqual(group(inv, 'kube_control_plane').hosts, controlPlane.map((n) => n.name));
  assert.deepEqual(group(inv, 'etcd').hosts, controlPlane.map((n) => n.name));
  assert.deepEqual(group(inv, 'kube_node').hosts, workers.map((n) => n.name));
  // --list leaves out the empty calico_rr group's entry but keeps it as a child.
  assert.deepEqual(group(inv, 'k8s_cluster').children, ['kube_control_plane', 'kube_node', 'calico_rr']);
  assert.deepEqual(Object.keys(inv._meta.hostvars).sort(), cluster.nodes.map((n) => n.name).sort());
  for (const node of cluster.nodes) {
    const hv = inv._meta.hostvars[node.name]!;
    assert.equal(hv.ansible_host, node.address);
    assert.equal(hv.ip, node.address);
    assert.equal(hv.access_ip, node.address);
    // group_vars/k8s_cluster/*.yml folded into every host.
    assert.equal(hv.kube_network_plugin, 'cni', node.name);
    assert.equal(hv.kube_version, platform.spec.kubernetes.version, node.name);
    assert.equal(hv.kube_pods_subnet, cluster.podCIDR, node.name);
    assert.equal(hv.cluster_name, 'cluster.local', node.name);
    assert.equal(hv.kube_owner, 'root', node.name);
    assert.equal(hv.kubelet_csr_approver_enabled, false, node.name);
    if (cluster.apiServerLoadBalancer) {
      assert.deepEqual(hv.loadbalancer_apiserver, { address: cluster.apiServerLoadBalancer.address, port: cluster.apiServerLoadBalancer.port }, node.name);
      assert.equal(hv.loadbalancer_apiserver_localhost, false, node.name);
    } else {
      assert.equal(hv.loadbalancer_apiserver_localhost, true, node.name);
      assert.equal(hv.loadbalancer_apiserver_port, 6443, node.name);
    }
  }
}

describe('ansible-inventory parses every rendered inventory', () => {
  test('reference lab, k8s-cilium-01: the notebook\'s groups, hosts and vars', () => {
    const lab = referenceLab();
    const inv = ansibleInventory(lab, lab.spec.clusters[0]!);
    assert.deepEqual(group(inv, 'kube_control_plane').hosts, ['k8s-cilium-01-cp']);
    assert.deepEqual(group(inv, 'kube_node').hosts, ['k8s-cilium-01-wk01']);
    assert.deepEqual(group(inv, 'etcd').hosts, ['k8s-cilium-01-cp']);
    assert.deepEqual(group(inv, 'k8s_cluster').children, ['kube_control_plane', 'kube_node', 'calico_rr']);
    assert.deepEqual(
      { ip: inv._meta.hostvars['k8s-cilium-01-wk01']!.ip, access_ip: inv._meta.hostvars['k8s-cilium-01-wk01']!.access_ip, ansible_host: inv._meta.hostvars['k8s-cilium-01-wk01']!.ansible_host },
      { ip: '172.26.0.142', access_ip: '172.26.0.142', ansible_host: '172.26.0.142' },
    );
    for (const host of ['k8s-cilium-01-cp', 'k8s-cilium-01-wk01']) {
      assert.equal(inv._meta.hostvars[host]!.kube_network_plugin, 'cni');
      assert.equal(inv._meta.hostvars[host]!.kube_version, 'v1.30.4');
      assert.equal(inv._meta.hostvars[host]!.kube_proxy_remove, true);
    }
  });

  for (const [label, load] of [
    ['reference lab', referenceLab],
    ['three-clusters.yaml', () => validFixture('three-clusters.yaml')],
    ['nodeport-511.yaml (control plane only)', () => validFixture('nodeport-511.yaml')],
    ['ha-external-lb.yaml (external API load balancer)', () => validFixture('ha-external-lb.yaml')],
    ['ipsec-relay.yaml (a worker listed first, a single-node cluster)', () => validFixture('ipsec-relay.yaml')],
  ] as const) {
    test(`${label}: every cluster`, () => {
      const platform = load();
      for (const cluster of platform.spec.clusters) assertParsedLikeSpec(platform, cluster, ansibleInventory(platform, cluster));
    });
  }
});
