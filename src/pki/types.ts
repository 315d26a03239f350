/**
 * The mesh's certificates, as render/ consumes them. One CA for the whole mesh, so
 * `cilium clustermesh connect`'s "CA certificates do not match" can never happen.
 */
export interface PemPair {
  /** PEM certificate. */
  cert: string;
  /** PEM PKCS#8 private key. A secret: never printed, logged, or written outside 0600 files. */
  key: string;
}

/** One certificate as the state folder keeps it: the exact bytes, so a reused one renders identically. */
export interface StoredPair {
  certPem: string;
  /** PKCS#8 PEM. Secret. */
  keyPem: string;
}

export type CertUsage = 'server' | 'client';

export interface IssuedCert extends PemPair {
  /** Stable id in the state folder, e.g. "ca" or "k8s-cilium-01/clustermesh-server". */
  id: string;
  commonName: string;
  dnsNames: string[];
  ipAddresses: string[];
  usages: CertUsage[];
  /** ISO 8601 UTC. */
  notBefore: string;
  notAfter: string;
}

/**
 * Per cluster, what the chart's tls.*.cert/key values take when its own generation is off.
 * The clustermesh certificates exist only with the mesh on; Hubble's only with Hubble on.
 */
export interface ClusterCerts {
  /** clustermesh-apiserver server: CN clustermesh-apiserver.cilium.io; SANs *.mesh.cilium.io, clustermesh-apiserver.kube-system.svc, the VIP, 127.0.0.1. */
  clustermeshServer?: IssuedCert;
  /** clustermesh-apiserver admin: CN admin-<cluster>. */
  clustermeshAdmin?: IssuedCert;
  /** What other clusters' agents (or KVStoreMesh) present: CN remote (authMode legacy). */
  clustermeshRemote?: IssuedCert;
  /** KVStoreMesh's client of the local etcd: CN local-<cluster>; present when KVStoreMesh is on. */
  clustermeshLocal?: IssuedCert;
  /** Hubble server: *.<cluster>.hubble-grpc.cilium.io; present when Hubble is on. */
  hubbleServer?: IssuedCert;
  /** Hubble Relay's client certificate towards the agents: present when Relay is on. */
  hubbleRelayClient?: IssuedCert;
}

export interface MeshPki {
  ca: IssuedCert;
  /** With encryption ipsec: the one `cilium-ipsec-keys` line every cluster shares. A secret. */
  ipsecKeys?: string;
  /** Keyed by cluster name. */
  clusters: Record<string, ClusterCerts>;
}
