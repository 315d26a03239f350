import { KUBESPRAY_VERSION, type ClusterSpec, type NodeSpec, type Platform } from '../spec/index.js';
import { API_SERVER_PORT } from './api-endpoint.js';
import { type CommentedEntry } from './commented-yaml.js';
import { toCommentedYaml } from './commented-yaml.js';
import { renderedBy } from './header.js';
import { DEFAULT_RENDER_OPTIONS, type RenderedFile, type RenderOptions } from './types.js';
import { toYaml, withHeader } from './yaml.js';

export { KUBESPRAY_VERSION };

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

/*
 * Every variable below is one Kubespray v2.26.0 reads; the file that reads it is named beside it
 * (paths in kubernetes-sigs/kubespray at tag v2.26.0). Group vars outrank role defaults.
 */
function k8sClusterVars(platform: Platform, cluster: ClusterSpec, options: Pick<RenderOptions, 'kubeletInsecureTls'>): CommentedEntry[] {
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
    {
      key: 'kube_owner',
      value: 'root',
      comment: [
        'roles/network_plugin/cni creates /opt/cni/bin owned by cni_bin_owner, which defaults to kube_owner (`kube`).',
        "Cilium's init containers (mount-cgroup, install-cni-binaries) write there as root with every capability",
        'dropped, so they need a root-owned folder (kubespray issue #12276; later releases assert kube_owner: root with Cilium).',
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
    ...apiServerVars(cluster),
    ...kubeletServingVars(options),
  ];
}

/** One API endpoint every node reaches, which Cilium's k8sServiceHost repeats (render/api-endpoint.ts). */
function apiServerVars(cluster: ClusterSpec): CommentedEntry[] {
  const lb = cluster.apiServerLoadBalancer;
  if (lb) {
    return [
      {
        key: 'loadbalancer_apiserver',
        value: { address: lb.address, port: lb.port },
        comment: [
          'The load balancer in front of every control plane: kubeadm\'s controlPlaneEndpoint, a SAN of the API',
          "server's certificate and the admin kubeconfig's server. Kubespray's localhost load balancer is then off.",
        ],
      },
      { key: 'loadbalancer_apiserver_localhost', value: false },
    ];
  }
  return [
    {
      key: 'loadbalancer_apiserver_localhost',
      value: true,
      comment: [
        'nginx-proxy on every node that is not a control plane listens on 127.0.0.1:6443 and forwards to every',
        'control plane (whose own API server listens on 0.0.0.0:6443): Cilium reaches the API through',
        '127.0.0.1:6443 on every node, so no single control plane is a point of failure.',
      ],
    },
    { key: 'loadbalancer_apiserver_type', value: 'nginx' },
    { key: 'loadbalancer_apiserver_port', value: API_SERVER_PORT, comment: ['Equal to kube_apiserver_port, as on control planes the API server itself answers on 127.0.0.1.'] },
  ];
}

function kubeletServingVars(options: Pick<RenderOptions, 'kubeletInsecureTls'>): CommentedEntry[] {
  if (options.kubeletInsecureTls) {
    return [{ key: 'kubelet_rotate_server_certificates', value: false, comment: ['metrics-server skips kubelet certificate verification (--kubelet-insecure-tls was asked for), so kubelets keep self-signed serving certificates.'] }];
  }
  return [
    {
      key: 'kubelet_rotate_server_certificates',
      value: true,
      comment: ['Kubelets request serving certificates signed by the cluster CA (serverTLSBootstrap), so metrics-server can verify them.'],
    },
    {
      key: 'kubelet_csr_approver_enabled',
      value: false,
      comment: [
        'It defaults to kubelet_rotate_server_certificates, and then cluster.yml installs kubelet-csr-approver by Helm',
        'with wait and atomic in the play that runs before any CNI: its pods stay Pending, Helm times out and the',
        'playbook stops (kubespray issues #10320, #10491; fixed in v2.27.0). It is installed after Cilium instead,',
        'from helm/kubelet-csr-approver-values.yaml; until then the serving CSRs wait, Pending.',
      ],
    },
  ];
}
