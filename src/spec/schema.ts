import * as z from 'zod';
import { parseAddress, parseCidr, parseIpBlock } from '../net/index.js';
import { CLUSTER_ID_MAX, CLUSTER_ID_MAX_511, CLUSTER_NAME_MAX, CLUSTER_NAME_PATTERN, NODE_NAME_MAX, NODE_NAME_PATTERN } from './limits.js';

/**
 * The platform file, meshwright/v1alpha1 kind Platform.
 *
 * Shape and types live here; the rules that span fields and clusters (overlaps, uniqueness,
 * counts) live in rules/, so that each finding can point at the one offending value.
 */

const format = (check: (s: string) => boolean, code: string, what: string) =>
  z.string().refine(check, { message: `not ${what}`, params: { code } });

const CHART_VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const KUBE_VERSION = /^v\d+\.\d+\.\d+$/;

const ipv4Cidr = format((s) => parseCidr(s)?.family === 4, 'INVALID_CIDR', 'an IPv4 CIDR such as 10.1.0.0/16').meta({
  pattern: '^\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}$',
});
// IPv4 only for now: pod CIDRs, Services and the rendered values are single-stack IPv4.
const address = format((s) => parseAddress(s)?.family === 4, 'INVALID_ADDRESS', 'an IPv4 address such as 172.26.0.141');
const ipBlock = format((s) => parseIpBlock(s)?.family === 4, 'INVALID_ADDRESS', 'an IPv4 address, CIDR or start-stop range');

export const NodeSchema = z
  .strictObject({
    // The pattern and length are the rules' (rules/nodes.ts), repeated for editors; validate reports them as NODE_NAME_INVALID.
    name: z.string().min(1).meta({ pattern: NODE_NAME_PATTERN, maxLength: NODE_NAME_MAX }).describe('Node name, as Kubernetes and Kubespray will know it (its hostname).'),
    address: address.describe('Node IP address: Kubespray ip/access_ip; must be reachable from every cluster of the mesh.'),
    role: z.enum(['control-plane', 'worker']).default('worker').describe('control-plane runs the API server and etcd; worker runs workloads.'),
  })
  .describe('A machine of the cluster.');

export const KubeconfigRefSchema = z
  .strictObject({
    path: z.string().min(1).optional().describe('Kubeconfig file; default: the KUBECONFIG list or ~/.kube/config, as kubectl finds it.'),
    context: z.string().min(1).optional().describe('Context to use; default: the context named after the cluster.'),
  })
  .describe('Where an existing cluster\'s credentials are (provisioner: existing).');

export const ApiServerLoadBalancerSchema = z
  .strictObject({
    address: address.describe('Address of the load balancer in front of every control plane (Kubespray loadbalancer_apiserver.address).'),
    port: z.number().int().min(1).max(65535).default(6443).describe('Its port (Kubespray loadbalancer_apiserver.port; default kube_apiserver_port 6443).'),
  })
  .describe(
    'An external load balancer for the API server (Kubespray loadbalancer_apiserver). Without it every node reaches the API server on 127.0.0.1:6443 through Kubespray\'s localhost load balancer (nginx-proxy).',
  );

export const ClusterSchema = z
  .strictObject({
    // Pattern, length and id range are the rules' (rules/clusters.ts), repeated for editors.
    name: z.string().meta({ pattern: CLUSTER_NAME_PATTERN, maxLength: CLUSTER_NAME_MAX }).describe('Cilium cluster.name: lowercase DNS-1123 label, at most 32 characters, unique in the mesh.'),
    id: z.number().int().meta({ minimum: 0, maximum: CLUSTER_ID_MAX_511 }).describe('Cilium cluster.id: unique in the mesh, 1..255 (1..511 with maxConnectedClusters 511; 0 only without the mesh).'),
    podCIDR: ipv4Cidr.describe('Cilium cluster-pool IPv4 pod CIDR; must not overlap any other cluster\'s.'),
    podCIDRMaskSize: z.number().int().default(24).describe('Size of the pod CIDR slice each node gets (clusterPoolIPv4MaskSize).'),
    serviceCIDR: ipv4Cidr.default('10.233.0.0/18').describe('Service (cluster IP) CIDR; Kubespray\'s default. May be equal across clusters.'),
    nodes: z.array(NodeSchema).min(1).describe('Machines of the cluster, in the order IPAM hands out pod CIDR slices.'),
    loadBalancerIPs: z.array(ipBlock).default([]).describe('LB IPAM pool of the cluster: addresses, CIDRs or start-stop ranges.'),
    loadBalancerPool: format((s) => DNS_SUBDOMAIN.test(s), 'INVALID_NAME', 'a lowercase DNS-1123 name')
      .optional()
      .describe('Name of the cluster\'s CiliumLoadBalancerIPPool; default pool-<cluster name>.'),
    nodeNetwork: ipv4Cidr.optional().describe('The node network the nodes share (e.g. 172.26.0.0/24): L2 announcements answer ARP for VIPs only inside it.'),
    apiServerLoadBalancer: ApiServerLoadBalancerSchema.optional(),
    ingressHost: z.string().min(1).optional().describe('Host name of the ingress test application (e.g. test-ingress.ilba.cat).'),
    kubeconfig: KubeconfigRefSchema.optional(),
  })
  .describe('One Kubernetes cluster of the mesh.');

const IngressSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Install the Cilium Ingress controller (Service cilium-ingress, type LoadBalancer).'),
    mode: z.enum(['shared', 'dedicated']).default('shared').describe('shared: one LoadBalancer for all Ingresses; dedicated: one per Ingress.'),
  })
  .describe('Cilium Ingress controller.');

const HubbleSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Hubble in the agents (the chart default).'),
    relay: z.boolean().default(false).describe('Hubble Relay: cluster-wide flow API.'),
    ui: z.boolean().default(false).describe('Hubble UI; requires relay.'),
  })
  .describe('Hubble observability.');

const EncryptionSchema = z
  .strictObject({
    type: z.enum(['none', 'wireguard', 'ipsec']).default('none').describe('Transparent encryption between nodes.'),
  })
  .describe('Transparent encryption.');

export const CiliumSchema = z
  .strictObject({
    version: format((s) => CHART_VERSION.test(s), 'INVALID_VERSION', 'a chart version such as 1.16.5')
      .meta({ pattern: CHART_VERSION.source })
      .describe('Cilium Helm chart version, e.g. 1.16.5.'),
    kubeProxyReplacement: z.boolean().default(true).describe('Cilium replaces kube-proxy (Kubespray then skips installing it).'),
    routingMode: z.enum(['tunnel', 'native']).default('tunnel').describe('Datapath routing mode; must be the same in every cluster.'),
    tunnelProtocol: z.enum(['vxlan', 'geneve']).default('vxlan').describe('Encapsulation in tunnel mode.'),
    nativeRoutingCIDR: ipv4Cidr.optional().describe('Native routing: a CIDR that covers the pod CIDRs of every cluster.'),
    ingress: IngressSchema.default({ enabled: true, mode: 'shared' }),
    hubble: HubbleSchema.default({ enabled: true, relay: false, ui: false }),
    encryption: EncryptionSchema.default({ type: 'none' }),
  })
  .describe('Cilium, installed by Helm in every cluster.');

export const MeshSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Join the clusters with Cilium Cluster Mesh.'),
    apiserverService: z.enum(['LoadBalancer', 'NodePort']).default('LoadBalancer').describe('Service type of the clustermesh-apiserver.'),
    kvstoremesh: z.boolean().default(true).describe('KVStoreMesh caches remote clusters locally (Cilium 1.16 default).'),
    maxConnectedClusters: z.union([z.literal(255), z.literal(511)]).default(255).describe('255 or 511; the same on every cluster, fixed at install.'),
  })
  .describe('Cilium Cluster Mesh.');

export const KubernetesSchema = z
  .strictObject({
    version: format((s) => KUBE_VERSION.test(s), 'INVALID_VERSION', 'a Kubernetes version such as v1.30.4')
      .meta({ pattern: KUBE_VERSION.source })
      .describe('Kubernetes version, e.g. v1.30.4 (Kubespray kube_version).'),
    provisioner: z.enum(['kubespray', 'existing']).default('kubespray').describe('kubespray: meshwright builds the clusters; existing: they are already there.'),
  })
  .describe('Kubernetes of every cluster.');

export const PlatformSchema = z
  .strictObject({
    apiVersion: z.literal('meshwright/v1alpha1'),
    kind: z.literal('Platform'),
    metadata: z.strictObject({
      name: z.string().min(1).describe('Name of the platform.'),
      labels: z.record(z.string(), z.string()).optional(),
      annotations: z.record(z.string(), z.string()).optional(),
    }),
    spec: z.strictObject({
      kubernetes: KubernetesSchema,
      cilium: CiliumSchema,
      mesh: MeshSchema.default({ enabled: true, apiserverService: 'LoadBalancer', kvstoremesh: true, maxConnectedClusters: 255 }),
      clusters: z.array(ClusterSchema).min(1).describe('The clusters of the platform.'),
    }),
  })
  .describe('A multi-cluster Kubernetes platform joined by Cilium Cluster Mesh (meshwright).');

export type Platform = z.output<typeof PlatformSchema>;
export type ClusterSpec = z.output<typeof ClusterSchema>;
export type NodeSpec = z.output<typeof NodeSchema>;
export type CiliumSpec = z.output<typeof CiliumSchema>;
export type MeshSpec = z.output<typeof MeshSchema>;
export type ApiServerLoadBalancer = z.output<typeof ApiServerLoadBalancerSchema>;

/** The JSON Schema editors use (yaml-language-server reads draft-07 and below). */
export function platformJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(PlatformSchema, { target: 'draft-7', io: 'input' }) as Record<string, any>;
  // Cluster ids above 255 need maxConnectedClusters 511 (rules/clusters.ts CLUSTER_ID_RANGE): the same, in draft-07.
  schema.properties.spec.if = { properties: { mesh: { properties: { maxConnectedClusters: { const: CLUSTER_ID_MAX_511 } }, required: ['maxConnectedClusters'] } }, required: ['mesh'] };
  schema.properties.spec.else = { properties: { clusters: { items: { properties: { id: { maximum: CLUSTER_ID_MAX } } } } } };
  return { ...schema, title: 'meshwright Platform (meshwright/v1alpha1)' };
}
