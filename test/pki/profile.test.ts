import assert from 'node:assert/strict';
import { webcrypto, X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ReconcileResult, WebCrypto } from '../../src/pki/index.js';
import { extensionText, openssl } from '../helpers/openssl.js';
import { reconcile, tempDir } from '../helpers/pki.js';
import { referenceLab } from '../helpers/platforms.js';

/**
 * What each certificate carries, read back by OpenSSL. The profile is RFC 5280's (§4.2.1.9 a CA
 * marks basicConstraints critical; §4.2.1.2 a CA has a subject key id; §4.2.1.1 a leaf names its
 * CA's key; §4.2.1.6 a subjectAltName extension holds at least one name; §4.1.2.2 serial numbers
 * are positive, at most 20 octets) and, for leaves, that of the certificates the Cilium chart
 * makes itself with Helm's genSignedCert: Go's crypto/x509 marks basicConstraints and keyUsage
 * critical (golang/go src/crypto/x509/x509.go, marshalBasicConstraints and marshalKeyUsage).
 * An EC key signs and never enciphers (RFC 5480 §3: no keyEncipherment).
 */

const lab = referenceLab();
const EXTENSIONS = ['basicConstraints', 'keyUsage', 'extendedKeyUsage', 'subjectAltName', 'subjectKeyIdentifier', 'authorityKeyIdentifier'];

/** WebCrypto whose random bytes are all `byte`: serial numbers at their extremes. */
function constantRandom(byte: number): WebCrypto {
  return {
    subtle: webcrypto.subtle,
    getRandomValues: <T extends ArrayBufferView | null>(array: T): T => {
      new Uint8Array(array!.buffer, array!.byteOffset, array!.byteLength).fill(byte);
      return array;
    },
    randomUUID: () => webcrypto.randomUUID(),
  } as unknown as WebCrypto;
}

describe('certificate profile, as OpenSSL reads it', () => {
  const tmp = tempDir('profile');
  let lab1: ReconcileResult;
  const ext = (id: string) => extensionText(tmp.dir, lab1.state[id]!.certPem, EXTENSIONS);
  before(async () => {
    lab1 = await reconcile(lab);
  });
  after(() => tmp.cleanup());

  test('the CA: basicConstraints critical CA:TRUE pathlen:0, keyUsage critical keyCertSign+cRLSign, a subject key id, nothing else', () => {
    const text = ext('ca');
    assert.match(text, /X509v3 Basic Constraints: critical\n\s+CA:TRUE, pathlen:0\n/);
    assert.match(text, /X509v3 Key Usage: critical\n\s+Certificate Sign, CRL Sign\n/);
    assert.match(text, /X509v3 Subject Key Identifier: \n\s+([0-9A-F]{2}:){19}[0-9A-F]{2}\n/);
    assert.doesNotMatch(text, /Extended Key Usage|Subject Alternative Name|Authority Key Identifier/);
  });

  test('the clustermesh-apiserver server: critical CA:FALSE and digitalSignature, server+client auth, the chart\'s SANs, keyed to the CA', () => {
    const text = ext('k8s-cilium-01/clustermesh-server');
    assert.match(text, /X509v3 Basic Constraints: critical\n\s+CA:FALSE\n/);
    assert.match(text, /X509v3 Key Usage: critical\n\s+Digital Signature\n/);
    assert.match(text, /X509v3 Extended Key Usage: \n\s+TLS Web Server Authentication, TLS Web Client Authentication\n/);
    assert.match(text, /X509v3 Subject Alternative Name: \n\s+DNS:clustermesh-apiserver\.cilium\.io, DNS:\*\.mesh\.cilium\.io, DNS:clustermesh-apiserver\.kube-system\.svc, IP Address:127\.0\.0\.1, IP Address:0:0:0:0:0:0:0:1, IP Address:172\.26\.0\.102\n/);
    assert.match(text, /X509v3 Subject Key Identifier: \n/);
    const caKeyId = /Subject Key Identifier: \n\s+(\S+)/.exec(ext('ca'))![1]!;
    assert.match(text, new RegExp(`X509v3 Authority Key Identifier: \\n\\s+(keyid:)?${caKeyId}\\n`));
  });

  test('client certificates: clientAuth only, and no subjectAltName extension at all (an empty one is invalid)', () => {
    for (const id of ['k8s-cilium-01/clustermesh-admin', 'k8s-cilium-02/clustermesh-remote', 'k8s-cilium-02/clustermesh-local']) {
      const text = ext(id);
      assert.match(text, /X509v3 Extended Key Usage: \n\s+TLS Web Client Authentication\n/, id);
      assert.doesNotMatch(text, /Subject Alternative Name/, id);
      assert.equal(new X509Certificate(lab1.state[id]!.certPem).subjectAltName, undefined, id);
    }
  });

  test('every certificate is signed ecdsa-with-SHA256 over a P-256 key', () => {
    for (const [id, pair] of Object.entries(lab1.state)) {
      const file = join(tmp.dir, `${id.replace('/', '_')}.crt`);
      writeFileSync(file, pair.certPem);
      const text = openssl(['x509', '-in', file, '-noout', '-text']);
      assert.match(text, /Signature Algorithm: ecdsa-with-SHA256/, id);
      assert.match(text, /NIST CURVE: P-256/, id);
    }
  });

  test('serial numbers: 16 random bytes, distinct per certificate', () => {
    const serials = Object.values(lab1.state).map((p) => new X509Certificate(p.certPem).serialNumber);
    assert.equal(new Set(serials).size, serials.length);
    for (const s of serials) assert.ok(s.length <= 32 && s.length >= 30, s);
  });

  test('serial numbers at the extremes of the random bytes stay positive and minimally encoded', async () => {
    // All ones: the top bit is cleared, else DER would read a negative number (Go 1.23+ refuses those).
    const high = await reconcile(lab, {}, { crypto: constantRandom(0xff) });
    // All zeros: the first byte becomes 1, else the number would be zero and its encoding not minimal.
    const low = await reconcile(lab, {}, { crypto: constantRandom(0x00) });
    for (const [r, expected] of [[high, `7F${'FF'.repeat(15)}`], [low, `01${'00'.repeat(15)}`]] as const) {
      for (const [id, pair] of Object.entries(r.state)) assert.equal(new X509Certificate(pair.certPem).serialNumber, expected, id);
      for (const id of ['ca', 'k8s-cilium-01/clustermesh-server']) {
        const file = join(tmp.dir, `serial-${expected}-${id.replace('/', '_')}.crt`);
        writeFileSync(file, r.state[id]!.certPem);
        assert.equal(openssl(['x509', '-in', file, '-noout', '-serial']).trim(), `serial=${expected}`, id);
      }
    }
  });
});
