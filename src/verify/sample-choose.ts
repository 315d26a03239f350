import type { SeededRandom } from '../lab/index.js';
import type { SampledPair } from './sample-pairs.js';

/**
 * At most `limit` pairs, reproducibly for a seed: for each policy one allowed and one denied pair
 * where it has them, then others at random; returned in a stable order.
 */
export function choose(found: readonly SampledPair[], rng: SeededRandom, limit: number): SampledPair[] {
  const shuffled = [...found];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  const chosen = new Set<SampledPair>();
  const policies = [...new Set(found.flatMap((p) => p.policies))].sort();
  for (const policy of policies) {
    for (const verdict of ['allowed', 'denied'] as const) {
      const pick = shuffled.find((p) => p.policies.includes(policy) && p.expected.verdict === verdict);
      if (pick && chosen.size < limit) chosen.add(pick);
    }
  }
  for (const p of shuffled) if (chosen.size < limit) chosen.add(p);
  return found.filter((p) => chosen.has(p));
}
