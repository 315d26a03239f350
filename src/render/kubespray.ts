import type { ClusterSpec, NodeSpec, Platform } from '../spec/index.js';
import { toCommentedYaml } from './commented-yaml.js';
import { renderedBy } from './header.js';
import { DEFAULT_RENDER_OPTIONS, type RenderedFile, type RenderOptions } from './types.js';
import { toYaml, withHeader } from './yaml.js';

/** The tag every rendered inventory is written for: the only 2.26 tag whose default is Kubernetes v1.30.4. */
export const KUBESPRAY_VERSION = 'v2.26.0';

/** Where Kubespray writes the admin kubeconfig when kubeconfig_localhost is on: `{{ inventory_dir }}/artifacts/admin.conf`. */
export function kubesprayAdminConfPath(cluster: Pick<ClusterSpec, 'name'>): string {
  return `${cluster.name}/kubespray/artifacts/admin.conf`;
}

/** The cluster's Kubespray inventory (hosts.yaml) and its group vars, beside it as Kubespray reads them. */
export function renderKubespray(platform: Platform, cluster: ClusterSpec, options: Pick<RenderOptions, 'kubeletInsecureTls'> = DEFAULT_RENDER_OPTIONS): RenderedFile[] {
  const dir = `${cluster.name}/kubespray`;
  const run = [
    `Kubespray ${KUBESPRAY_VERSION} inventory of cluster ${cluster.name}; from a Kubespray ${KUBESPRAY_VERSION} checkout:`,
    `  ansible-playbook -i <this folder>/hosts.yaml --become cluster.yml`,
  ];
  return [
    { path: `${dir}/hosts.yaml`, secret: false, content: withHeader([renderedBy(platform), ...run], toYaml(kubesprayInventory(cluster))) },
    {
      path: `${dir}/group_vars/k8s_cluster/k8s-cluster.yml`,
      secret: false,
      content: withHeader([renderedBy(platform), `Kubespray ${KUBESPRAY_VERSION} group vars of cluster ${cluster.name} (every host is in k8s_cluster).`], `\n${toCommentedYaml(k8sClusterVars(platform, cluster, options))}`),
    },
  ];
}

/** Nodes by role; a cluster without workers runs its workloads on the control plane. */
export function kubesprayGroups(cluster: Pick<ClusterSpec, 'nodes'>): { controlPlane: NodeSpec[]; workers: NodeSpec[] } {
  const controlPlane = cluster.nodes.filter((n) => n.role === 'control-plane');
  const workers = cluster.nodes.filter((n) => n.role === 'worker');
  return { controlPlane, workers: workers.length > 0 ? workers : controlPlane };
}

/** The YAML form of Kubespray's sample inventory.ini (what contrib/inventory_builder wrote before v2.27). */
function kubesprayInventory(cluster: ClusterSpec): Record<string, unknown> {
  const { controlPlane, workers } = kubesprayGroups(cluster);
  const members = (nodes: NodeSpec[]) => ({ hosts: Object.fromEntries(nodes.map((n) => [n.name, null])) });
  return {
    all: {
      // ip: what the node's services bind to; access_ip: what other hosts dial; ansible_host: the SSH target.
      hosts: Object.fromEntries(cluster.nodes.map((n) => [n.name, { ansible_host: n.address, ip: n.address, access_ip: n.address }])),
      children: {
        kube_control_plane: members(controlPlane),
        // etcd runs stacked on the control plane, as in the reference lab.
        etcd: members(controlPlane),
        kube_node: members(workers),
        calico_rr: { hosts: {} },
        k8s_cluster: { children: { kube_control_plane: null, kube_node: null, calico_rr: null } },
      },
    },
  };
}

function k8sClusterVars(platform: Platform, cluster: ClusterSpec, options: Pick<RenderOptions, 'kubeletInsecureTls'>) {
  const { kubernetes, cilium } = platform.spec;
  return [
    { key: 'kube_version', value: kubernetes.version, comment: ['Written out: Kubespray v2.26.1 and later default to another patch release.'] },
    {
      key: 'kube_network_plugin',
      value: 'cni',
      comment: [
        'Kubespray installs no network plugin (`cni` only unpacks the CNI binaries): Cilium arrives by Helm',
        'afterwards, and nodes stay NotReady until it does. `none` is refused by v2.26 (accepted from v2.27.0).',
      ],
    },
    ...(cilium.kubeProxyReplacement
      ? [{ key: 'kube_proxy_remove', value: true, comment: ['Cilium replaces kube-proxy (kubeProxyReplacement). Acts at kubeadm init only: v2.26 does not delete an existing kube-proxy.'] }]
      : []),
    { key: 'kube_service_addresses', value: cluster.serviceCIDR },
    { key: 'kube_pods_subnet', value: cluster.podCIDR, comment: ["Cilium's cluster-pool CIDR, so kubeadm's podSubnet and the controller manager's cluster-cidr agree with the pods' real addresses."] },
    { key: 'kube_network_node_prefix', value: cluster.podCIDRMaskSize, comment: ['The slice of the pod CIDR each node gets, as Cilium hands it out (clusterPoolIPv4MaskSize).'] },
    {
      key: 'cluster_name',
      value: 'cluster.local',
      comment: [
        'This is the cluster DNS domain, not the mesh name: the mesh name is Cilium\'s cluster.name and the',
        'kubeconfig context meshwright gives the cluster (kubeconfig-plan.yaml).',
      ],
    },
    { key: 'kubeconfig_localhost', value: true, comment: ['Copies the admin kubeconfig back to this machine as artifacts/admin.conf beside hosts.yaml.'] },
    ...kubeletServingVars(cluster, options),
  ];
}

function kubeletServingVars(cluster: ClusterSpec, options: Pick<RenderOptions, 'kubeletInsecureTls'>) {
  if (options.kubeletInsecureTls) {
    return [{ key: 'kubelet_rotate_server_certificates', value: false, comment: ['metrics-server skips kubelet certificate verification (--kubelet-insecure-tls was asked for), so kubelets keep self-signed serving certificates.'] }];
  }
  return [
    {
      key: 'kubelet_rotate_server_certificates',
      value: true,
      comment: [
        'Kubelets request serving certificates signed by the cluster CA, so metrics-server can verify them.',
        'Kubespray then deploys kubelet-csr-approver to approve those requests, because kubelet_csr_approver_enabled',
        'defaults to this value [unverified: read in Kubespray docs, not run here].',
      ],
    },
    {
      key: 'kubelet_csr_approver_values',
      value: { providerRegex: `^(${cluster.nodes.map((n) => escapeRegex(n.name)).join('|')})$`, bypassDnsResolution: true },
      comment: [
        "Approve serving certificates for this cluster's node names only. The approver also wants each name to",
        "resolve from inside the cluster, which node names known only to /etc/hosts or the site's DNS do not",
        '[unverified: postfinance/kubelet-csr-approver chart keys and behaviour, not run here].',
      ],
    },
  ];
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
