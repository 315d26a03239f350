import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { PkiEvent, PkiState, ReconcileResult, StoredPair } from '../../src/pki/index.js';
import { handMade, leafExtensions, opensslVerify, type HandMade } from '../helpers/openssl.js';
import { daysAfter, reconcile, T0, tempDir } from '../helpers/pki.js';
import { referenceLab } from '../helpers/platforms.js';

/**
 * Whether `render` keeps a stored leaf or re-issues it. The stored certificates here are made
 * with OpenSSL, signed by the mesh CA, as someone could have put them in the state folder: each
 * is right in every respect but one, which Cilium or etcd would trip over. What each certificate
 * must say comes from the Cilium 1.16 chart (../shared/reference/cilium-mesh.md §1.7: CN
 * `remote` in authMode legacy, server SANs `*.mesh.cilium.io` …, the server pair doubles as
 * etcd's peer client), validity from RFC 5280 §4.1.2.5 (notBefore through notAfter, inclusive).
 */

const lab = referenceLab();
const SKEW_MS = 5 * 60_000;
const REMOTE = 'k8s-cilium-01/clustermesh-remote';
const SERVER = 'k8s-cilium-02/clustermesh-server';
/** The names the chart gives the clustermesh-apiserver server certificate, and cluster 2's VIP. */
const SERVER_SANS = 'DNS:clustermesh-apiserver.cilium.io,DNS:*.mesh.cilium.io,DNS:clustermesh-apiserver.kube-system.svc,IP:127.0.0.1,IP:0:0:0:0:0:0:0:1,IP:172.26.0.106';

const outcome = (events: PkiEvent[], id: string) => {
  const e = events.find((x) => x.id === id);
  return e && (e.reason ? `${e.action}: ${e.reason}` : e.action);
};
const notReused = (r: ReconcileResult) => r.events.filter((e) => e.action !== 'reused').map((e) => e.id);
/** OpenSSL's -attime: seconds since the epoch. */
const at = (d: Date) => String(Math.floor(d.getTime() / 1000));

