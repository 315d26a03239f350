import type { WebCrypto } from './web-crypto.js';

/**
 * A Cilium IPsec key line, as Cilium's docs create it for the `cilium-ipsec-keys` Secret:
 * SPI 3 ("+": per-node keys derived from it), AES-GCM (rfc4106) with 20 random bytes (a 16-byte
 * key and a 4-byte salt), 128-bit ICV. Every cluster of a mesh must hold the same line.
 */
export function newIpsecKeys(crypto: WebCrypto): string {
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  return `3+ rfc4106(gcm(aes)) ${Buffer.from(bytes).toString('hex')} 128`;
}

export function isIpsecKeys(text: string): boolean {
  return /^\d+\+? rfc4106\(gcm\(aes\)\) [0-9a-f]{40} 128$/.test(text.trim());
}
