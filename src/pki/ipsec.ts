import type { WebCrypto } from './web-crypto.js';

/**
 * A Cilium IPsec key line, as Cilium's docs create it for the `cilium-ipsec-keys` Secret
 * (cilium/cilium Documentation/security/network/encryption-ipsec.rst, 1.16):
 * SPI 3 ("+": per-node keys derived from it), AES-GCM (rfc4106) with 20 random bytes (a 16-byte
 * key and a 4-byte salt), 128-bit ICV. Every cluster of a mesh must hold the same line.
 */
export function newIpsecKeys(crypto: WebCrypto): string {
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  return `3+ rfc4106(gcm(aes)) ${Buffer.from(bytes).toString('hex')} 128`;
}

/**
 * The line newIpsecKeys makes, with any key id the agent loads: 1 to 15 (Cilium's parseSPI in
 * pkg/datapath/linux/ipsec/ipsec_linux.go refuses 0 and anything above IPsecMaxKeyVersion, 15;
 * the docs' key rotation rolls over from 15 to 1).
 */
export function isIpsecKeys(text: string): boolean {
  return /^(?:[1-9]|1[0-5])\+? rfc4106\(gcm\(aes\)\) [0-9a-f]{40} 128$/.test(text.trim());
}
