import type { ClusterSpec, Platform } from '../spec/index.js';
import { renderedBy } from './header.js';
import type { RenderedFile, RenderOptions } from './types.js';
import { toYaml, withHeader } from './yaml.js';

/** The chart Kubespray v2.26.0 would have installed (roles/kubernetes-apps/kubelet-csr-approver/defaults/main.yml). */
export const KUBELET_CSR_APPROVER_CHART_VERSION = '1.1.0';
export const KUBELET_CSR_APPROVER_REPO = 'https://postfinance.github.io/kubelet-csr-approver';

/** Node names are DNS-1123 subdomains (validate): of their characters only "." means something in a regex. */
const literal = (name: string) => name.replaceAll('.', '\\.');

/**
 * Values for postfinance/kubelet-csr-approver chart 1.1.0, which approves the kubelets' serving
 * certificate requests (Kubespray's kubelet_rotate_server_certificates). What v1.1.0 then
 * enforces (internal/controller/csr_controller.go, regex_ip_checks.go): signer
 * kubernetes.io/kubelet-serving, requester system:node:<name> equal to the request's CN, at
 * most one DNS name, every IP SAN inside providerIpPrefixes, the expiry within 367 days. With
 * bypassDnsResolution (node names need not resolve inside the cluster) DNSCheck returns before
 * it reads providerRegex, so the DNS name itself is not checked; the IP prefixes are what binds a
 * certificate to this cluster's node addresses. They are not bound to the requesting node: any
 * node of the cluster could obtain a certificate naming another node's address.
 */
export function kubeletCsrApproverValues(cluster: ClusterSpec): Record<string, unknown> {
  return {
    // Required by the binary (internal/cmd/cmd.go exits on an empty regex) even though the DNS check is bypassed.
    providerRegex: `^(${cluster.nodes.map((n) => literal(n.name)).join('|')})$`,
    // kubelet --node-ip is Kubespray's `ip` (roles/kubernetes/node: kubelet_address), the node's address: the only IP its CSR carries.
    providerIpPrefixes: cluster.nodes.map((n) => `${n.address}/32`),
    bypassDnsResolution: true,
  };
}

/** helm/kubelet-csr-approver-values.yaml: for Kubespray clusters whose kubelets request serving certificates. */
export function renderKubeletCsrApprover(platform: Platform, cluster: ClusterSpec, options: Pick<RenderOptions, 'kubeletInsecureTls'>): RenderedFile | undefined {
  if (platform.spec.kubernetes.provisioner !== 'kubespray' || options.kubeletInsecureTls) return undefined;
  const header = [
    renderedBy(platform),
    `kubelet-csr-approver values for cluster ${cluster.name}, chart ${KUBELET_CSR_APPROVER_CHART_VERSION}. Install after Cilium (its pods need`,
    'the pod network) and before metrics-server (which needs the approved kubelet serving certificates):',
    `  helm repo add kubelet-csr-approver ${KUBELET_CSR_APPROVER_REPO}`,
    `  helm upgrade --install kubelet-csr-approver kubelet-csr-approver/kubelet-csr-approver --version ${KUBELET_CSR_APPROVER_CHART_VERSION} \\`,
    '    --namespace kube-system -f kubelet-csr-approver-values.yaml',
    "Enforced: serving CSRs from system:node:<name>, one DNS name, IP SANs only among this cluster's node addresses.",
    'Not enforced: the DNS name (bypassDnsResolution skips providerRegex too), nor which node asks for which address.',
  ];
  return { path: `${cluster.name}/helm/kubelet-csr-approver-values.yaml`, secret: false, content: withHeader(header, toYaml(kubeletCsrApproverValues(cluster))) };
}
