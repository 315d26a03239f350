import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { describe, test } from 'node:test';
import { isIpsecKeys, newIpsecKeys, type WebCrypto } from '../../src/pki/index.js';

/**
 * The `cilium-ipsec-keys` line, as Cilium 1.16's docs make it
 * (Documentation/security/network/encryption-ipsec.rst, "Generate & Import the PSK"):
 *   keys="3+ rfc4106(gcm(aes)) $(echo $(dd if=/dev/urandom count=20 bs=1 | xxd -p -c 64)) 128"
 * i.e. `key-id encryption-algorithms PSK-in-hex-format key-size`; "+" asks for per-tunnel keys
 * (global keys are deprecated in 1.16). The agent refuses key ids 0 and above 15
 * (pkg/datapath/linux/ipsec/ipsec_linux.go parseSPI: "zero is not a valid key ID",
 * "encryption key space exhausted"; IPsecMaxKeyVersion is 15).
 */

const PSK = '000102030405060708090a0b0c0d0e0f10111213';

/** WebCrypto whose random bytes count up from 0, recording how many were asked for. */
function countingUp(): { crypto: WebCrypto; asked: number[] } {
  const asked: number[] = [];
  const crypto = {
    subtle: webcrypto.subtle,
    getRandomValues: <T extends ArrayBufferView | null>(array: T): T => {
      const bytes = new Uint8Array(array!.buffer, array!.byteOffset, array!.byteLength);
      asked.push(bytes.length);
      bytes.forEach((_, i) => (bytes[i] = i));
      return array;
    },
  } as unknown as WebCrypto;
  return { crypto, asked };
}

describe('IPsec key line (cilium-ipsec-keys)', () => {
  test('a new line is the docs\' own: key id 3 with "+", rfc4106(gcm(aes)), 20 random bytes as lowercase hex, ICV 128', () => {
    const { crypto, asked } = countingUp();
    assert.equal(newIpsecKeys(crypto), `3+ rfc4106(gcm(aes)) ${PSK} 128`);
    assert.deepEqual(asked, [20], 'dd count=20 bs=1: twenty bytes, one draw');
  });

  test('two new lines differ (the key is random, from the injected crypto)', () => {
    assert.notEqual(newIpsecKeys(webcrypto as unknown as WebCrypto), newIpsecKeys(webcrypto as unknown as WebCrypto));
    assert.ok(isIpsecKeys(newIpsecKeys(webcrypto as unknown as WebCrypto)));
  });

  test('accepted: the docs\' line as the Secret\'s file holds it (trailing newline), a global key, and key ids 1 to 15', () => {
    for (const line of [`3+ rfc4106(gcm(aes)) ${PSK} 128\n`, `3 rfc4106(gcm(aes)) ${PSK} 128`, `1+ rfc4106(gcm(aes)) ${PSK} 128`, `15+ rfc4106(gcm(aes)) ${PSK} 128`]) {
      assert.equal(isIpsecKeys(line), true, line);
    }
  });

  test('refused: what Cilium\'s agent would refuse to load, and what is not the line at all', () => {
    const refused = [
      `0+ rfc4106(gcm(aes)) ${PSK} 128`, // zero is not a valid key ID
      `16+ rfc4106(gcm(aes)) ${PSK} 128`, // key space exhausted (IDs roll over from 15 to 1)
      `keys=3+ rfc4106(gcm(aes)) ${PSK} 128`, // the kubectl --from-literal argument pasted whole
      `3+ rfc4106(gcm(aes)) ${PSK} 128 10.0.0.1`, // one field too many for an AEAD key
      `3+ rfc4106(gcm(aes)) ${PSK.slice(2)} 128`, // 19 bytes: no AES-128 key and 4-byte salt
      `3+ rfc4106(gcm(aes)) ${PSK}00 128`,
      `3+ rfc4106(gcm(aes)) ${PSK}`,
      `3+ gcm(aes) ${PSK} 128`,
      '',
    ];
    for (const line of refused) assert.equal(isIpsecKeys(line), false, line);
  });
});
