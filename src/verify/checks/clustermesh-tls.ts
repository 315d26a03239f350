import { connect, type PeerCertificate } from 'node:tls';
import { answerDeadline } from '../../lab/index.js';
import { getJson } from '../../ops/index.js';
import type { Check, CheckResult } from '../types.js';

interface Presented {
  subject?: string;
  issuer?: string;
  /** Whether the chain verifies against the mesh CA, and if not, OpenSSL's reason. */
  authorized: boolean;
  reason?: string;
  error?: string;
}

/**
 * Opens a TLS connection as a peer's KVStoreMesh would (SNI `<cluster>.mesh.cilium.io`, the
 * client certificate of clustermesh-apiserver-remote-cert) and reads the server certificate,
 * verifying it against the mesh CA. Node's `authorized` / `authorizationError` carry OpenSSL's
 * verdict, so a foreign CA is named as such. The time limit counts only the time this process was
 * free to read the answer (answerDeadline): while other checks parse large answers, a handshake the
 * server completed in time must not read as "no TLS answer".
 */
function presented(target: { host: string; port: number }, servername: string, ca: string, client: { cert?: string; key?: string }, timeoutMs = 5000): Promise<Presented> {
  return new Promise((resolve) => {
    const sock = connect({ host: target.host, port: target.port, servername, ca, rejectUnauthorized: false, ...(client.cert && client.key ? { cert: client.cert, key: client.key } : {}) });
    const cancel = answerDeadline(timeoutMs, () => done({ authorized: false, error: `no TLS answer within ${timeoutMs / 1000}s` }));
    const done = (p: Presented) => {
      cancel();
      sock.destroy();
      resolve(p);
    };
    sock.once('secureConnect', () => {
      const cert: PeerCertificate = sock.getPeerCertificate();
      const cn = (x: string | string[] | undefined) => (Array.isArray(x) ? x.join(', ') : x);
      done({ subject: cn(cert.subject?.CN), issuer: cn(cert.issuer?.CN), authorized: sock.authorized, ...(sock.authorizationError ? { reason: String(sock.authorizationError) } : {}) });
    });
    sock.once('error', (err) => done({ authorized: false, error: err.message }));
  });
}

const decode = (b64: string | undefined) => (b64 ? Buffer.from(b64, 'base64').toString() : undefined);

/**
 * Each clustermesh-apiserver on its predicted VIP, port 2379, presents a certificate from the mesh
 * CA (the notebook's warning: clusters installed with their own "Cilium CA" cannot mesh). On the
 * lab the VIP is reached through the lab's 127.0.0.1 mapping, never directly.
 */
export const clustermeshTls: Check = {
  id: 'clustermesh-tls',
  title: 'clustermesh-apiserver on its VIP:2379 presents a certificate from the mesh CA',
  async run(ctx) {
    const { mesh } = ctx.platform.spec;
    if (!mesh.enabled || mesh.apiserverService !== 'LoadBalancer') return [];
    const out: CheckResult[] = [];
    await Promise.all(
      ctx.clusters.map(async ({ spec, client }) => {
        const lb = ctx.plan.loadBalancers.find((l) => l.cluster === spec.name && l.namespace === 'kube-system' && l.name === 'clustermesh-apiserver');
        const address = lb?.ip ? `${lb.ip}:2379` : undefined;
        const base = { check: this.id, cluster: spec.name, subject: `clustermesh-apiserver ${address ?? '<pending>'}`, expected: 'a server certificate issued by the mesh CA' };
        if (!address) {
          out.push({ ...base, status: 'fail', observed: 'plan predicts no address', hint: 'meshwright plan: the pool has no address left for clustermesh-apiserver' });
          return;
        }
        if (!ctx.meshCaPem) {
          out.push({ ...base, status: 'skip', observed: 'no mesh CA in the state folder to compare with', hint: 'give --state the folder render and apply used' });
          return;
        }
        if (!ctx.traffic && ctx.target === 'lab') return;
        const target = ctx.traffic ? await ctx.traffic.tlsTarget(address) : { host: lb!.ip!, port: 2379 };
        if (!target) {
          out.push({ ...base, status: 'fail', observed: `nothing answers on ${address}`, hint: `kubectl --context ${client.context} -n kube-system get svc,pods -l k8s-app=clustermesh-apiserver` });
          return;
        }
        const remote = await getJson(client, '/api/v1/namespaces/kube-system/secrets/clustermesh-apiserver-remote-cert');
        const p = await presented(target, `${spec.name}.mesh.cilium.io`, ctx.meshCaPem, { cert: decode(remote?.data?.['tls.crt']), key: decode(remote?.data?.['tls.key']) });
        const ok = !p.error && p.authorized;
        out.push({
          ...base,
          status: ok ? 'pass' : 'fail',
          observed: p.error ? `TLS failed: ${p.error}` : `${p.subject ?? '?'} issued by ${p.issuer ?? '?'}${p.authorized ? ', verified by the mesh CA' : `, not the mesh CA (${p.reason})`}`,
          ...(ok ? {} : { hint: p.error ? `kubectl --context ${client.context} -n kube-system logs deploy/clustermesh-apiserver` : `the cluster's clustermesh certificates come from another CA: re-render with this state folder's CA (cilium-ca / tls.ca in the secret values) and meshwright apply` }),
        });
      }),
    );
    return out;
  },
};
