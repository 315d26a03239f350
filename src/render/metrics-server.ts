import type { ClusterSpec, Platform } from '../spec/index.js';
import { renderedBy } from './header.js';
import type { RenderedFile, RenderOptions } from './types.js';
import { toYaml, withHeader } from './yaml.js';

export const METRICS_SERVER_CHART_VERSION = '3.12.2';

/**
 * Values for the metrics-server chart. The chart appends `args` after its defaultArgs, and the
 * last --kubelet-preferred-address-types wins: InternalIP first because it is the address the
 * kubelet's serving certificate names (Kubespray's `ip`).
 */
export function renderMetricsServerValues(platform: Platform, cluster: ClusterSpec, options: Pick<RenderOptions, 'kubeletInsecureTls'>): RenderedFile {
  const args = ['--kubelet-preferred-address-types=InternalIP,Hostname,ExternalIP'];
  if (options.kubeletInsecureTls) args.push('--kubelet-insecure-tls');
  const header = [
    renderedBy(platform),
    `metrics-server values for cluster ${cluster.name}, chart ${METRICS_SERVER_CHART_VERSION}:`,
    `  helm upgrade --install metrics-server metrics-server/metrics-server --version ${METRICS_SERVER_CHART_VERSION} --namespace kube-system -f metrics-server-values.yaml`,
    ...(options.kubeletInsecureTls
      ? ['WARNING: --kubelet-insecure-tls skips verification of kubelet certificates; it was asked for explicitly (--kubelet-insecure-tls).']
      : platform.spec.kubernetes.provisioner === 'kubespray'
        ? ['Kubelet certificates are verified against the cluster CA (Kubespray kubelet_rotate_server_certificates).']
        : ["Kubelet certificates are verified: the cluster's kubelets must serve certificates its CA signed (else render with --kubelet-insecure-tls)."]),
  ];
  return { path: `${cluster.name}/helm/metrics-server-values.yaml`, secret: false, content: withHeader(header, toYaml({ args })) };
}
