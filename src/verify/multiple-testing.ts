/**
 * Holm's step-down correction for testing several hypotheses at once (Holm, S. 1979, "A simple
 * sequentially rejective multiple test procedure", Scandinavian Journal of Statistics 6(2):
 * 65–70). verify tests one count per cluster in each global-service row; testing each at α would
 * make a row at 32 clusters fail by chance far more often than α. Holm keeps the chance that a
 * row rejects any true prediction at most α, whatever the dependence between the counts (they
 * share the same N requests), and names more deviating clusters than plain Bonferroni.
 *
 * The adjusted p-values are R's `p.adjust(p, "holm")` (stats/R/p.adjust.R:
 * `pmin(1, cummax((n - seq_len(n) + 1L) * p[o]))[ro]`): a hypothesis is rejected at α exactly
 * when its adjusted p-value is below α. Pure: same input, same output.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p || a.i - b.i);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}

/** Which hypotheses Holm's procedure rejects at family-wise level `alpha` (adjusted p < alpha, as the share test's p < α). */
export function holmRejects(pValues: readonly number[], alpha: number): boolean[] {
  return holmAdjust(pValues).map((p) => p < alpha);
}
