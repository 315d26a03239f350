import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { IssuedCert, ReconcileResult } from '../../src/pki/index.js';
import { referenceLab, validFixture } from '../helpers/platforms.js';
import { reconcile, T0, tempDir } from '../helpers/pki.js';

/** Every issued leaf of a MeshPki, flat. */
const leaves = (r: ReconcileResult): IssuedCert[] => Object.values(r.pki.clusters).flatMap((c) => Object.values(c).filter((x): x is IssuedCert => x !== undefined));

/** OpenSSL checks at the certificates' own birth time, so the test does not depend on today. */
const AT = String(Math.floor(T0.getTime() / 1000) + 3600);

function openssl(args: string[]): string {
  try {
    return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { code?: string; stdout?: string; stderr?: string };
    if (e.code === 'ENOENT') assert.fail('openssl is not installed: apt-get install openssl');
    assert.fail(`openssl ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

describe('the mesh CA signs every leaf (OpenSSL and node:crypto agree)', () => {
  const tmp = tempDir('chain');
  let lab: ReconcileResult;
  let relay: ReconcileResult;
  before(async () => {
    lab = await reconcile(referenceLab());
    relay = await reconcile(validFixture('three-clusters.yaml'));
  });
  after(() => tmp.cleanup());

  for (const [name, which] of [['reference-lab', 'reference lab'], ['three-clusters', 'three clusters with Hubble Relay']] as const) {
    test(`${which}: openssl verify -CAfile ca.crt, for the purposes each certificate claims`, () => {
      const r = name === 'reference-lab' ? lab : relay;
      const caFile = join(tmp.dir, `${name}-ca.crt`);
      writeFileSync(caFile, r.pki.ca.cert);
      for (const leaf of leaves(r)) {
        const file = join(tmp.dir, `${name}-${leaf.id.replace('/', '_')}.crt`);
        writeFileSync(file, leaf.cert);
        for (const usage of leaf.usages) {
          const purpose = usage === 'server' ? 'sslserver' : 'sslclient';
          const out = openssl(['verify', '-attime', AT, '-purpose', purpose, '-x509_strict', '-CAfile', caFile, file]);
          assert.equal(out.trim(), `${file}: OK`, `${leaf.id} as ${purpose}`);
        }
      }
    });
  }

  test('node:crypto: checkIssued and verify against the CA; the CA is a CA, leaves are not', () => {
    const ca = new X509Certificate(lab.pki.ca.cert);
    assert.equal(ca.ca, true);
    assert.ok(ca.verify(ca.publicKey), 'the CA is self-signed');
    for (const leaf of leaves(lab)) {
      const cert = new X509Certificate(leaf.cert);
      assert.ok(cert.checkIssued(ca), leaf.id);
      assert.ok(cert.verify(ca.publicKey), leaf.id);
      assert.equal(cert.ca, false, leaf.id);
      assert.ok(cert.checkPrivateKey(createPrivateKey(leaf.key)), `${leaf.id}: key belongs to the certificate`);
      assert.equal(createPrivateKey(leaf.key).asymmetricKeyDetails?.namedCurve, 'prime256v1', leaf.id);
    }
  });

  test('the server certificate answers for every name a peer or agent uses', () => {
    const server = new X509Certificate(lab.pki.clusters['k8s-cilium-02']!.clustermeshServer!.cert);
    for (const host of ['clustermesh-apiserver.cilium.io', 'k8s-cilium-01.mesh.cilium.io', 'clustermesh-apiserver.kube-system.svc']) assert.ok(server.checkHost(host), host);
    for (const ip of ['127.0.0.1', '172.26.0.106']) assert.equal(server.checkIP(ip), ip);
    assert.equal(server.checkIP('172.26.0.102'), undefined, 'not the other cluster\'s VIP');
  });

  test('a certificate from an independent PKI does not chain to this CA', async () => {
    const other = await reconcile(referenceLab());
    const ca = new X509Certificate(lab.pki.ca.cert);
    const stranger = new X509Certificate(other.pki.clusters['k8s-cilium-02']!.clustermeshRemote!.cert);
    assert.equal(stranger.verify(ca.publicKey), false);
    const caFile = join(tmp.dir, 'mesh-ca.crt');
    const file = join(tmp.dir, 'stranger.crt');
    writeFileSync(caFile, lab.pki.ca.cert);
    writeFileSync(file, other.pki.clusters['k8s-cilium-02']!.clustermeshRemote!.cert);
    const refused = spawnSync('openssl', ['verify', '-attime', AT, '-CAfile', caFile, file], { encoding: 'utf8' });
    assert.equal(refused.error, undefined, 'openssl is not installed: apt-get install openssl');
    assert.notEqual(refused.status, 0);
    assert.match(refused.stdout + refused.stderr, /unable to get local issuer certificate/);
  });
});
