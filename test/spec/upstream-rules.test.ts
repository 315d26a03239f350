import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseDocument } from 'yaml';
import { ciliumChartSupport, KUBESPRAY_KUBERNETES, kubesprayInstalls, validatePlatformText } from '../../src/spec/index.js';
import { REPO_ROOT } from '../helpers/golden.js';
import { kubesprayYaml } from '../helpers/kubespray-upstream.js';

const LAB = readFileSync(join(REPO_ROOT, 'examples', 'reference-lab', 'platform.yaml'), 'utf8');
function labWith(edits: [path: (string | number)[], value: unknown][]): string {
  const doc = parseDocument(LAB);
  for (const [path, value] of edits) doc.setIn(path, value);
  return doc.toString();
}
const findings = (text: string) => validatePlatformText('p.yaml', text).diagnostics.map((d) => `${d.severity} ${d.code}`);

describe('Kubernetes releases Kubespray v2.26.0 installs', () => {
  test('the table is the newest patch per minor in its checksums.yml, from v1.28.0 (kube_version_min_required)', () => {
    const kubelet = kubesprayYaml<{ kubelet_checksums: { amd64: Record<string, string> } }>('roles/kubespray-defaults/defaults/main/checksums.yml').kubelet_checksums.amd64;
    const newest: Record<string, number> = {};
    for (const v of Object.keys(kubelet)) {
      const [, minor, patch] = /^v(\d+\.\d+)\.(\d+)$/.exec(v)!;
      newest[minor!] = Math.max(newest[minor!] ?? 0, Number(patch));
    }
    assert.deepEqual({ ...KUBESPRAY_KUBERNETES }, newest);
    assert.equal(kubesprayYaml('roles/kubespray-defaults/defaults/main/main.yml').kube_version_min_required, 'v1.28.0');
  });

  test('boundaries, and anything that is not vMAJOR.MINOR.PATCH', () => {
    const yes = ['v1.28.0', 'v1.28.12', 'v1.29.0', 'v1.29.7', 'v1.30.0', 'v1.30.4'];
    const no = ['v1.27.16', 'v1.28.13', 'v1.29.8', 'v1.30.5', 'v1.31.0', 'v2.30.4', '1.30.4', 'v1.30.4-rc.0', 'xv1.30.4', 'v1.30', 'v1.3.4', 'v11.30.4'];
    assert.deepEqual(yes.map(kubesprayInstalls), yes.map(() => true));
    assert.deepEqual(no.map(kubesprayInstalls), no.map(() => false));
  });

  test('validate: an error with Kubespray, nothing for an existing cluster', () => {
    assert.deepEqual(findings(labWith([[['spec', 'kubernetes', 'version'], 'v1.29.8']])), ['error KUBERNETES_VERSION_UNSUPPORTED']);
    assert.deepEqual(findings(labWith([[['spec', 'kubernetes', 'version'], 'v1.29.8'], [['spec', 'kubernetes', 'provisioner'], 'existing']])), []);
  });
});

describe('Cilium chart versions', () => {
  test('1.16.5 is the one checked; other 1.16 patches are untested; other minors unknown', () => {
    assert.deepEqual(['1.16.5', '1.16.0', '1.16.19', '1.16.5-rc.1', '1.17.0', '1.15.12', '11.16.5', '1.1.16'].map(ciliumChartSupport), ['tested', 'untested-patch', 'untested-patch', 'untested-patch', 'unknown', 'unknown', 'unknown', 'unknown']);
  });
});

describe('network rules: when they stay quiet', () => {
  test('a VIP outside nodeNetwork is not an L2 matter without kube-proxy replacement (no L2 announcements)', () => {
    const text = labWith([[['spec', 'clusters', 0, 'nodeNetwork'], '172.26.0.0/24'], [['spec', 'clusters', 0, 'loadBalancerIPs', 1], '172.26.9.102'], [['spec', 'cilium', 'kubeProxyReplacement'], false]]);
    assert.deepEqual(findings(text), ['warning VIPS_NOT_ANNOUNCED']);
  });

  test('a VIP range that runs past the end of nodeNetwork is outside it', () => {
    const text = labWith([[['spec', 'clusters', 0, 'nodeNetwork'], '172.26.0.0/24'], [['spec', 'clusters', 0, 'loadBalancerIPs'], ['172.26.0.250-172.26.1.5']]]);
    assert.deepEqual(findings(text), ['warning VIP_OUTSIDE_NODE_NETWORK']);
    const inside = labWith([[['spec', 'clusters', 0, 'nodeNetwork'], '172.26.0.0/24'], [['spec', 'clusters', 0, 'loadBalancerIPs'], ['172.26.0.112/29']]]);
    assert.deepEqual(findings(inside), []);
  });

  test('a node in another cluster\'s service CIDR is not its own cluster\'s problem', () => {
    const text = labWith([[['spec', 'clusters', 1, 'serviceCIDR'], '172.26.0.128/28'], [['spec', 'clusters', 1, 'nodes', 0, 'address'], '172.26.0.165'], [['spec', 'clusters', 1, 'nodes', 1, 'address'], '172.26.0.166']]);
    assert.deepEqual(findings(text), []);
  });

  test('tunnelProtocol left at its default with native routing says nothing', () => {
    const text = labWith([[['spec', 'cilium', 'routingMode'], 'native'], [['spec', 'cilium', 'nativeRoutingCIDR'], '10.0.0.0/8']]);
    assert.deepEqual(findings(text), []);
  });
});

describe('control planes', () => {
  const twoPlanes: [(string | number)[], unknown][] = [[['spec', 'clusters', 0, 'nodes', 1, 'role'], 'control-plane']];
  test('two control planes: an error with Kubespray, a warning for an existing cluster (with API_SERVER_SINGLE_CONTROL_PLANE)', () => {
    assert.deepEqual(findings(labWith(twoPlanes)), ['error ETCD_EVEN_MEMBERS']);
    assert.deepEqual(findings(labWith([...twoPlanes, [['spec', 'kubernetes', 'provisioner'], 'existing']])), ['warning ETCD_EVEN_MEMBERS', 'warning API_SERVER_SINGLE_CONTROL_PLANE']);
    assert.deepEqual(findings(labWith([...twoPlanes, [['spec', 'kubernetes', 'provisioner'], 'existing'], [['spec', 'clusters', 0, 'apiServerLoadBalancer'], { address: '172.26.0.140' }]])), ['warning ETCD_EVEN_MEMBERS']);
  });

  test('one control plane of an existing cluster: nothing to balance', () => {
    assert.deepEqual(findings(labWith([[['spec', 'kubernetes', 'provisioner'], 'existing']])), []);
  });

  test('apiServerLoadBalancer: port defaults to 6443 and must be a port', () => {
    const r = validatePlatformText('p.yaml', labWith([[['spec', 'clusters', 0, 'apiServerLoadBalancer'], { address: '172.26.0.140' }]]));
    assert.deepEqual(r.platform?.spec.clusters[0]!.apiServerLoadBalancer, { address: '172.26.0.140', port: 6443 });
    assert.deepEqual(findings(labWith([[['spec', 'clusters', 0, 'apiServerLoadBalancer'], { address: '172.26.0.140', port: 70000 }]])), ['error INVALID_VALUE']);
    assert.deepEqual(findings(labWith([[['spec', 'clusters', 0, 'apiServerLoadBalancer'], { address: 'lb.example.com' }]])), ['error INVALID_ADDRESS']);
  });
});
