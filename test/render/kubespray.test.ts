import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { toCommentedYaml } from '../../src/render/commented-yaml.js';
import { renderKubespray } from '../../src/render/kubespray.js';
import type { Platform } from '../../src/spec/index.js';
import { assertGolden } from '../helpers/golden.js';
import { referenceLab, validFixture } from '../helpers/platforms.js';

const LAB = referenceLab();
const SECURE = { kubeletInsecureTls: false };

const file = (files: { path: string; content: string }[], suffix: string) => {
  const f = files.find((x) => x.path.endsWith(suffix));
  assert.ok(f, `no rendered file ending in ${suffix}: ${files.map((x) => x.path).join(', ')}`);
  return f;
};
const vars = (p: Platform, i: number, options = SECURE) => parse(file(renderKubespray(p, p.spec.clusters[i]!, options), 'k8s-cluster.yml').content) as Record<string, unknown>;
const inventory = (p: Platform, i: number) => parse(file(renderKubespray(p, p.spec.clusters[i]!, SECURE), 'hosts.yaml').content) as { all: { hosts: Record<string, unknown>; children: Record<string, { hosts?: Record<string, null> }> } };
const members = (inv: ReturnType<typeof inventory>, group: string) => Object.keys(inv.all.children[group]?.hosts ?? {});

describe('Kubespray inventory and group vars', () => {
  test('reference lab, k8s-cilium-01: golden hosts.yaml and k8s-cluster.yml', () => {
    const files = renderKubespray(LAB, LAB.spec.clusters[0]!, SECURE);
    assert.deepEqual(
      files.map((f) => [f.path, f.secret]),
      [
        ['k8s-cilium-01/kubespray/hosts.yaml', false],
        ['k8s-cilium-01/kubespray/group_vars/k8s_cluster/k8s-cluster.yml', false],
      ],
    );
    for (const f of files) assertGolden(`render/reference-lab/${f.path}`, f.content);
    assert.match(files[0]!.content, /^# Rendered by meshwright from platform cilium-lab; do not edit — change platform\.yaml and render again\.\n/);
  });

  test('the group vars Kubespray v2.26.0 needs for a Helm-installed Cilium', () => {
    const v = vars(LAB, 1);
    assert.equal(v.kube_version, 'v1.30.4');
    assert.equal(v.kube_network_plugin, 'cni', '`none` is refused by 2.26');
    assert.equal(v.kube_proxy_remove, true);
    assert.equal(v.kube_service_addresses, '10.233.0.0/18');
    assert.equal(v.kube_pods_subnet, '10.2.0.0/16');
    assert.equal(v.kube_network_node_prefix, 24);
    assert.equal(v.cluster_name, 'cluster.local', 'cluster_name is the DNS domain; the mesh name lives elsewhere');
    assert.equal(v.kubeconfig_localhost, true);
    assert.equal(v.kubelet_rotate_server_certificates, true);
    assert.equal(v.kubelet_csr_approver_enabled, false, 'installed after Cilium, not inside cluster.yml');
    assert.equal('kubelet_csr_approver_values' in v, false);
    assert.equal(v.kube_owner, 'root');
    assert.equal(v.loadbalancer_apiserver_localhost, true);
    assert.equal(v.loadbalancer_apiserver_type, 'nginx');
    assert.equal(v.loadbalancer_apiserver_port, 6443);
    assert.equal('loadbalancer_apiserver' in v, false);
  });

  test('without kube-proxy replacement Kubespray keeps kube-proxy', () => {
    const p = structuredClone(LAB);
    p.spec.cilium.kubeProxyReplacement = false;
    assert.equal('kube_proxy_remove' in vars(p, 0), false);
  });

  test('kubelet insecure TLS: no serving certificates to approve', () => {
    const v = vars(LAB, 0, { kubeletInsecureTls: true });
    assert.equal(v.kubelet_rotate_server_certificates, false);
    assert.equal('kubelet_csr_approver_enabled' in v, false, 'it defaults to the rotation, now off');
    const { kubelet_rotate_server_certificates: _a, ...rest } = v;
    const { kubelet_rotate_server_certificates: _c, kubelet_csr_approver_enabled: _d, ...secureRest } = vars(LAB, 0);
    assert.deepEqual(rest, secureRest, 'nothing else changes');
  });

  test('a cluster without workers runs workloads on its control plane; etcd on the control plane', () => {
    const p = validFixture('nodeport-511.yaml');
    const inv = inventory(p, 0);
    assert.deepEqual(members(inv, 'kube_control_plane'), ['dc300-cp']);
    assert.deepEqual(members(inv, 'kube_node'), ['dc300-cp']);
    assert.deepEqual(members(inv, 'etcd'), ['dc300-cp']);
  });

  test('three control-plane nodes: all in kube_control_plane and etcd, workers only in kube_node', () => {
    const inv = inventory(validFixture('three-clusters.yaml'), 0);
    assert.deepEqual(members(inv, 'kube_control_plane'), ['eu-west-cp1', 'eu-west-cp2', 'eu-west-cp3']);
    assert.deepEqual(members(inv, 'etcd'), ['eu-west-cp1', 'eu-west-cp2', 'eu-west-cp3']);
    assert.deepEqual(members(inv, 'kube_node'), ['eu-west-wk1', 'eu-west-wk2']);
    assert.deepEqual(inv.all.hosts['eu-west-wk2'], { ansible_host: '192.168.10.22', ip: '192.168.10.22', access_ip: '192.168.10.22' });
  });

  test('an external API load balancer replaces the localhost one (golden, with --kubelet-insecure-tls)', () => {
    const p = validFixture('ha-external-lb.yaml');
    const f = file(renderKubespray(p, p.spec.clusters[0]!, { kubeletInsecureTls: true }), 'k8s-cluster.yml');
    assertGolden(`render/ha-external-lb/${f.path}`, f.content);
    const v = vars(p, 0);
    assert.deepEqual(v.loadbalancer_apiserver, { address: '172.30.5.10', port: 8443 });
    assert.equal(v.loadbalancer_apiserver_localhost, false);
    assert.equal('loadbalancer_apiserver_port' in v, false);
    assert.equal('kube_proxy_remove' in v, false, 'kube-proxy stays without kube-proxy replacement');
  });

  test('pod CIDR and node prefix follow the cluster', () => {
    const v = vars(validFixture('three-clusters.yaml'), 2);
    assert.equal(v.kube_pods_subnet, '10.20.0.0/16');
    assert.equal(v.kube_network_node_prefix, 26);
    assert.equal(vars(validFixture('three-clusters.yaml'), 1).kube_service_addresses, '10.96.0.0/16');
  });
});

test('group vars with comments: each comment line above its key, a blank one as a bare "#" (no trailing space for yamllint)', () => {
  const text = toCommentedYaml([
    { key: 'kube_network_plugin', value: 'cni', comment: ['Cilium comes from its Helm chart.', '', 'Kubespray installs only the CNI plugins.'] },
    { key: 'kube_proxy_remove', value: true },
  ]);
  assert.equal(text, '# Cilium comes from its Helm chart.\n#\n# Kubespray installs only the CNI plugins.\nkube_network_plugin: cni\n\nkube_proxy_remove: true\n');
});
