import type { ClusterSpec, Platform } from '../spec/index.js';
import { clustermeshApiserverIP } from './apiserver-ip.js';
import type { CertUsage } from './types.js';

/** The certificates one cluster can hold, by their file name in the state folder. */
export const LEAF_NAMES = ['clustermesh-server', 'clustermesh-admin', 'clustermesh-remote', 'clustermesh-local', 'hubble-server', 'hubble-relay-client'] as const;
export type LeafName = (typeof LEAF_NAMES)[number];

/** What the mesh needs one certificate to be; reconcilePki makes the state match it. */
export interface CertRequest {
  /** "ca", or "<cluster>/<LeafName>". */
  id: string;
  kind: 'ca' | 'leaf';
  cluster?: string;
  name?: LeafName;
  commonName: string;
  dnsNames: string[];
  ipAddresses: string[];
  usages: CertUsage[];
  lifetimeDays: number;
}

export const CA_ID = 'ca';
export const CA_LIFETIME_DAYS = 3650;
/** clustermesh.apiserver.tls.auto.certValidityDuration, the chart's default. */
export const LEAF_LIFETIME_DAYS = 1095;
/** meshwright installs Cilium, and so the clustermesh-apiserver, into kube-system. */
const NAMESPACE = 'kube-system';

/**
 * One CA for the whole mesh, then per cluster the certificates the Cilium chart would otherwise
 * generate with a CA of its own (which is what breaks `cilium clustermesh connect`): names and
 * SANs as the chart's clustermesh-apiserver and Hubble certificates carry them.
 */
export function certificatePlan(platform: Platform): CertRequest[] {
  const ca: CertRequest = {
    id: CA_ID,
    kind: 'ca',
    commonName: `meshwright mesh CA ${platform.metadata.name}`,
    dnsNames: [],
    ipAddresses: [],
    usages: [],
    lifetimeDays: CA_LIFETIME_DAYS,
  };
  return [ca, ...platform.spec.clusters.flatMap((c) => clusterRequests(platform, c))];
}

function clusterRequests(platform: Platform, cluster: ClusterSpec): CertRequest[] {
  const { mesh, cilium } = platform.spec;
  const leaf = (name: LeafName, commonName: string, usages: CertUsage[], dnsNames: string[] = [], ipAddresses: string[] = []): CertRequest => ({
    id: `${cluster.name}/${name}`,
    kind: 'leaf',
    cluster: cluster.name,
    name,
    commonName,
    dnsNames,
    ipAddresses,
    usages,
    lifetimeDays: LEAF_LIFETIME_DAYS,
  });
  const out: CertRequest[] = [];
  if (mesh.enabled) {
    const vip = clustermeshApiserverIP(platform, cluster);
    // etcd inside the clustermesh-apiserver uses this pair as server and as peer client.
    out.push(leaf('clustermesh-server', 'clustermesh-apiserver.cilium.io', ['server', 'client'], serverDnsNames(), ['127.0.0.1', '::1', ...(vip ? [vip] : [])]));
    out.push(leaf('clustermesh-admin', `admin-${cluster.name}`, ['client']));
    // authMode legacy: every remote agent or KVStoreMesh presents CN "remote".
    out.push(leaf('clustermesh-remote', 'remote', ['client']));
    if (mesh.kvstoremesh) out.push(leaf('clustermesh-local', `local-${cluster.name}`, ['client']));
  }
  if (cilium.hubble.enabled) {
    const name = `*.${cluster.name}.hubble-grpc.cilium.io`;
    out.push(leaf('hubble-server', name, ['server', 'client'], [name]));
    if (cilium.hubble.relay) out.push(leaf('hubble-relay-client', '*.hubble-relay.cilium.io', ['client']));
  }
  return out;
}

/** The chart's server SANs: peers dial <cluster>.mesh.cilium.io (hostAliases), agents the Service. */
function serverDnsNames(): string[] {
  return ['clustermesh-apiserver.cilium.io', '*.mesh.cilium.io', `clustermesh-apiserver.${NAMESPACE}.svc`];
}
