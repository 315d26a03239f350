import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { ciliumValues } from '../../src/render/index.js';
import { kubeletCsrApproverValues, renderKubeletCsrApprover, KUBELET_CSR_APPROVER_CHART_VERSION } from '../../src/render/kubelet-csr-approver.js';
import { renderMetricsServerValues } from '../../src/render/metrics-server.js';
import { loadChart } from '../helpers/chart-keys.js';
import { TEST_ROOT } from '../helpers/golden.js';
import { kubesprayYaml } from '../helpers/kubespray-upstream.js';
import { referenceLab, validFixture } from '../helpers/platforms.js';

/** The charts' own files, vendored under test/fixtures/upstream (licences beside them). */
const UPSTREAM = join(TEST_ROOT, 'fixtures', 'upstream');
const read = (path: string) => readFileSync(join(UPSTREAM, path), 'utf8');
const LAB = referenceLab();
const SECURE = { kubeletInsecureTls: false };

/**
 * metrics-server's container arguments as chart 3.12.2's templates/deployment.yaml writes them:
 * --secure-port, then defaultArgs, then (metrics.enabled) one more, then args.
 */
function metricsServerArgs(values: { defaultArgs?: string[]; args?: string[] }): string[] {
  const chart = parse(read('metrics-server-chart-3.12.2/charts/metrics-server/values.yaml')) as { containerPort: number; defaultArgs: string[]; args: string[]; metrics: { enabled: boolean } };
  const template = read('metrics-server-chart-3.12.2/charts/metrics-server/templates/deployment.yaml');
  assert.match(template, /- \{\{ printf "--secure-port=%d" \(int \.Values\.containerPort\) \}\}\n\s+\{\{- range \.Values\.defaultArgs \}\}\n\s+- \{\{ \. \}\}\n\s+\{\{- end \}\}\n\s+\{\{- if \.Values\.metrics\.enabled \}\}\n\s+- --authorization-always-allow-paths=\/metrics\n\s+\{\{- end \}\}\n\s+\{\{- range \.Values\.args \}\}/);
  return [`--secure-port=${chart.containerPort}`, ...(values.defaultArgs ?? chart.defaultArgs), ...(chart.metrics.enabled ? ['--authorization-always-allow-paths=/metrics'] : []), ...(values.args ?? chart.args)];
}

/** A pflag StringSlice flag (spf13/pflag v1.0.5 string_slice.go Set): the first occurrence replaces the default, later ones append. */
function stringSliceFlag(args: string[], name: string): string[] | undefined {
  let value: string[] | undefined;
  for (const a of args) {
    if (!a.startsWith(`--${name}=`)) continue;
    const parts = a.slice(name.length + 3).split(',');
    value = value === undefined ? parts : [...value, ...parts];
  }
  return value;
}
const boolFlag = (args: string[], name: string) => args.includes(`--${name}`);

describe('metrics-server chart 3.12.2', () => {
  test("upstream: defaultArgs already sets the address types, so a second flag in args would only append", () => {
    const chart = parse(read('metrics-server-chart-3.12.2/charts/metrics-server/values.yaml')) as { defaultArgs: string[] };
    const old = metricsServerArgs({ args: ['--kubelet-preferred-address-types=InternalIP,Hostname,ExternalIP'] });
    assert.ok(chart.defaultArgs.includes('--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname'));
    assert.deepEqual(stringSliceFlag(old, 'kubelet-preferred-address-types')!.slice(0, 3), ['InternalIP', 'ExternalIP', 'Hostname']);
  });

  for (const insecure of [false, true]) {
    test(`rendered values${insecure ? ' with --kubelet-insecure-tls' : ''}: the container sees InternalIP, Hostname, ExternalIP and keeps the chart's other defaults`, () => {
      const values = parse(renderMetricsServerValues(LAB, LAB.spec.clusters[0]!, { kubeletInsecureTls: insecure }).content) as { defaultArgs: string[]; args?: string[] };
      const args = metricsServerArgs(values);
      assert.deepEqual(stringSliceFlag(args, 'kubelet-preferred-address-types'), ['InternalIP', 'Hostname', 'ExternalIP']);
      const chart = metricsServerArgs({});
      for (const a of chart.filter((x) => !x.startsWith('--kubelet-preferred-address-types='))) assert.ok(args.includes(a), `${a} kept`);
      assert.equal(boolFlag(args, 'kubelet-insecure-tls'), insecure);
      assert.equal('args' in values, insecure, 'args only for the explicit --kubelet-insecure-tls');
      const known = parse(read('metrics-server-chart-3.12.2/charts/metrics-server/values.yaml')) as Record<string, unknown>;
      for (const key of Object.keys(values)) assert.ok(Array.isArray(known[key]), `${key} is a list value of the chart`);
    });
  }
});

