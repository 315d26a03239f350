import { endpointThread } from './endpoint-thread.js';

/** The PEMs of a kubernetes.io/tls Secret (ca.crt, tls.crt, tls.key), decoded. */
export interface TlsMaterial {
  ca: string;
  cert: string;
  key: string;
}

export function tlsOf(secret: { data?: Record<string, string> } | undefined): TlsMaterial | undefined {
  const d = secret?.data ?? {};
  const dec = (k: string) => (d[k] ? Buffer.from(d[k]!, 'base64').toString() : '');
  const m = { ca: dec('ca.crt'), cert: dec('tls.crt'), key: dec('tls.key') };
  return m.ca && m.cert && m.key ? m : undefined;
}

/**
 * One cluster's clustermesh-apiserver as a real TLS endpoint on 127.0.0.1: its server
 * certificate, clients must present a certificate of the CA in its Secret (etcd's
 * --client-cert-auth with --trusted-ca-file). An accepted peer is told which cluster it
 * reached, so a name mismatch is visible as it is to KVStoreMesh (the cluster config key).
 * Served from the lab's endpoint thread (endpoint-thread.ts), not the API servers' event loop.
 */
export class MeshEndpoint {
  private constructor(
    readonly port: number,
    readonly material: TlsMaterial,
  ) {}

  static async start(material: TlsMaterial, hello: string): Promise<MeshEndpoint> {
    return new MeshEndpoint(await endpointThread.start(material, hello), material);
  }

  same(m: TlsMaterial): boolean {
    return m.ca === this.material.ca && m.cert === this.material.cert && m.key === this.material.key;
  }

  /** Stops listening and drops the connections it holds. */
  close(): Promise<void> {
    return endpointThread.close(this.port);
  }
}
