import type { ClusterSpec, Platform } from '../spec/index.js';
import { renderedBy } from './header.js';
import type { RenderedFile, RenderOptions } from './types.js';
import { toYaml, withHeader } from './yaml.js';

export const METRICS_SERVER_CHART_VERSION = '3.12.2';

/**
 * Chart 3.12.2's defaultArgs (charts/metrics-server/values.yaml at tag
 * metrics-server-helm-chart-3.12.2), with the address types reordered. templates/deployment.yaml
 * writes defaultArgs before args, and --kubelet-preferred-address-types is a pflag string slice:
 * a second occurrence appends to the first (spf13/pflag string_slice.go Set), so the chart's
 * InternalIP,ExternalIP,Hostname would keep its order whatever `args` said. Replacing
 * defaultArgs is the one place the order takes effect; the other three stay the chart's own.
 */
export const METRICS_SERVER_DEFAULT_ARGS = [
  '--cert-dir=/tmp',
  // InternalIP first: Kubespray's `ip`, the address the kubelet's serving certificate names.
  '--kubelet-preferred-address-types=InternalIP,Hostname,ExternalIP',
  '--kubelet-use-node-status-port',
  '--metric-resolution=15s',
] as const;

/** Values for the metrics-server chart. */
export function renderMetricsServerValues(platform: Platform, cluster: ClusterSpec, options: Pick<RenderOptions, 'kubeletInsecureTls'>): RenderedFile {
  const values: Record<string, unknown> = { defaultArgs: [...METRICS_SERVER_DEFAULT_ARGS] };
  if (options.kubeletInsecureTls) values.args = ['--kubelet-insecure-tls'];
  const header = [
    renderedBy(platform),
    `metrics-server values for cluster ${cluster.name}, chart ${METRICS_SERVER_CHART_VERSION}:`,
    `  helm upgrade --install metrics-server metrics-server/metrics-server --version ${METRICS_SERVER_CHART_VERSION} --namespace kube-system -f metrics-server-values.yaml`,
    ...(options.kubeletInsecureTls
      ? ['WARNING: --kubelet-insecure-tls skips verification of kubelet certificates; it was asked for explicitly (--kubelet-insecure-tls).']
      : platform.spec.kubernetes.provisioner === 'kubespray'
        ? ['Kubelet certificates are verified against the cluster CA (Kubespray kubelet_rotate_server_certificates): install', 'kubelet-csr-approver first, so that the kubelets have their serving certificates.']
        : ["Kubelet certificates are verified: the cluster's kubelets must serve certificates its CA signed (else render with --kubelet-insecure-tls)."]),
  ];
  return { path: `${cluster.name}/helm/metrics-server-values.yaml`, secret: false, content: withHeader(header, toYaml(values)) };
}