test('metrics-server on an existing cluster: the header says its kubelets must serve CA-signed certificates', () => {
  const p = validFixture('single-cluster-no-mesh.yaml');
  const f = renderMetricsServerValues(p, p.spec.clusters[0]!, SECURE);
  assert.match(f.content, /^# Kubelet certificates are verified: the cluster's kubelets must serve certificates its CA signed \(else render with --kubelet-insecure-tls\)\.$/m);
  assert.doesNotMatch(f.content, /kubelet-csr-approver/);
});

describe('kubelet-csr-approver chart 1.1.0 (what Kubespray v2.26.0 pins)', () => {
  const chartValues = parse(read('kubelet-csr-approver-v1.1.0/charts/kubelet-csr-approver/values.yaml')) as Record<string, unknown>;
  const template = read('kubelet-csr-approver-v1.1.0/charts/kubelet-csr-approver/templates/deployment.yaml');

  test('the version is the one Kubespray v2.26.0 would have installed', () => {
    assert.equal(kubesprayYaml('roles/kubernetes-apps/kubelet-csr-approver/defaults/main.yml').kubelet_csr_approver_chart_version, KUBELET_CSR_APPROVER_CHART_VERSION);
  });

  test('every rendered key is a chart value of the same type, and reaches the container as the env var the binary reads', () => {
    const values = kubeletCsrApproverValues(LAB.spec.clusters[0]!);
    for (const [key, v] of Object.entries(values)) {
      assert.ok(key in chartValues, key);
      assert.equal(Array.isArray(v), Array.isArray(chartValues[key]), key);
      assert.equal(typeof v, typeof chartValues[key], key);
    }
    // internal/cmd/cmd.go reads flags from env vars (ff.WithEnvVars): provider-regex, provider-ip-prefixes, bypass-dns-resolution.
    assert.match(template, /- name: PROVIDER_REGEX\n\s+value: \{\{ \.Values\.providerRegex \}\}/);
    assert.match(template, /- name: PROVIDER_IP_PREFIXES\n\s+value: "\{\{ join "," \.Values\.providerIpPrefixes \}\}"/);
    assert.match(template, /- name: BYPASS_DNS_RESOLUTION\n\s+value: \{\{ \.Values\.bypassDnsResolution \| quote \}\}/);
  });

  test('reference lab: the node addresses as /32 prefixes; the regex survives the template\'s unquoted YAML', () => {
    for (const c of LAB.spec.clusters) {
      const v = kubeletCsrApproverValues(c) as { providerRegex: string; providerIpPrefixes: string[]; bypassDnsResolution: boolean };
      assert.deepEqual(v.providerIpPrefixes, c.nodes.map((n) => `${n.address}/32`));
      assert.equal(v.bypassDnsResolution, true);
      // The template writes `value: {{ .Values.providerRegex }}` without quotes: the line must read back as the same string.
      assert.deepEqual(parse(`value: ${v.providerRegex}`), { value: v.providerRegex });
      const re = new RegExp(v.providerRegex);
      for (const n of c.nodes) assert.ok(re.test(n.name), n.name);
      assert.equal(re.test(`${c.nodes[0]!.name}x`), false);
    }
    assert.deepEqual((kubeletCsrApproverValues(LAB.spec.clusters[1]!) as { providerIpPrefixes: string[] }).providerIpPrefixes, ['172.26.0.145/32', '172.26.0.146/32']);
  });

  test('fully qualified node names: the dots match only dots', () => {
    const c = structuredClone(LAB.spec.clusters[0]!);
    c.nodes = c.nodes.map((n) => ({ ...n, name: `${n.name}.dc1.example.com` }));
    const re = new RegExp((kubeletCsrApproverValues(c) as { providerRegex: string }).providerRegex);
    assert.equal(re.test('k8s-cilium-01-cp.dc1.example.com'), true);
    assert.equal(re.test('k8s-cilium-01-cpxdc1.example.com'), false);
    assert.equal(re.test('k8s-cilium-01-cp.dc1xexample.com'), false);
  });

  test('the chart\'s maxExpirationSeconds is not rendered: chart 1.1.0 passes it as MAX_EXPIRATION_SECONDS, which the binary does not read', () => {
    assert.match(template, /- name: MAX_EXPIRATION_SECONDS/);
    assert.equal('maxExpirationSeconds' in kubeletCsrApproverValues(LAB.spec.clusters[0]!), false);
  });

  test('rendered only for Kubespray clusters whose kubelets request serving certificates', () => {
    const file = renderKubeletCsrApprover(LAB, LAB.spec.clusters[0]!, SECURE)!;
    assert.equal(file.path, 'k8s-cilium-01/helm/kubelet-csr-approver-values.yaml');
    assert.match(file.content, /--version 1\.1\.0/);
    assert.match(file.content, /^# Not enforced: the DNS name/m);
    assert.equal(renderKubeletCsrApprover(LAB, LAB.spec.clusters[0]!, { kubeletInsecureTls: true }), undefined);
    const existing = validFixture('single-cluster-no-mesh.yaml');
    assert.equal(renderKubeletCsrApprover(existing, existing.spec.clusters[0]!, SECURE), undefined);
  });
});

describe('Cilium chart 1.16.5: who reads k8sServiceHost', () => {
  test('every template that injects KUBERNETES_SERVICE_HOST runs host-network pods, so 127.0.0.1 is the node itself', () => {
    const { values } = loadChart() as { values: { operator: { hostNetwork: boolean } } };
    for (const [file, hostNetwork] of [
      ['cilium-agent/daemonset.yaml', /\n\s+hostNetwork: true\n/],
      ['cilium-envoy/daemonset.yaml', /\n\s+hostNetwork: true\n/],
      ['cilium-operator/deployment.yaml', /\n\s+hostNetwork: \{\{ \.Values\.operator\.hostNetwork \}\}\n/],
    ] as const) {
      const text = read(`cilium-chart-1.16.5/templates/${file}`);
      assert.match(text, /name: KUBERNETES_SERVICE_HOST\n\s+value: \{\{ include "k8sServiceHost" \. \}\}/, file);
      assert.match(text, hostNetwork, file);
    }
    assert.equal(values.operator.hostNetwork, true);
    for (const p of [LAB, validFixture('three-clusters.yaml'), validFixture('ha-external-lb.yaml')]) {
      for (const c of p.spec.clusters) assert.equal((ciliumValues(p, c).operator as Record<string, unknown>).hostNetwork, undefined, 'left at the chart default');
    }
  });
});
