import { createServer, type Server, type TLSSocket } from 'node:tls';
import type { Socket } from 'node:net';

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
 */
export class MeshEndpoint {
  private readonly sockets = new Set<Socket>();
  private constructor(
    readonly server: Server,
    readonly port: number,
    readonly material: TlsMaterial,
  ) {}

  static async start(material: TlsMaterial, hello: string): Promise<MeshEndpoint> {
    const server = createServer({ key: material.key, cert: material.cert, ca: material.ca, requestCert: true, rejectUnauthorized: true }, (s: TLSSocket) => s.end(`${hello}\n`));
    // a failed handshake is the peer's error to report; nothing to log here
    server.on('tlsClientError', () => undefined);
    const port = await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
    });
    const ep = new MeshEndpoint(server, port, material);
    server.on('connection', (s: Socket) => {
      ep.sockets.add(s);
      s.on('close', () => ep.sockets.delete(s));
    });
    return ep;
  }

  same(m: TlsMaterial): boolean {
    return m.ca === this.material.ca && m.cert === this.material.cert && m.key === this.material.key;
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((r) => this.server.close(() => r()));
  }
}
