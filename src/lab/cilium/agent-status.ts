import { clusterIpam, identityRange } from '../../model/index.js';
import type { ClusterSpec } from '../../spec/index.js';
import { parseCidr } from '../../net/index.js';
import { getObj, listOf } from '../controllers/kit.js';
import type { MeshView } from '../mesh/view.js';
import type { ClusterApi } from '../service/cluster-api.js';
import type { Obj } from '../store/log-store.js';

/** The Kubernetes resources the 1.16 agent watches (its `k8s-api-versions`, as 1.16 agents list them; (unverified) list from 1.16 output). */
const K8S_APIS = [
  'EndpointSliceOrEndpoint',
  'cilium/v2::CiliumClusterwideNetworkPolicy',
  'cilium/v2::CiliumEndpoint',
  'cilium/v2::CiliumNetworkPolicy',
  'cilium/v2::CiliumNode',
  'cilium/v2alpha1::CiliumCIDRGroup',
  'core/v1::Namespace',
  'core/v1::Pods',
  'core/v1::Service',
  'networking.k8s.io/v1::NetworkPolicy',
];

const CILIUM_VERSION = '1.16.5 (v1.16.5-meshwright-lab-simulated)';

/**
 * `GET /v1/healthz` of the agent on `pod`'s node (models.StatusResponse, api/v1/openapi.yaml),
 * built from the lab's objects: cilium-config, the node and its pod CIDR slice, the pods with
 * an IP from it, the mesh links. Numbers the lab has no source for (CPUs, perf pages) are fixed.
 */
export function agentStatus(api: ClusterApi, spec: ClusterSpec, pod: Obj, mesh: MeshView): { status: Obj; health: { reachable: number; total: number } } {
  const cluster = spec.name;
  const config: Record<string, string> = getObj(api, 'core/configmaps', 'kube-system', 'cilium-config')?.data ?? {};
  const nodeName: string = pod.spec?.nodeName ?? '';
  const node = getObj(api, 'core/nodes', '', nodeName);
  const nodeIP = (node?.status?.addresses ?? []).find((a: Obj) => a.type === 'InternalIP')?.address ?? pod.status?.hostIP ?? '';
  const slice: string = clusterIpam(spec).nodes.find((n) => n.node === nodeName)?.podCIDR ?? '';
  const kpr = config['kube-proxy-replacement'] === 'true';
  const onNode = listOf(api, 'core/pods').filter((p) => p.spec?.nodeName === nodeName && !p.spec?.hostNetwork && p.status?.podIP);
  const allocations: Record<string, string> = Object.fromEntries(onNode.map((p) => [p.status.podIP, `${p.metadata.namespace}/${p.metadata.name}`]));
  const sliceSize = slice ? slotsOf(slice) : 0;
  const ready = listOf(api, 'core/nodes').length;
  const tunnel = (config['routing-mode'] || 'tunnel') === 'tunnel';
  const idRange = identityRange(Number(config['cluster-id'] || 0), config['max-connected-clusters'] === '511' ? 511 : 255);
  const meshConfigured = Boolean(getObj(api, 'core/secrets', 'kube-system', 'cilium-clustermesh'));
  const sr: Obj = {
    kvstore: { state: 'Disabled' },
    kubernetes: { state: 'Ok', msg: `${api.info.kubernetesVersion.replace(/^v?(\d+\.\d+).*$/, '$1')} (v${api.info.kubernetesVersion.replace(/^v/, '')}) [linux/amd64]`, 'k8s-api-versions': K8S_APIS },
    'kube-proxy-replacement': {
      mode: kpr ? 'True' : 'False',
      devices: ['eth0'],
      deviceList: [{ name: 'eth0', ip: [nodeIP] }],
      directRoutingDevice: 'eth0',
      features: {
        nodePort: kpr ? { enabled: true, mode: 'SNAT', algorithm: 'Random', acceleration: 'None', portMin: 30000, portMax: 32767 } : { enabled: false },
        hostPort: { enabled: kpr },
        externalIPs: { enabled: kpr },
        socketLB: { enabled: kpr },
        socketLBTracing: { enabled: kpr },
        sessionAffinity: { enabled: kpr },
        gracefulTermination: { enabled: kpr },
        nat46X64: { enabled: false },
      },
    },
    'host-firewall': { mode: 'Disabled', devices: [] },
    'cni-chaining': { mode: 'none' },
    'cni-file': { state: 'Ok', msg: '/host/etc/cni/net.d/05-cilium.conflist' },
    cilium: { state: 'Ok', msg: CILIUM_VERSION },
    nodeMonitor: { cpus: 2, npages: 64, pagesize: 4096 },
    cluster: { ciliumHealth: { state: 'Ok', msg: 'Health check completed' }, self: `${cluster}/${nodeName}`, nodes: [] },
    ipam: { status: `IPv4: ${onNode.length + 2}/${sliceSize} allocated from ${slice}, `, allocations, ipv4: Object.keys(allocations), ipv6: [] },
    ...(meshConfigured ? { 'cluster-mesh': { clusters: mesh.remoteClusters(cluster, 'agent'), 'num-global-services': mesh.globalServices(cluster) } } : {}),
    'bandwidth-manager': { enabled: false, devices: [] },
    routing: { 'inter-host-routing-mode': tunnel ? 'Tunnel' : 'Native', 'intra-host-routing-mode': 'Legacy', ...(tunnel ? { 'tunnel-protocol': config['tunnel-protocol'] || 'vxlan' } : {}) },
    'attach-mode': 'tc',
    'datapath-mode': 'veth',
    masquerading: { enabled: true, mode: kpr ? 'BPF' : 'iptables', enabledProtocols: { ipv4: true }, 'snat-exclusion-cidr-v4': (config['cluster-pool-ipv4-cidr'] ?? '').split(' ')[0] ?? '' },
    'clock-source': { mode: 'ktime' },
    proxy: { ip: firstHost(slice), 'port-range': '10000-20000', 'total-redirects': 0, 'total-ports': 0, redirects: [], 'envoy-deployment-mode': config['external-envoy-proxy'] === 'true' ? 'external' : 'embedded' },
    'identity-range': { 'min-identity': idRange.first, 'max-identity': idRange.last },
    ...(config['enable-hubble'] === 'true' ? { hubble: { state: 'Ok', observer: { 'current-flows': 0, 'max-flows': 4095, 'seen-flows': 0 }, metrics: { state: 'Disabled' } } } : {}),
    encryption: { mode: 'Disabled' },
  };
  sr.cluster.nodes = listOf(api, 'core/nodes').map((n) => ({
    name: `${cluster}/${n.metadata.name}`,
    'primary-address': { ipv4: { enabled: true, ip: (n.status?.addresses ?? []).find((a: Obj) => a.type === 'InternalIP')?.address ?? '' } },
    'secondary-addresses': [],
  }));
  return { status: sr, health: { reachable: ready, total: ready } };
}

/** Addresses an agent's slice holds for endpoints (network and broadcast excluded). */
function slotsOf(cidr: string): number {
  const c = parseCidr(cidr);
  return c ? Number((1n << BigInt(32 - c.prefix)) - 2n) : 0;
}

/** cilium_host's router IP: the slice's first host address. */
function firstHost(cidr: string): string {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\//.exec(cidr);
  return m ? `${m[1]}.${m[2]}.${m[3]}.${Number(m[4]) + 1}` : '';
}
