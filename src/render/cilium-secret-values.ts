import type { ClusterCerts, MeshPki, PemPair } from '../pki/index.js';
import type { ClusterSpec, Platform } from '../spec/index.js';
import { b64 } from './base64.js';
import type { RenderOptions } from './types.js';

const pair = (p: PemPair) => ({ cert: b64(p.cert), key: b64(p.key) });

/**
 * The secret half of a cluster's Cilium values: the mesh CA certificate and this cluster's
 * certificates and keys, base64 PEM as the chart's tls.* values take them. Written 0600.
 */
export function ciliumSecretValues(platform: Platform, cluster: ClusterSpec, pki: MeshPki, options: RenderOptions): Record<string, unknown> {
  // With the mesh and Hubble off a cluster has no certificates of its own: only the CA goes in.
  const certs = pki.clusters[cluster.name] ?? {};
  const ca: Record<string, string> = { cert: b64(pki.ca.cert) };
  if (options.caKeyToChart) ca.key = b64(pki.ca.key);
  const values: Record<string, unknown> = { tls: { ca } };
  const clustermesh = platform.spec.mesh.enabled ? clustermeshTls(certs) : undefined;
  if (clustermesh) values.clustermesh = { apiserver: { tls: clustermesh } };
  const hubble = hubbleTls(platform, certs);
  if (hubble) values.hubble = hubble;
  return values;
}

function clustermeshTls(certs: ClusterCerts): Record<string, unknown> | undefined {
  const { clustermeshServer: server, clustermeshAdmin: admin, clustermeshRemote: remote } = certs;
  if (!server || !admin || !remote) return undefined;
  return { server: pair(server), admin: pair(admin), remote: pair(remote) };
}

function hubbleTls(platform: Platform, certs: ClusterCerts): Record<string, unknown> | undefined {
  const { hubble } = platform.spec.cilium;
  if (!hubble.enabled || !certs.hubbleServer) return undefined;
  const out: Record<string, unknown> = { tls: { server: pair(certs.hubbleServer) } };
  if (hubble.relay && certs.hubbleRelayClient) out.relay = { tls: { client: pair(certs.hubbleRelayClient) } };
  return out;
}
