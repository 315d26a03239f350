import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { KUBESPRAY_LOCALHOST_LB, apiServerUrl, ciliumValues } from '../../src/render/index.js';
import { renderKubeconfigPlan } from '../../src/render/kubeconfig-plan.js';
import { KUBESPRAY_KUBERNETES, kubesprayInstalls, type ClusterSpec, type Platform } from '../../src/spec/index.js';
import { ansibleInventory, inventoryGroups, type InventoryJson } from '../helpers/ansible.js';
import { jinja, jinjaExpr } from '../helpers/jinja.js';
import { hostVars, kubesprayTask, kubesprayText, kubesprayYaml, roleDefaults, whenExpr } from '../helpers/kubespray-upstream.js';
import { referenceLab, validFixture } from '../helpers/platforms.js';

/**
 * The rendered group vars read by Kubespray v2.26.0's own defaults, tasks and templates
 * (vendored under test/fixtures/upstream/kubespray-v2.26.0), evaluated by Jinja2 against the
 * inventory as ansible-inventory parses it: each variable exists upstream, and the task that
 * consumes it sees the value meant.
 */
const LAB = referenceLab();
const defaults = roleDefaults();
const inventories = new Map<string, InventoryJson>();
function inventory(p: Platform, c: ClusterSpec): InventoryJson {
  const key = JSON.stringify([p.spec.kubernetes, c]);
  if (!inventories.has(key)) inventories.set(key, ansibleInventory(p, c));
  return inventories.get(key)!;
}
const hosts = (inv: InventoryJson) => Object.keys(inv._meta.hostvars);
const firstControlPlane = (inv: InventoryJson) => inventoryGroups(inv).kube_control_plane![0]!;

describe('kubelet-csr-approver: not installed by cluster.yml, serving certificates still requested', () => {
  test('upstream: the approver follows kubelet_rotate_server_certificates and is installed in the play before any CNI, with wait and atomic', () => {
    assert.equal(kubesprayYaml('roles/kubernetes-apps/kubelet-csr-approver/defaults/main.yml').kubelet_csr_approver_enabled, '{{ kubelet_rotate_server_certificates }}');
    const plays = kubesprayYaml<{ name: string; roles?: { role: string }[] }[]>('playbooks/cluster.yml');
    const play = plays.find((p) => p.roles?.some((r) => r.role === 'kubernetes-apps/kubelet-csr-approver'))!;
    assert.equal(play.name, 'Invoke kubeadm and install a CNI');
    const meta = kubesprayYaml('roles/kubernetes-apps/kubelet-csr-approver/meta/main.yml').dependencies[0];
    assert.equal(meta.role, 'helm-apps');
    assert.equal(meta.releases[0].wait, true);
    assert.equal(kubesprayYaml('roles/helm-apps/vars/main.yml').helm_defaults.atomic, true);
  });

  for (const [label, p] of [['reference lab', LAB], ['three-clusters.yaml', validFixture('three-clusters.yaml')]] as const) {
    test(`${label}: the approver role is skipped on every host; kubelets still get serverTLSBootstrap`, () => {
      const meta = kubesprayYaml('roles/kubernetes-apps/kubelet-csr-approver/meta/main.yml').dependencies[0];
      const kubelet = /{% if (kubelet_rotate_server_certificates \| bool) %}\nserverTLSBootstrap: true/.exec(kubesprayText('roles/kubernetes/node/templates/kubelet-config.v1beta1.yaml.j2'))![1]!;
      for (const c of p.spec.clusters) {
        const inv = inventory(p, c);
        for (const h of hosts(inv)) {
          const vars = hostVars(inv, h, defaults);
          assert.deepEqual(jinja(vars, [{ template: `{{ ${whenExpr(meta.when)} }}` }, { template: `{{ ${kubelet} }}` }]), [false, true], `${c.name}/${h}`);
        }
        // Without the rendered kubelet_csr_approver_enabled, the first control plane would install it: the trap is real.
        const cp = firstControlPlane(inv);
        const { kubelet_csr_approver_enabled: _dropped, ...rest } = inv._meta.hostvars[cp]!;
        const without = { ...inv, _meta: { hostvars: { ...inv._meta.hostvars, [cp]: rest } } } as InventoryJson;
        assert.equal(jinjaExpr(hostVars(without, cp, defaults), whenExpr(meta.when)), true);
      }
    });
  }

  test('upstream CI approves pending serving CSRs itself when rotation is on and the approver off', () => {
    const cases = kubesprayYaml<{ tasks: { name: string; when?: string[] }[] }[]>('tests/testcases/030_check-network.yml')[0]!.tasks;
    const approve = cases.find((t) => t.name === 'Approve kubelet serving certificates')!;
    const vars = hostVars(inventory(LAB, LAB.spec.clusters[0]!), 'k8s-cilium-01-cp', defaults);
    assert.equal(jinjaExpr(vars, whenExpr(approve.when)), true, 'the rendered vars are the configuration Kubespray tests as "approve by other means"');
  });
});

