import type { Obj } from '../../store/log-store.js';
import { at, helmMeta, mergeValues } from './values.js';

export const METRICS_SERVER_CHART = { name: 'metrics-server', version: '3.12.2', appVersion: '0.7.2' } as const;
export const APPROVER_CHART = { name: 'kubelet-csr-approver', version: '1.1.0', appVersion: '1.1.0' } as const;

/** helm's fullname helper: the release name when it contains the chart name, else `<release>-<chart>`. */
const fullname = (release: string, chart: string) => (release.includes(chart) ? release : `${release}-${chart}`).slice(0, 63);

/**
 * metrics-server chart 3.12.2 (test/fixtures/upstream/metrics-server-chart-3.12.2, templates/deployment.yaml,
 * service.yaml, serviceaccount.yaml): Deployment, Service and ServiceAccount named after the release.
 * The chart's APIService (apiregistration.k8s.io) is not stored: the lab serves no such group.
 */
export function metricsServerObjects(release: string, ns: string, userValues: Record<string, any>): Obj[] {
  const v = mergeValues({ replicas: 1, image: { repository: 'registry.k8s.io/metrics-server/metrics-server', tag: '' }, defaultArgs: ['--cert-dir=/tmp', '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname', '--kubelet-use-node-status-port', '--metric-resolution=15s'], args: [] }, userValues);
  const name = fullname(release, 'metrics-server');
  const selector = { 'app.kubernetes.io/name': 'metrics-server', 'app.kubernetes.io/instance': release };
  const meta = { name, namespace: ns, ...helmMeta(release, ns, { ...selector, 'helm.sh/chart': `metrics-server-${METRICS_SERVER_CHART.version}`, 'app.kubernetes.io/version': METRICS_SERVER_CHART.appVersion }) };
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta },
    { apiVersion: 'v1', kind: 'Service', metadata: meta, spec: { type: 'ClusterIP', selector, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 'https' }] } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta,
      spec: {
        replicas: at(v, 'replicas'),
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: selector },
          spec: {
            serviceAccountName: name,
            priorityClassName: 'system-cluster-critical',
            containers: [{ name: 'metrics-server', image: `${at(v, 'image.repository')}:${at(v, 'image.tag') || `v${METRICS_SERVER_CHART.appVersion}`}`, args: [...(at(v, 'defaultArgs') ?? []), ...(at(v, 'args') ?? [])], ports: [{ name: 'https', containerPort: 10250, protocol: 'TCP' }], readinessProbe: { httpGet: { path: '/readyz', port: 'https', scheme: 'HTTPS' } } }],
          },
        },
      },
    },
  ];
}

/** kubelet-csr-approver chart 1.1.0 (test/fixtures/upstream/kubelet-csr-approver-v1.1.0, templates/deployment.yaml): replicas 2 by default. */
export function approverObjects(release: string, ns: string, userValues: Record<string, any>): Obj[] {
  const v = mergeValues({ replicas: 2, image: { repository: 'ghcr.io/postfinance/kubelet-csr-approver', tag: '' } }, userValues);
  const name = fullname(release, 'kubelet-csr-approver');
  const selector = { 'app.kubernetes.io/name': 'kubelet-csr-approver', 'app.kubernetes.io/instance': release };
  const meta = { name, namespace: ns, ...helmMeta(release, ns, { ...selector, 'helm.sh/chart': `kubelet-csr-approver-${APPROVER_CHART.version}`, 'app.kubernetes.io/version': `v${APPROVER_CHART.appVersion}` }) };
  const env = [
    ...(at(v, 'providerRegex') ? [{ name: 'PROVIDER_REGEX', value: String(at(v, 'providerRegex')) }] : []),
    ...(at(v, 'providerIpPrefixes') ? [{ name: 'PROVIDER_IP_PREFIXES', value: ([] as string[]).concat(at(v, 'providerIpPrefixes')).join(',') }] : []),
    ...(at(v, 'bypassDnsResolution') !== undefined ? [{ name: 'BYPASS_DNS_RESOLUTION', value: String(at(v, 'bypassDnsResolution')) }] : []),
  ];
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta,
      spec: { replicas: at(v, 'replicas'), selector: { matchLabels: selector }, template: { metadata: { labels: selector }, spec: { serviceAccountName: name, containers: [{ name: 'kubelet-csr-approver', image: `${at(v, 'image.repository')}:${at(v, 'image.tag') || `v${APPROVER_CHART.appVersion}`}`, args: ['-metrics-bind-address', ':8080', '-health-probe-bind-address', ':8081'], env, readinessProbe: { httpGet: { path: '/readyz', port: 8081 } } }] } } },
    },
  ];
}
