import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { kubesprayGroups, renderKubespray } from '../../src/render/kubespray.js';
import type { ClusterSpec, Platform } from '../../src/spec/index.js';
import { referenceLab, validFixture } from '../helpers/platforms.js';

/** `ansible-inventory --list`: groups at the top level, every host's merged vars under _meta. */
interface InventoryJson {
  _meta: { hostvars: Record<string, Record<string, unknown>> };
  [group: string]: { hosts?: string[]; children?: string[] } | InventoryJson['_meta'];
}

let work: string;
before(() => {
  work = mkdtempSync(join(tmpdir(), 'meshwright-ansible-'));
});
after(() => rmSync(work, { recursive: true, force: true }));

/** Writes the rendered inventory as Kubespray would find it and has the real Ansible parse it. */
function ansibleInventory(platform: Platform, cluster: ClusterSpec): InventoryJson {
  const root = join(work, platform.metadata.name);
  for (const f of renderKubespray(platform, cluster, { kubeletInsecureTls: false })) {
    const path = join(root, f.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.content);
  }
  const home = join(work, 'home');
  mkdirSync(home, { recursive: true });
  const run = spawnSync('ansible-inventory', ['-i', join(root, cluster.name, 'kubespray', 'hosts.yaml'), '--list'], {
    cwd: work,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      ANSIBLE_LOCAL_TEMP: join(home, 'tmp'),
      // By default a broken inventory only warns and exits 0 with an implicit localhost.
      ANSIBLE_INVENTORY_UNPARSED_FAILED: 'true',
      ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED: 'true',
    },
  });
  if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') assert.fail('ansible-inventory is not on PATH: apt-get install ansible-core');
  assert.equal(run.status, 0, `ansible-inventory failed for ${cluster.name}:\n${run.stderr}`);
  return JSON.parse(run.stdout) as InventoryJson;
}

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
  ] as const) {
    test(`${label}: every cluster`, () => {
      const platform = load();
      for (const cluster of platform.spec.clusters) assertParsedLikeSpec(platform, cluster, ansibleInventory(platform, cluster));
    });
  }
});
