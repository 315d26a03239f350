import { connect } from 'node:tls';
import { answerDeadline } from './deadline.js';
import type { TlsMaterial } from './endpoint.js';

export type Handshake = { ok: true; hello: string } | { ok: false; error: string };

/**
 * Dials a peer's endpoint as KVStoreMesh's etcd client does: the client certificate and CA of
 * the dialling cluster's clustermesh-apiserver-remote-cert Secret, the server name of the etcd
 * configuration's endpoint (`<cluster>.mesh.cilium.io`, matched against the server
 * certificate's SANs). A real mutual-TLS handshake decides; its failure is worded as Go's
 * crypto/tls and net would word it, with Node's code kept. The timeout counts only the time the
 * lab was free to read the answer (deadline.ts): a busy lab is not a peer that does not answer.
 */
export function handshake(port: number, serverName: string, dialAddress: string, client: TlsMaterial, timeoutMs = 2000): Promise<Handshake> {
  return new Promise((resolve) => {
    let hello = '';
    let done = false;
    const finish = (h: Handshake) => {
      if (done) return;
      done = true;
      cancel();
      sock.destroy();
      resolve(h);
    };
    const sock = connect({ host: '127.0.0.1', port, servername: serverName, ca: client.ca, cert: client.cert, key: client.key });
    sock.on('data', (d: Buffer) => (hello += d.toString()));
    sock.on('end', () => finish(hello ? { ok: true, hello: hello.trim() } : { ok: false, error: 'remote error: tls: bad certificate (the server closed the connection after the handshake)' }));
    const cancel = answerDeadline(timeoutMs, () => finish({ ok: false, error: `dial tcp ${dialAddress}: i/o timeout` }));
    sock.on('error', (err: NodeJS.ErrnoException) => finish({ ok: false, error: goWording(err, dialAddress, serverName) }));
  });
}

function goWording(err: NodeJS.ErrnoException, address: string, serverName: string): string {
  const code = err.code ?? '';
  if (code === 'ECONNREFUSED') return `dial tcp ${address}: connect: connection refused`;
  if (['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_SIGNATURE_FAILURE'].includes(code)) {
    return `tls: failed to verify certificate: x509: certificate signed by unknown authority (${code})`;
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `tls: failed to verify certificate: x509: certificate is not valid for ${serverName} (${code})`;
  if (code === 'CERT_HAS_EXPIRED') return `tls: failed to verify certificate: x509: certificate has expired or is not yet valid (${code})`;
  if (/alert|certificate/i.test(err.message)) return `remote error: tls: bad certificate (${err.message})`;
  return `${err.message}${code ? ` (${code})` : ''}`;
}
