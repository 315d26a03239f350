/**
 * The exact binomial test, written out rather than taken from a library: verify compares the
 * number of requests a cluster answered with the share `plan` predicted. Pure: no clock, no
 * randomness.
 */

/** ln(k!) for k = 0..n, by summing logarithms (exact enough for the hundreds of requests verify sends). */
const tables = new Map<number, Float64Array>();
function logFactorials(n: number): Float64Array {
  const known = tables.get(n);
  if (known) return known;
  const out = new Float64Array(n + 1);
  for (let k = 2; k <= n; k++) out[k] = out[k - 1]! + Math.log(k);
  if (tables.size > 16) tables.clear();
  tables.set(n, out);
  return out;
}

/** P(X = k) for X ~ Binomial(n, p). */
export function binomialPmf(k: number, n: number, p: number): number {
  if (!Number.isInteger(k) || k < 0 || k > n) return 0;
  if (p <= 0) return k === 0 ? 1 : 0;
  if (p >= 1) return k === n ? 1 : 0;
  const lf = logFactorials(n);
  return Math.exp(lf[n]! - lf[k]! - lf[n - k]! + k * Math.log(p) + (n - k) * Math.log1p(-p));
}

/** P(X ≤ k): the lower tail, as the cumulative binomial tables print it. */
export function binomialCdf(k: number, n: number, p: number): number {
  let sum = 0;
  for (let i = 0; i <= Math.min(k, n); i++) sum += binomialPmf(i, n, p);
  return Math.min(1, sum);
}

/**
 * The two-sided p-value of observing `k` successes in `n` trials when the success probability is
 * `p`: the total probability of every outcome no more likely than the one observed. This is the
 * method of R's binom.test (stats/R/binom.test.R: `relErr <- 1 + 1e-07`, outcomes with
 * d <= d(x) * relErr summed on the other side), so its published examples are the test's reference.
 */
export function binomialTestPValue(k: number, n: number, p: number): number {
  if (n === 0) return 1;
  if (p <= 0) return k === 0 ? 1 : 0;
  if (p >= 1) return k === n ? 1 : 0;
  const observed = binomialPmf(k, n, p);
  const limit = observed * (1 + 1e-7);
  let sum = 0;
  for (let i = 0; i <= n; i++) {
    const d = binomialPmf(i, n, p);
    if (d <= limit) sum += d;
  }
  return Math.min(1, sum);
}