describe('kube_owner: root, so Cilium can write /opt/cni/bin', () => {
  test('the cni role creates /opt/cni/bin owned by root on every node', () => {
    const task = kubesprayTask('roles/network_plugin/cni/tasks/main.yml', 'CNI | make sure /opt/cni/bin exists') as { file: { path: string; owner: string } };
    assert.equal(task.file.path, '/opt/cni/bin');
    assert.equal(kubesprayYaml('roles/network_plugin/cni/defaults/main.yml').cni_bin_owner, '{{ kube_owner }}');
    assert.equal(defaults.kube_owner, 'kube', 'upstream default');
    const inv = inventory(LAB, LAB.spec.clusters[0]!);
    for (const h of hosts(inv)) assert.equal(jinjaExpr(hostVars(inv, h, defaults), task.file.owner.replace(/^{{\s*|\s*}}$/g, '')), 'root', h);
  });
});

describe('one API endpoint every node reaches', () => {
  const localhost: [string, Platform][] = [
    ['reference lab', LAB],
    ['three-clusters.yaml (three control planes)', validFixture('three-clusters.yaml')],
    ['ipsec-relay.yaml (a worker listed first, a single-node cluster)', validFixture('ipsec-relay.yaml')],
  ];
  for (const [label, p] of localhost) {
    test(`${label}: Cilium's 127.0.0.1:6443 is nginx-proxy on workers and the API server itself on control planes`, () => {
      const nginx = kubesprayTask('roles/kubernetes/node/tasks/main.yml', 'Install nginx-proxy');
      const conf = kubesprayText('roles/kubernetes/node/templates/loadbalancer/nginx.conf.j2');
      for (const c of p.spec.clusters) {
        const v = ciliumValues(p, c);
        assert.deepEqual([v.k8sServiceHost, v.k8sServicePort], [KUBESPRAY_LOCALHOST_LB.host, KUBESPRAY_LOCALHOST_LB.port]);
        const inv = inventory(p, c);
        const planes = c.nodes.filter((n) => n.role === 'control-plane').map((n) => `server ${n.address}:6443;`);
        for (const h of hosts(inv)) {
          const vars = hostVars(inv, h, defaults);
          const [installed, bind, port, isMaster] = jinja(vars, [{ template: `{{ ${whenExpr(nginx.when)} }}` }, { template: '{{ kube_apiserver_bind_address }}' }, { template: '{{ kube_apiserver_port }}' }, { template: '{{ is_kube_master }}' }]);
          if (installed) {
            const text = jinja(vars, [{ template: conf, native: false }])[0] as string;
            assert.match(text, new RegExp(`listen\\s+127\\.0\\.0\\.1:${v.k8sServicePort};`), h);
            assert.deepEqual(text.match(/server [\d.]+:\d+;/g), planes, `${h}: nginx-proxy forwards to every control plane`);
          } else {
            assert.equal(isMaster, true, `${h}: no nginx-proxy, so it must be a control plane`);
            assert.deepEqual([bind, port], ['0.0.0.0', v.k8sServicePort], `${h}: the API server answers on every address`);
          }
        }
        // 127.0.0.1 is in the API server certificate (kubeadm-setup.yml sans_base).
        const sans = (kubesprayTask('roles/kubernetes/control-plane/tasks/kubeadm-setup.yml', 'Kubeadm | aggregate all SANs') as { vars: { sans_base: string[] } }).vars.sans_base;
        assert.ok(sans.includes(KUBESPRAY_LOCALHOST_LB.host));
      }
    });
  }

  test('ha-external-lb.yaml: Cilium, kubeadm, the certificate and the kubeconfig all use the declared load balancer', () => {
    const p = validFixture('ha-external-lb.yaml');
    const c = p.spec.clusters[0]!;
    const v = ciliumValues(p, c);
    assert.deepEqual([v.k8sServiceHost, v.k8sServicePort], ['172.30.5.10', 8443]);
    const inv = inventory(p, c);
    const nginx = kubesprayTask('roles/kubernetes/node/tasks/main.yml', 'Install nginx-proxy');
    const sansLb = (kubesprayTask('roles/kubernetes/control-plane/tasks/kubeadm-setup.yml', 'Kubeadm | aggregate all SANs') as { vars: { sans_lb_ip: string } }).vars.sans_lb_ip;
    for (const h of hosts(inv)) {
      const vars = hostVars(inv, h, defaults);
      const [installed, endpoint, sans] = jinja(vars, [{ template: `{{ ${whenExpr(nginx.when)} }}` }, { template: '{{ kube_apiserver_global_endpoint }}' }, { template: sansLb }]);
      assert.equal(installed, false, h);
      assert.equal(endpoint, 'https://lb-apiserver.kubernetes.local:8443', h);
      assert.deepEqual(sans, ['172.30.5.10'], h);
    }
    assertKubeconfigServer(p, c, inv);
  });

  test('reference lab: the kubeconfig plan names the server Kubespray writes into artifacts/admin.conf', () => {
    for (const c of LAB.spec.clusters) assertKubeconfigServer(LAB, c, inventory(LAB, c));
  });

  test('a worker listed first: the kubeconfig still points at the control plane (Kubespray\'s run-once host)', () => {
    const p = validFixture('ipsec-relay.yaml');
    const c = p.spec.clusters[0]!;
    assert.equal(c.nodes[0]!.role, 'worker');
    assert.equal(apiServerUrl(c), 'https://10.7.0.11:6443');
    assertKubeconfigServer(p, c, inventory(p, c));
  });
});

