import type { webcrypto } from 'node:crypto';

/**
 * WebCrypto, as `globalThis.crypto` or node:crypto's `webcrypto` provide it. The PKI core takes
 * it as a parameter: keys and serial numbers are its only randomness, so tests can inject one.
 */
export type WebCrypto = webcrypto.Crypto;
export type WebCryptoKey = webcrypto.CryptoKey;

declare global {
  /**
   * lib.dom's name for the same object. meshwright compiles without lib.dom, and
   * @peculiar/x509's declarations (and callers) name it `Crypto`.
   */
  interface Crypto extends webcrypto.Crypto {}
}
