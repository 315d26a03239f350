import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { renderClusterArtifacts, renderPlatformArtifacts } from '../../src/render/artifacts.js';
import { renderKubeconfigPlan } from '../../src/render/kubeconfig-plan.js';
import { renderMetricsServerValues } from '../../src/render/metrics-server.js';
import type { RenderedFile } from '../../src/render/types.js';
import { assertGolden } from '../helpers/golden.js';
import { platformFromText, referenceLab, validFixture } from '../helpers/platforms.js';

const LAB = referenceLab();
const C1 = LAB.spec.clusters[0]!;
const SECURE = { kubeletInsecureTls: false };
const INSECURE = { kubeletInsecureTls: true };
const ALL = () => [LAB, validFixture('three-clusters.yaml'), validFixture('nodeport-511.yaml'), validFixture('single-cluster-no-mesh.yaml'), validFixture('ha-external-lb.yaml'), validFixture('ipsec-relay.yaml')];
const HEADER = /^# Rendered by meshwright from platform [^;]+; do not edit — change platform\.yaml and render again\.\n/;

describe('metrics-server values', () => {
  test('reference lab, k8s-cilium-01: golden; verifies kubelet certificates by default', () => {
    const f = renderMetricsServerValues(LAB, C1, SECURE);
    assert.equal(f.path, 'k8s-cilium-01/helm/metrics-server-values.yaml');
    assertGolden(`render/reference-lab/${f.path}`, f.content);
    // chart 3.12.2's defaultArgs with the address types reordered (test/render/charts-upstream.test.ts traces them through the template).
    assert.deepEqual(parse(f.content), { defaultArgs: ['--cert-dir=/tmp', '--kubelet-preferred-address-types=InternalIP,Hostname,ExternalIP', '--kubelet-use-node-status-port', '--metric-resolution=15s'] });
  });

  test('--kubelet-insecure-tls only when asked, with a warning', () => {
    const f = renderMetricsServerValues(LAB, C1, INSECURE);
    assert.deepEqual((parse(f.content) as { args: string[] }).args, ['--kubelet-insecure-tls']);
    assert.match(f.content, /^# WARNING: --kubelet-insecure-tls skips verification/m);
  });
});

describe('kubelet-csr-approver values', () => {
  test('reference lab, k8s-cilium-01: golden', () => {
    const f = renderClusterArtifacts(LAB, C1, SECURE).find((x) => x.path.endsWith('kubelet-csr-approver-values.yaml'))!;
    assertGolden(`render/reference-lab/${f.path}`, f.content);
  });
});

describe('kubeconfig plan', () => {
  test('reference lab: golden; every name is the cluster name, server on the first control plane, no credentials', () => {
    const f = renderKubeconfigPlan(LAB);
    assert.equal(f.path, 'kubeconfig-plan.yaml');
    assert.equal(f.secret, false);
    assertGolden('render/reference-lab/kubeconfig-plan.yaml', f.content);
    const plan = parse(f.content) as { clusters: Record<string, any>[] };
    assert.deepEqual(
      plan.clusters.map((c) => [c.context, c.cluster, c.user, c.server, c.source.file]),
      [
        ['k8s-cilium-01', 'k8s-cilium-01', 'k8s-cilium-01', 'https://172.26.0.141:6443', 'k8s-cilium-01/kubespray/artifacts/admin.conf'],
        ['k8s-cilium-02', 'k8s-cilium-02', 'k8s-cilium-02', 'https://172.26.0.145:6443', 'k8s-cilium-02/kubespray/artifacts/admin.conf'],
      ],
    );
    assert.doesNotMatch(f.content, /BEGIN|token|client-key|certificate-authority-data/);
  });

  test('existing clusters: taken from the kubeconfig and context the spec names', () => {
    const plan = parse(renderKubeconfigPlan(validFixture('single-cluster-no-mesh.yaml')).content) as { clusters: Record<string, any>[] };
    assert.deepEqual(plan.clusters, [{ context: 'default', cluster: 'default', user: 'default', source: { kubeconfig: '~/.kube/edge.config', context: 'edge-admin' } }]);
  });

  test('existing clusters without a kubeconfig reference: kubectl\'s own lookup, the context named after the cluster', () => {
    // kubectl's default loading rules (client-go tools/clientcmd/loader.go: the KUBECONFIG list,
    // else RecommendedHomeFile ~/.kube/config); the schema documents the same default.
    const text = `apiVersion: meshwright/v1alpha1
kind: Platform
metadata: {name: stores}
spec:
  kubernetes: {version: v1.30.4, provisioner: existing}
  cilium: {version: 1.16.5}
  mesh: {enabled: false}
  clusters:
    - name: store-north
      id: 1
      podCIDR: 10.1.0.0/16
      nodes: [{name: north-cp, address: 192.168.1.10, role: control-plane}]
      loadBalancerIPs: [192.168.1.100]
    - name: store-south
      id: 2
      podCIDR: 10.2.0.0/16
      nodes: [{name: south-cp, address: 192.168.2.10, role: control-plane}]
      loadBalancerIPs: [192.168.2.100]
      kubeconfig: {path: /etc/stores/south.kubeconfig}
`;
    const plan = parse(renderKubeconfigPlan(platformFromText(text)).content) as { clusters: Record<string, any>[] };
    assert.deepEqual(plan.clusters, [
      { context: 'store-north', cluster: 'store-north', user: 'store-north', source: { kubeconfig: 'KUBECONFIG or ~/.kube/config', context: 'store-north' } },
      { context: 'store-south', cluster: 'store-south', user: 'store-south', source: { kubeconfig: '/etc/stores/south.kubeconfig', context: 'store-south' } },
    ]);
  });
});

describe('artifacts', () => {
  test('reference lab: the files of every cluster plus the plan, under <cluster>/', () => {
    const paths = renderPlatformArtifacts(LAB, SECURE).map((f) => f.path);
    const perCluster = (c: string) => [
      `${c}/kubespray/hosts.yaml`,
      `${c}/kubespray/group_vars/k8s_cluster/k8s-cluster.yml`,
      `${c}/helm/kubelet-csr-approver-values.yaml`,
      `${c}/helm/metrics-server-values.yaml`,
      `${c}/manifests/01-lb-ipam.yaml`,
      `${c}/manifests/02-ingress-app.yaml`,
      `${c}/manifests/03-global-service-demo.yaml`,
    ];
    assert.deepEqual(paths, ['kubeconfig-plan.yaml', ...perCluster('k8s-cilium-01'), ...perCluster('k8s-cilium-02')]);
  });

  test('existing cluster without mesh or ingress host: no Kubespray, no demo, no ingress app', () => {
    const p = validFixture('single-cluster-no-mesh.yaml');
    assert.deepEqual(renderClusterArtifacts(p, p.spec.clusters[0]!, SECURE).map((f) => f.path), ['default/helm/metrics-server-values.yaml', 'default/manifests/01-lb-ipam.yaml']);
  });

  test('every file: header, relative POSIX path, not secret, parseable YAML', () => {
    for (const p of ALL()) {
      for (const f of renderPlatformArtifacts(p, SECURE)) {
        assert.match(f.content, HEADER, f.path);
        assert.doesNotMatch(f.path, /^\/|\\|\.\./, f.path);
        assert.equal(f.secret, false, f.path);
        const docs = parseAllDocuments(f.content);
        assert.ok(Array.isArray(docs) && docs.length > 0, f.path);
        for (const d of docs) assert.deepEqual([...d.errors, ...d.warnings], [], f.path);
      }
    }
  });

  test('kubeletInsecureTls changes only the metrics-server values and the kubelet certificate vars, and drops the approver', () => {
    for (const p of ALL()) {
      const secure = renderPlatformArtifacts(p, SECURE);
      const insecure = renderPlatformArtifacts(p, INSECURE);
      const approver = (f: RenderedFile) => f.path.endsWith('/helm/kubelet-csr-approver-values.yaml');
      assert.equal(secure.filter(approver).length, p.spec.kubernetes.provisioner === 'kubespray' ? p.spec.clusters.length : 0, p.metadata.name);
      assert.equal(insecure.filter(approver).length, 0);
      const kept = secure.filter((f) => !approver(f));
      assert.deepEqual(insecure.map((f) => f.path), kept.map((f) => f.path));
      const changed = insecure.filter((f, i) => f.content !== kept[i]!.content).map((f) => f.path.split('/').slice(1).join('/'));
      const expected = p.spec.kubernetes.provisioner === 'kubespray' ? ['kubespray/group_vars/k8s_cluster/k8s-cluster.yml', 'helm/metrics-server-values.yaml'] : ['helm/metrics-server-values.yaml'];
      assert.deepEqual(changed, p.spec.clusters.flatMap(() => expected), p.metadata.name);
    }
  });

  test('an external API load balancer: the kubeconfig plan points at it', () => {
    const plan = parse(renderKubeconfigPlan(validFixture('ha-external-lb.yaml')).content) as { clusters: Record<string, any>[] };
    assert.equal(plan.clusters[0]!.server, 'https://172.30.5.10:8443');
  });

  test('deterministic: rendering twice gives identical files', () => {
    for (const p of ALL()) {
      for (const options of [SECURE, INSECURE]) {
        const a: RenderedFile[] = renderPlatformArtifacts(p, options);
        const b: RenderedFile[] = renderPlatformArtifacts(structuredClone(p), options);
        assert.deepEqual(b, a);
      }
    }
  });

  test('pure: the platform is not modified', () => {
    const p = referenceLab();
    const before = structuredClone(p);
    renderPlatformArtifacts(p, SECURE);
    assert.deepEqual(p, before);
  });
});
