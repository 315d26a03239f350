/**
 * Names shaped as the controllers make them. Kubernetes draws suffixes from this alphabet
 * (k8s.io/apimachinery/pkg/util/rand: no vowels, no 0/1/3, so no words and no look-alikes);
 * here they are derived from the object instead of drawn at random, so a plan is the same
 * bytes every time.
 */
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** FNV-1a, 32 bits: the hash behind pod-template-hash (kubernetes pkg/controller ComputeHash). */
export function fnv32a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** rand.SafeEncodeString over the decimal digits of the hash, as ComputeHash encodes it. */
export function safeEncode(n: number): string {
  return [...String(n)].map((c) => ALPHABET[c.charCodeAt(0) % ALPHABET.length]).join('');
}

/** Object keys sorted at every depth: the same template always hashes the same. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/**
 * A pod-template-hash for a template. Kubernetes hashes its Go structure, which cannot be
 * reproduced outside Go: the value has the real one's shape but not its digits.
 */
export function templateHash(template: unknown): string {
  return safeEncode(fnv32a(canonical(template)));
}

/** The 5 characters the API server appends to a generateName (names.SimpleNameGenerator). */
export function nameSuffix(seed: string): string {
  let h = fnv32a(seed);
  let out = '';
  for (let i = 0; i < 5; i++) {
    out += ALPHABET[h % ALPHABET.length];
    h = Math.floor(h / ALPHABET.length) ^ fnv32a(`${seed}/${i}`);
    h >>>= 0;
  }
  return out;
}
