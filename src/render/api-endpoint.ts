import type { ClusterSpec, Platform } from '../spec/index.js';

/** kube_apiserver_port (roles/kubespray-defaults/defaults/main/main.yml, v2.26.0); kubeadm's default too. */
export const API_SERVER_PORT = 6443;

/**
 * Kubespray's localhost load balancer: with no loadbalancer_apiserver, every node that is not a
 * control plane runs nginx-proxy listening on 127.0.0.1:{{ loadbalancer_apiserver_port |
 * default(kube_apiserver_port) }} and forwarding to every control plane
 * (roles/kubernetes/node/tasks/main.yml "Install nginx-proxy", templates/loadbalancer/nginx.conf.j2),
 * while each control plane's own API server binds 0.0.0.0:6443 (kube_apiserver_bind_address). So
 * 127.0.0.1:6443 reaches an API server from every node, and 127.0.0.1 is in its certificate's SANs
 * (roles/kubernetes/control-plane/tasks/kubeadm-setup.yml sans_base). nginx listens on [::1] only
 * with enable_dual_stack_networks, hence the IPv4 literal rather than Kubespray's own "localhost".
 */
export const KUBESPRAY_LOCALHOST_LB = { host: '127.0.0.1', port: API_SERVER_PORT } as const;

export interface ApiEndpoint {
  host: string;
  port: number;
}

type ClusterApi = Pick<ClusterSpec, 'nodes'> & Partial<Pick<ClusterSpec, 'apiServerLoadBalancer'>>;

/** The first control plane (validate makes sure there is one): Kubespray's run-once host, groups['kube_control_plane'][0]. */
function firstControlPlane(cluster: Pick<ClusterSpec, 'nodes'>) {
  return cluster.nodes.find((n) => n.role === 'control-plane')!;
}

/**
 * Where every node of the cluster reaches the API server: Cilium's k8sServiceHost/Port, read by
 * the agent, Envoy and the operator, all host-network pods in chart 1.16.5. The declared load
 * balancer; else Kubespray's localhost load balancer; else (an existing cluster) the first control plane.
 */
export function nodeApiEndpoint(platform: Pick<Platform, 'spec'>, cluster: ClusterApi): ApiEndpoint {
  const lb = cluster.apiServerLoadBalancer;
  if (lb) return { host: lb.address, port: lb.port };
  if (platform.spec.kubernetes.provisioner === 'kubespray') return { ...KUBESPRAY_LOCALHOST_LB };
  return { host: firstControlPlane(cluster).address, port: API_SERVER_PORT };
}

/**
 * The API server as this machine reaches it, the server artifacts/admin.conf is written with
 * (roles/kubernetes/client/tasks/main.yml external_apiserver_address/port): the load balancer's
 * address and port, else the first control plane's access_ip on 6443, which is in the certificate's SANs.
 */
export function apiServerUrl(cluster: ClusterApi): string {
  const lb = cluster.apiServerLoadBalancer;
  // Addresses are IPv4 (the schema refuses others), so no brackets are needed.
  const { host, port } = lb ? { host: lb.address, port: lb.port } : { host: firstControlPlane(cluster).address, port: API_SERVER_PORT };
  return `https://${host}:${port}`;
}
