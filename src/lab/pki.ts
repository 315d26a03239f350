import { webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writePrivate } from './process/files.js';

export interface LabPki {
  caPem: string;
  serverCertPem: string;
  serverKeyPem: string;
  clientCertPem: string;
  clientKeyPem: string;
}

const FILES = { ca: 'ca.crt', caKey: 'ca.key', server: 'server.crt', serverKey: 'server.key', client: 'client.crt', clientKey: 'client.key' };

/**
 * The lab's own CA (never the mesh CA) and, issued from it with src/pki's code, one serving
 * certificate for 127.0.0.1/localhost and one client certificate for kubectl. Kept in the lab's
 * pki folder (0700, files 0600) so kubeconfigs stay valid across down/up.
 */
export async function ensureLabPki(dir: string, now: Date): Promise<LabPki> {
  const p = (f: string) => join(dir, f);
  if (Object.values(FILES).every((f) => existsSync(p(f)))) {
    const r = (f: string) => readFileSync(p(f), 'utf8');
    return { caPem: r(FILES.ca), serverCertPem: r(FILES.server), serverKeyPem: r(FILES.serverKey), clientCertPem: r(FILES.client), clientKeyPem: r(FILES.clientKey) };
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // loaded only when certificates are made: @peculiar/x509 costs a second of start-up
  const { currentCa, issueCertificate } = await import('../pki/index.js');
  const crypto = webcrypto as unknown as Crypto;
  const ca = await currentCa(undefined, { id: 'ca', kind: 'ca', commonName: 'meshwright lab CA (simulated clusters)', dnsNames: [], ipAddresses: [], usages: [], lifetimeDays: 3650 }, { now, crypto });
  const server = await issueCertificate({ id: 'lab/server', kind: 'leaf', commonName: 'meshwright-lab-apiserver', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], usages: ['server'], lifetimeDays: 3650 }, { now, crypto, issuer: ca.signer });
  const client = await issueCertificate({ id: 'lab/client', kind: 'leaf', commonName: 'meshwright-lab-admin', dnsNames: [], ipAddresses: [], usages: ['client'], lifetimeDays: 3650 }, { now, crypto, issuer: ca.signer });
  writePrivate(p(FILES.ca), ca.pair.certPem);
  writePrivate(p(FILES.caKey), ca.pair.keyPem);
  writePrivate(p(FILES.server), server.certPem);
  writePrivate(p(FILES.serverKey), server.keyPem);
  writePrivate(p(FILES.client), client.certPem);
  writePrivate(p(FILES.clientKey), client.keyPem);
  return { caPem: ca.pair.certPem, serverCertPem: server.certPem, serverKeyPem: server.keyPem, clientCertPem: client.certPem, clientKeyPem: client.keyPem };
}
