import assert from 'node:assert/strict';
import { createHash, createPrivateKey, createPublicKey, webcrypto, X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { MeshwrightError } from '../../src/diag/index.js';
import { certificatePlan, certificateSummary, reconcilePki, type PkiEvent, type PkiState, type ReconcileResult, type StoredPair } from '../../src/pki/index.js';
import { extensionText, handMade, openssl, opensslVerify } from '../helpers/openssl.js';
import { daysAfter, reconcile, T0, tempDir } from '../helpers/pki.js';
import { referenceLab } from '../helpers/platforms.js';

/**
 * The mesh CA in the state folder: kept while it can sign, an error naming ca.crt or ca.key when
 * it can't, never silently replaced (a new CA cuts every cluster off the mesh). CAs here are
 * also made with OpenSSL, as an organisation's own CA brought into the state folder would be.
 */

const lab = referenceLab();
const LEAVES = 10;
const outcome = (events: PkiEvent[], id: string) => {
  const e = events.find((x) => x.id === id);
  return e && (e.reason ? `${e.action}: ${e.reason}` : e.action);
};

/** The error `fn` rejects with, checked to be one MeshwrightError diagnostic. */
async function caFailure(fn: () => Promise<unknown>): Promise<{ code: string; file?: string; message: string; hint?: string; severity: string }> {
  let caught: unknown;
  try {
    await fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof MeshwrightError, `expected a MeshwrightError, got ${String(caught)}`);
  assert.equal(caught.diagnostics.length, 1, 'one message for one problem');
  assert.equal(caught.exitCode, 1, 'invalid input, not a bug');
  return caught.diagnostics[0]! as never;
}

/** The extensions a CA needs (RFC 5280 §4.2.1.9 basicConstraints critical, §4.2.1.3 keyCertSign). */
const CA_EXTENSIONS = ['basicConstraints = critical,CA:TRUE,pathlen:0', 'keyUsage = critical,keyCertSign,cRLSign'];

describe('the mesh CA: a CA of one\'s own, made with OpenSSL, signs the mesh', () => {
  const tmp = tempDir('own-ca');
  after(() => tmp.cleanup());
  const ownCa = (ski: string) => handMade(tmp.dir, { subject: '/O=Example Corp/CN=Example Corp mesh CA', extensions: [...CA_EXTENSIONS, `subjectKeyIdentifier = ${ski}`], notBefore: daysAfter(-30), notAfter: daysAfter(3650) });
  /** Strict (RFC 5280 profile) unless the CA itself breaks it: -x509_strict wants a CA's subject key id. */
  const verifyAll = (r: ReconcileResult, ca: StoredPair, strict = true) => {
    const caFile = join(tmp.dir, `ca-${Math.random().toString(36).slice(2)}.crt`);
    writeFileSync(caFile, ca.certPem);
    for (const [id, pair] of Object.entries(r.state)) {
      if (id === 'ca') continue;
      const file = join(tmp.dir, `${id.replace('/', '_')}-${Math.random().toString(36).slice(2)}.crt`);
      writeFileSync(file, pair.certPem);
      const v = opensslVerify(['-attime', String(Math.floor(T0.getTime() / 1000) + 3600), ...(strict ? ['-x509_strict'] : []), '-CAfile', caFile, file]);
      assert.ok(v.ok, `${id}: ${v.output}`);
    }
  };

  test('kept as it is; every leaf chains to it, its authority key id the CA\'s own subject key id (RFC 5280 §4.2.1.1)', async () => {
    const ca = ownCa('01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:10:11:12:13:14');
    const r = await reconcile(lab, { ca });
    assert.equal(outcome(r.events, 'ca'), 'reused');
    assert.deepEqual(r.state.ca, ca);
    assert.equal(r.events.filter((e) => e.action === 'created').length, LEAVES);
    verifyAll(r, ca);
    const aki = extensionText(tmp.dir, r.state['k8s-cilium-01/clustermesh-remote']!.certPem, ['authorityKeyIdentifier']);
    assert.match(aki, /01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:10:11:12:13:14/);
  });

  test('a CA without a subject key id: leaves name it by the SHA-1 of its public key (RFC 5280 §4.2.1.2 method 1)', async () => {
    const ca = ownCa('none');
    assert.doesNotMatch(extensionText(tmp.dir, ca.certPem, ['subjectKeyIdentifier']), /Subject Key Identifier/);
    const r = await reconcile(lab, { ca });
    verifyAll(r, ca, false);
    // The BIT STRING subjectPublicKey of a P-256 key: the uncompressed point, the last 65 bytes of the SPKI.
    const spki = createPublicKey(createPrivateKey(ca.keyPem)).export({ type: 'spki', format: 'der' });
    const keyId = createHash('sha1').update(spki.subarray(-65)).digest('hex').toUpperCase().match(/../g)!.join(':');
    // Non-critical, as §4.2.1.1 says a conforming CA marks it.
    assert.match(extensionText(tmp.dir, r.state['k8s-cilium-02/hubble-server']!.certPem, ['authorityKeyIdentifier']), new RegExp(`X509v3 Authority Key Identifier: \\n\\s+(keyid:)?${keyId}\\n`));
  });

  test('a CA named without a common name: the summary render prints says so with an empty one', async () => {
    const ca = handMade(tmp.dir, { subject: '/O=Example Corp/OU=Platform', extensions: [...CA_EXTENSIONS, 'subjectKeyIdentifier = hash'], notBefore: daysAfter(-30), notAfter: daysAfter(3650) });
    const r = await reconcile(lab, { ca });
    const row = certificateSummary(r.pki, T0)[0]!;
    assert.deepEqual([row.id, row.commonName, row.daysLeft], ['ca', '', 3650]);
    verifyAll(r, ca);
  });

  test('a key restored from a PKCS#12 export, with OpenSSL\'s "Bag Attributes" lines before the PEM, is accepted', async () => {
    const ca = ownCa('hash');
    const bagged = { ...ca, keyPem: `Bag Attributes\n    localKeyID: 01 00 00 00\nKey Attributes: <No Attributes>\n${ca.keyPem}` };
    const r = await reconcile(lab, { ca: bagged });
    assert.equal(outcome(r.events, 'ca'), 'reused');
    verifyAll(r, ca);
  });
});

describe('the mesh CA: broken or foreign in the state folder is an error naming the file', () => {
  const tmp = tempDir('ca-errors');
  let first: ReconcileResult;
  before(async () => {
    first = await reconcile(lab);
  });
  after(() => tmp.cleanup());
  const withCa = (ca: Partial<StoredPair>): PkiState => ({ ...first.state, ca: { ...first.state.ca!, ...ca } });

  test('a certificate as bare base64 DER, without the PEM armour → PKI_CA_CORRUPT, ca.crt', async () => {
    const bare = first.state.ca!.certPem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
    assert.ok(new X509Certificate(Buffer.from(bare, 'base64')).ca, 'the bytes are the CA');
    const d = await caFailure(() => reconcile(lab, withCa({ certPem: bare })));
    assert.deepEqual([d.severity, d.code, d.file, d.message], ['error', 'PKI_CA_CORRUPT', 'ca.crt', 'ca.crt is not a PEM certificate']);
  });

  test('a key in SEC1 form ("EC PRIVATE KEY") or on another curve → PKI_CA_CORRUPT, ca.key', async () => {
    const keyFile = join(tmp.dir, 'ca.key');
    writeFileSync(keyFile, first.state.ca!.keyPem, { mode: 0o600 });
    const sec1 = openssl(['ec', '-in', keyFile]);
    assert.match(sec1, /^-----BEGIN EC PRIVATE KEY-----/);
    const p384 = openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384']);
    assert.match(p384, /^-----BEGIN PRIVATE KEY-----/);
    for (const keyPem of [sec1, p384]) {
      const d = await caFailure(() => reconcile(lab, withCa({ keyPem })));
      assert.deepEqual([d.severity, d.code, d.file, d.message], ['error', 'PKI_CA_CORRUPT', 'ca.key', 'ca.key is not a PEM PKCS#8 P-256 private key']);
    }
  });

  test('the key of another CA → PKI_CA_FOREIGN, ca.key; a leaf as ca.crt → PKI_CA_FOREIGN, ca.crt; both hint --rotate-ca', async () => {
    const other = await reconcile(lab);
    const foreignKey = await caFailure(() => reconcile(lab, withCa({ keyPem: other.state.ca!.keyPem })));
    assert.deepEqual([foreignKey.code, foreignKey.file, foreignKey.message], ['PKI_CA_FOREIGN', 'ca.key', 'ca.key does not belong to ca.crt (the key of another CA)']);
    const leaf = first.state['k8s-cilium-01/clustermesh-server']!;
    const leafAsCa = await caFailure(() => reconcile(lab, withCa(leaf)));
    assert.deepEqual([leafAsCa.code, leafAsCa.file, leafAsCa.message], ['PKI_CA_FOREIGN', 'ca.crt', 'ca.crt is not a CA certificate (basicConstraints CA:FALSE or absent)']);
    for (const d of [foreignKey, leafAsCa]) assert.match(d.hint!, /--rotate-ca/);
  });

  test('a whole other CA in place of the mesh\'s → PKI_CA_FOREIGN naming ca.crt: none of the leaves came from it', async () => {
    const other = await reconcile(lab);
    const d = await caFailure(() => reconcile(lab, { ...first.state, ca: other.state.ca! }));
    assert.deepEqual([d.severity, d.code, d.file, d.message], ['error', 'PKI_CA_FOREIGN', 'ca.crt', 'no certificate in the state folder was issued by ca.crt: the mesh CA was replaced']);
  });

  test('the CA gone (ca.crt and ca.key deleted) while its leaves remain → an error, not a new CA that splits the mesh', async () => {
    const { ca: _gone, ...orphans } = first.state;
    const d = await caFailure(() => reconcile(lab, orphans));
    assert.deepEqual([d.severity, d.code, d.file], ['error', 'PKI_CA_CORRUPT', 'ca.crt']);
    assert.equal(d.message, `ca.crt and ca.key are missing beside ${LEAVES} certificates they issued`);
    assert.match(d.hint!, /--rotate-ca/);
    const rotated = await reconcile(lab, orphans, { rotateCa: true });
    assert.equal(outcome(rotated.events, 'ca'), 'created');
    for (const e of rotated.events.filter((x) => x.id !== 'ca')) assert.equal(outcome(rotated.events, e.id), 'reissued: CA rotated', e.id);
  });

  test('a state holding only the CA (no leaves: mesh and Hubble off) keeps it, quietly', async () => {
    const bare = structuredClone(lab);
    bare.spec.mesh.enabled = false;
    bare.spec.cilium.hubble.enabled = false;
    const r = await reconcile(bare, { ca: first.state.ca! });
    assert.deepEqual(r.events, [{ id: 'ca', action: 'reused' }]);
    assert.deepEqual(r.state, { ca: first.state.ca });
  });

  test('a plan without a CA is a bug (a plain Error, exit 70), never a user error', async () => {
    const plan = certificatePlan(lab).filter((r) => r.kind !== 'ca');
    await assert.rejects(reconcilePki(first.state, plan, { now: T0, crypto: webcrypto }), (e: unknown) => e instanceof Error && !(e instanceof MeshwrightError) && e.message === 'certificate plan has no CA');
  });
});

describe('the mesh CA: a warning while it can still sign a full-length leaf, silence before', () => {
  let first: ReconcileResult;
  before(async () => {
    first = await reconcile(lab);
  });

  test('exactly 1095 days (a leaf\'s lifetime) left: kept without a word; one second less: kept, with "plan a --rotate-ca"', async () => {
    const caNotAfter = daysAfter(3650);
    const threeYears = await reconcile(lab, first.state, { now: daysAfter(-1095, caNotAfter) });
    assert.deepEqual(threeYears.events.find((e) => e.id === 'ca'), { id: 'ca', action: 'reused' });
    const less = await reconcile(lab, first.state, { now: new Date(daysAfter(-1095, caNotAfter).getTime() + 1000) });
    assert.equal(outcome(less.events, 'ca'), 'reused: expires in 1094 days: plan a --rotate-ca');
    assert.equal(less.state.ca, first.state.ca);
  });
});