describe('reuse: a stored leaf is kept only while it is exactly what the mesh needs', () => {
  const tmp = tempDir('reuse');
  let first: ReconcileResult;
  let caFile: string;
  before(async () => {
    first = await reconcile(lab);
    caFile = join(tmp.dir, 'mesh-ca.crt');
    writeFileSync(caFile, first.state.ca!.certPem);
  });
  after(() => tmp.cleanup());

  /** A leaf OpenSSL signs with the mesh CA, valid like one meshwright issued at T0 unless told otherwise. */
  const byHand = (subject: string, extensions: string[], validity: Partial<HandMade> = {}): StoredPair =>
    handMade(tmp.dir, { subject, extensions, notBefore: new Date(T0.getTime() - SKEW_MS), notAfter: daysAfter(1095), ...validity }, first.state.ca);
  const withLeaf = (id: string, pair: StoredPair): PkiState => ({ ...first.state, [id]: pair });
  /** `openssl verify` of a PEM leaf against the mesh CA, at a given time, for a purpose. */
  const verify = (certPem: string, when: Date, purpose: 'sslclient' | 'sslserver') => {
    const file = join(tmp.dir, `leaf-${Math.random().toString(36).slice(2)}.crt`);
    writeFileSync(file, certPem);
    return opensslVerify(['-attime', at(when), '-purpose', purpose, '-x509_strict', '-CAfile', caFile, file]);
  };

  test('a hand-made leaf that says what the chart\'s would is kept byte for byte (control for the cases below)', async () => {
    const remote = byHand('/CN=remote', leafExtensions('clientAuth'));
    const server = byHand('/CN=clustermesh-apiserver.cilium.io', leafExtensions('serverAuth,clientAuth', SERVER_SANS));
    const r = await reconcile(lab, { ...withLeaf(REMOTE, remote), [SERVER]: server });
    assert.deepEqual(notReused(r), []);
    assert.deepEqual(r.state[REMOTE], remote);
    assert.deepEqual(r.state[SERVER], server);
  });

  test('common name: CN remote-<cluster> (authMode cluster) where authMode legacy needs CN remote → re-issued as CN remote', async () => {
    const stored = byHand('/CN=remote-k8s-cilium-01', leafExtensions('clientAuth'));
    const r = await reconcile(lab, withLeaf(REMOTE, stored));
    assert.equal(outcome(r.events, REMOTE), 'reissued: common name changed');
    assert.deepEqual(notReused(r), [REMOTE]);
    const cert = new X509Certificate(r.state[REMOTE]!.certPem);
    assert.equal(cert.subject, 'CN=remote');
    assert.ok(verify(r.state[REMOTE]!.certPem, daysAfter(1), 'sslclient').ok);
  });

  test('DNS SANs: a server certificate without *.mesh.cilium.io (the name peers dial) → re-issued with it; the IPs alone were right', async () => {
    const sans = SERVER_SANS.replace('DNS:*.mesh.cilium.io,', '');
    const stored = byHand('/CN=clustermesh-apiserver.cilium.io', leafExtensions('serverAuth,clientAuth', sans));
    assert.equal(new X509Certificate(stored.certPem).checkHost('k8s-cilium-01.mesh.cilium.io'), undefined, 'a peer would refuse the stored one');
    const r = await reconcile(lab, withLeaf(SERVER, stored));
    assert.equal(outcome(r.events, SERVER), 'reissued: SANs changed');
    assert.deepEqual(notReused(r), [SERVER]);
    const fresh = new X509Certificate(r.state[SERVER]!.certPem);
    assert.equal(fresh.checkHost('k8s-cilium-01.mesh.cilium.io'), '*.mesh.cilium.io');
    assert.equal(fresh.checkIP('172.26.0.106'), '172.26.0.106');
  });

  test('DNS SANs: one without clustermesh-apiserver.kube-system.svc (the Service KVStoreMesh\'s agents dial) → re-issued', async () => {
    const stored = byHand('/CN=clustermesh-apiserver.cilium.io', leafExtensions('serverAuth,clientAuth', SERVER_SANS.replace('DNS:clustermesh-apiserver.kube-system.svc,', '')));
    const r = await reconcile(lab, withLeaf(SERVER, stored));
    assert.equal(outcome(r.events, SERVER), 'reissued: SANs changed');
    assert.ok(new X509Certificate(r.state[SERVER]!.certPem).checkHost('clustermesh-apiserver.kube-system.svc'));
  });

  test('key usage: a server certificate for serverAuth only cannot be etcd\'s peer client → re-issued for both', async () => {
    const stored = byHand('/CN=clustermesh-apiserver.cilium.io', leafExtensions('serverAuth', SERVER_SANS));
    const refused = verify(stored.certPem, daysAfter(1), 'sslclient');
    assert.equal(refused.ok, false);
    assert.match(refused.output, /unsuitable certificate purpose/);
    const r = await reconcile(lab, withLeaf(SERVER, stored));
    assert.equal(outcome(r.events, SERVER), 'reissued: usages changed');
    assert.deepEqual(notReused(r), [SERVER]);
    for (const purpose of ['sslserver', 'sslclient'] as const) assert.ok(verify(r.state[SERVER]!.certPem, daysAfter(1), purpose).ok, purpose);
  });

  test('a client certificate without extended key usage is re-issued with clientAuth', async () => {
    const stored = byHand('/CN=remote', leafExtensions('clientAuth').filter((l) => !l.startsWith('extendedKeyUsage')));
    const r = await reconcile(lab, withLeaf(REMOTE, stored));
    assert.equal(outcome(r.events, REMOTE), 'reissued: usages changed');
    assert.deepEqual(new X509Certificate(r.state[REMOTE]!.certPem).keyUsage, ['1.3.6.1.5.5.7.3.2']);
  });

  test('a leaf that could sign certificates itself (CA:TRUE, keyCertSign) → re-issued as CA:FALSE', async () => {
    const asCa: Record<string, string> = { basicConstraints: 'basicConstraints = critical,CA:TRUE', keyUsage: 'keyUsage = critical,digitalSignature,keyCertSign' };
    const stored = byHand('/CN=remote', leafExtensions('clientAuth').map((l) => asCa[l.split(' ')[0]!] ?? l));
    assert.equal(new X509Certificate(stored.certPem).ca, true);
    const r = await reconcile(lab, withLeaf(REMOTE, stored));
    assert.equal(outcome(r.events, REMOTE), 'reissued: is a CA certificate');
    assert.equal(new X509Certificate(r.state[REMOTE]!.certPem).ca, false);
  });

  test('not yet valid (issued by a clock running ahead) → re-issued; valid again from its notBefore on, inclusive', async () => {
    const notBefore = daysAfter(20);
    const stored = byHand('/CN=remote', leafExtensions('clientAuth'), { notBefore, notAfter: daysAfter(1095, notBefore) });
    const now = daysAfter(10);
    const refused = verify(stored.certPem, now, 'sslclient');
    assert.equal(refused.ok, false);
    assert.match(refused.output, /certificate is not yet valid/);
    const r = await reconcile(lab, withLeaf(REMOTE, stored), { now });
    assert.equal(outcome(r.events, REMOTE), 'reissued: not yet valid (clock moved back?)');
    assert.deepEqual(notReused(r), [REMOTE]);
    assert.ok(verify(r.state[REMOTE]!.certPem, now, 'sslclient').ok);
    // RFC 5280 §4.1.2.5: the validity period includes notBefore itself.
    assert.ok(verify(stored.certPem, notBefore, 'sslclient').ok);
    const onTime = await reconcile(lab, withLeaf(REMOTE, stored), { now: notBefore });
    assert.equal(outcome(onTime.events, REMOTE), 'reused');
  });

  test('the clock set back before the whole state was issued: every leaf re-issued, the CA kept', async () => {
    const r = await reconcile(lab, first.state, { now: daysAfter(-1) });
    assert.equal(outcome(r.events, 'ca'), 'reused');
    const leaves = r.events.filter((e) => e.id !== 'ca');
    assert.equal(leaves.length, 10);
    for (const e of leaves) assert.equal(outcome(r.events, e.id), 'reissued: not yet valid (clock moved back?)', e.id);
  });

  test('signed with the mesh CA\'s key under another CA name: no chain to ca.crt (RFC 5280 §6.1.3 issuer name) → re-issued', async () => {
    const renamed = handMade(tmp.dir, {
      subject: '/CN=meshwright mesh CA old-name',
      extensions: ['basicConstraints = critical,CA:TRUE,pathlen:0', 'keyUsage = critical,keyCertSign,cRLSign', 'subjectKeyIdentifier = hash'],
      notBefore: daysAfter(-1),
      notAfter: daysAfter(3650),
      keyPem: first.state.ca!.keyPem,
    });
    const stored = handMade(tmp.dir, { subject: '/CN=remote', extensions: leafExtensions('clientAuth'), notBefore: new Date(T0.getTime() - SKEW_MS), notAfter: daysAfter(1095) }, { certPem: renamed.certPem, keyPem: first.state.ca!.keyPem });
    const refused = verify(stored.certPem, daysAfter(1), 'sslclient');
    assert.equal(refused.ok, false);
    assert.match(refused.output, /unable to get local issuer certificate/);
    const r = await reconcile(lab, withLeaf(REMOTE, stored));
    assert.equal(outcome(r.events, REMOTE), 'reissued: signed by another CA');
    assert.ok(verify(r.state[REMOTE]!.certPem, daysAfter(1), 'sslclient').ok);
  });

  test('a certificate whose signature bytes were damaged (a bad copy, a bad disk) → re-issued, not an error', async () => {
    const der = Buffer.from(first.state[REMOTE]!.certPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    // RFC 5280 §4.1.1.3 and RFC 5480 §2.2.3: the certificate ends with the signature BIT STRING,
    // which holds an ECDSA-Sig-Value SEQUENCE (tag 0x30); make that tag a SET (0x31).
    const bitString = der.findLastIndex((b, i) => b === 0x03 && i + 2 + der[i + 1]! === der.length);
    assert.equal(der[bitString + 3], 0x30);
    der[bitString + 3] = 0x31;
    const certPem = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
    const refused = verify(certPem, daysAfter(1), 'sslclient');
    assert.equal(refused.ok, false, 'OpenSSL refuses it too');
    const r = await reconcile(lab, withLeaf(REMOTE, { ...first.state[REMOTE]!, certPem }));
    assert.equal(outcome(r.events, REMOTE), 'reissued: signed by another CA');
    assert.deepEqual(notReused(r), [REMOTE]);
    assert.ok(verify(r.state[REMOTE]!.certPem, daysAfter(1), 'sslclient').ok);
  });

  test('an unreadable certificate or key file is re-issued, not an error', async () => {
    const garbageCert = await reconcile(lab, withLeaf(REMOTE, { ...first.state[REMOTE]!, certPem: 'garbage\n' }));
    assert.equal(outcome(garbageCert.events, REMOTE), 'reissued: unreadable certificate');
    const garbageKey = await reconcile(lab, withLeaf(REMOTE, { ...first.state[REMOTE]!, keyPem: 'garbage\n' }));
    assert.equal(outcome(garbageKey.events, REMOTE), 'reissued: key does not match the certificate');
    for (const r of [garbageCert, garbageKey]) assert.deepEqual(notReused(r), [REMOTE]);
  });
});

describe('reuse: renewal ahead of expiry', () => {
  let first: ReconcileResult;
  const tmp = tempDir('renew');
  before(async () => {
    first = await reconcile(lab);
  });
  after(() => tmp.cleanup());

  /** A meshwright leaf lives 1095 days from 5 minutes before T0: a third of that is 365 days and 100 seconds. */
  const LIFETIME_MS = 1095 * 86_400_000 + SKEW_MS;
  const thirdLeft = new Date(daysAfter(1095).getTime() - LIFETIME_MS / 3);

  test('renewed once a third of the lifetime or less remains (cert-manager\'s default renewal point), not a second earlier', async () => {
    const early = await reconcile(lab, first.state, { now: new Date(thirdLeft.getTime() - 1000) });
    assert.deepEqual(notReused(early), []);
    const due = await reconcile(lab, first.state, { now: thirdLeft });
    assert.equal(outcome(due.events, REMOTE), 'reissued: expires in 365 days');
    assert.equal(notReused(due).length, 10);
  });

  test('a short-lived certificate is renewed when 30 days remain, even with more than a third of it left', async () => {
    // 60 days: a third is 20 days, so the month ahead decides.
    const stored = handMade(tmp.dir, { subject: '/CN=remote', extensions: leafExtensions('clientAuth'), notBefore: T0, notAfter: daysAfter(60) }, first.state.ca);
    const state = { ...first.state, [REMOTE]: stored };
    const kept = await reconcile(lab, state, { now: new Date(daysAfter(30).getTime() - 1000) });
    assert.equal(outcome(kept.events, REMOTE), 'reused');
    const renewed = await reconcile(lab, state, { now: daysAfter(30) });
    assert.equal(outcome(renewed.events, REMOTE), 'reissued: expires in 30 days');
  });

  test('the reason counts whole days: "expires in 1 day", "expires today", "expired 3 days ago"', async () => {
    const notAfter = daysAfter(1095);
    const cases: [number, string][] = [
      [-1.5, 'reissued: expires in 1 day'],
      [-1 / 24, 'reissued: expires today'],
      [2.5, 'reissued: expired 3 days ago'],
    ];
    for (const [days, expected] of cases) {
      const r = await reconcile(lab, first.state, { now: daysAfter(days, notAfter) });
      assert.equal(outcome(r.events, REMOTE), expected, `${days} days from notAfter`);
    }
  });

  test('the injected clock is the only one: a state issued in 2031 is reused in 2031', async () => {
    const now = new Date('2031-06-01T08:00:00Z');
    const issued = await reconcile(lab, {}, { now });
    const again = await reconcile(lab, issued.state, { now: daysAfter(1, now) });
    assert.ok(again.events.every((e) => e.action === 'reused'), JSON.stringify(again.events));
  });
});