/** client/tasks/main.yml sets external_apiserver_address/port on the run-once host (the first control plane). */
function assertKubeconfigServer(p: Platform, c: ClusterSpec, inv: InventoryJson): void {
  const task = kubesprayTask('roles/kubernetes/client/tasks/main.yml', 'Set external kube-apiserver endpoint') as { set_fact: { external_apiserver_address: string; external_apiserver_port: string } };
  const vars = hostVars(inv, firstControlPlane(inv), defaults);
  const [address, port] = jinja(vars, [{ template: task.set_fact.external_apiserver_address }, { template: task.set_fact.external_apiserver_port }]);
  const plan = parse(renderKubeconfigPlan(p).content) as { clusters: { context: string; server: string }[] };
  assert.equal(plan.clusters.find((e) => e.context === c.name)!.server, `https://${address}:${port}`);
}

describe('Kubernetes versions Kubespray v2.26.0 installs', () => {
  test('exactly the releases with kubelet, kubeadm and kubectl checksums for every architecture, at or above kube_version_min_required', () => {
    const sums = kubesprayYaml<Record<string, Record<string, Record<string, unknown>>>>('roles/kubespray-defaults/defaults/main/checksums.yml');
    const tables = ['kubelet_checksums', 'kubeadm_checksums', 'kubectl_checksums'].flatMap((t) => Object.values(sums[t]!));
    const common = Object.keys(tables[0]!).filter((v) => tables.every((table) => v in table));
    const assertTask = kubesprayTask('roles/kubernetes/preinstall/tasks/0040-verify-settings.yml', 'Stop if unsupported version of Kubernetes') as { assert: { that: string } };
    const accepted = common.filter((v) => jinjaExpr({ ...defaults, kube_version: v }, assertTask.assert.that) === true).sort();
    const candidates = ['1.27', '1.28', '1.29', '1.30', '1.31'].flatMap((m) => Array.from({ length: 16 }, (_, i) => `v${m}.${i}`));
    assert.deepEqual(candidates.filter(kubesprayInstalls).sort(), accepted);
    assert.deepEqual(Object.keys(KUBESPRAY_KUBERNETES), ['1.28', '1.29', '1.30']);
    assert.equal(defaults.kube_version, 'v1.30.4', 'the default the reference lab uses is inside');
  });

  test('an even number of etcd members fails preinstall, as ETCD_EVEN_MEMBERS says', () => {
    const task = kubesprayTask('roles/kubernetes/preinstall/tasks/0040-verify-settings.yml', 'Stop if even number of etcd hosts') as { assert: { that: string } };
    const even = structuredClone(LAB);
    even.spec.clusters[0]!.nodes[1]!.role = 'control-plane';
    assert.equal(jinjaExpr(hostVars(inventory(even, even.spec.clusters[0]!), 'k8s-cilium-01-cp', defaults), task.assert.that), false);
    assert.equal(jinjaExpr(hostVars(inventory(LAB, LAB.spec.clusters[0]!), 'k8s-cilium-01-cp', defaults), task.assert.that), true);
  });
});
