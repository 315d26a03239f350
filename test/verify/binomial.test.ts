import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { binomialCdf, binomialPmf, binomialTestPValue, holmAdjust, holmRejects } from '../../src/verify/index.js';

const close = (actual: number, expected: number, places = 4) => assert.ok(Math.abs(actual - expected) < 0.5 * 10 ** -places, `${actual} ≠ ${expected} to ${places} places`);

describe('the exact binomial test behind verify’s share check', () => {
  it('matches a cumulative binomial table (P(X ≤ k), four places)', () => {
    // values as printed in standard cumulative binomial tables
    close(binomialCdf(2, 10, 0.5), 0.0547);
    close(binomialCdf(3, 10, 0.3), 0.6496);
    close(binomialCdf(1, 20, 0.1), 0.3917);
    close(binomialCdf(7, 20, 0.5), 0.1316);
    close(binomialCdf(10, 10, 0.7), 1);
    close(binomialPmf(2, 5, 0.5), 0.3125); // 10/32
  });

  it('gives the two-sided p-values R’s binom.test prints', () => {
    // ?binom.test: binom.test(c(682, 243), p = 3/4) → "p-value = 0.3825"
    close(binomialTestPValue(682, 925, 0.75), 0.3825);
    // symmetric case: twice the lower tail, 2 × 0.1316 (binom.test(7, 20) → p-value = 0.2632)
    close(binomialTestPValue(7, 20, 0.5), 0.2632);
    close(binomialTestPValue(50, 100, 0.5), 1);
  });

  it('refuses the outcomes a share of 0 or 1 rules out', () => {
    assert.equal(binomialTestPValue(0, 100, 0), 1);
    assert.equal(binomialTestPValue(1, 100, 0), 0);
    assert.equal(binomialTestPValue(100, 100, 1), 1);
    assert.equal(binomialTestPValue(99, 100, 1), 0);
  });

  it('at α = 0.01 with 100 requests, a fair split passes and a 4:1 bias fails', () => {
    assert.ok(binomialTestPValue(44, 100, 0.5) >= 0.01, '44 of 100 is within chance of one half');
    assert.ok(binomialTestPValue(80, 100, 0.5) < 0.01, '80 of 100 is not');
    assert.ok(binomialTestPValue(0, 100, 0.5) < 1e-20);
  });
});

describe('Holm’s correction over the clusters of one global-service row', () => {
  it('adjusts p-values step-down, by hand: sorted p(i) × (m − i + 1), never decreasing, at most 1', () => {
    // p = 0.01, 0.04, 0.03, 0.005 (m = 4). Sorted: 0.005 × 4 = 0.02; 0.01 × 3 = 0.03; 0.03 × 2 = 0.06;
    // 0.04 × 1 = 0.04, raised to the running maximum 0.06. Back in the input order:
    const adjusted = holmAdjust([0.01, 0.04, 0.03, 0.005]);
    [0.03, 0.06, 0.06, 0.02].forEach((want, i) => close(adjusted[i]!, want, 12));
    // at α = 0.05 the step-down stops at the third: 0.03 > 0.05 / 2
    assert.deepEqual(holmRejects([0.01, 0.04, 0.03, 0.005], 0.05), [true, false, false, true]);
    // × (m − i + 1) capped at 1: 0.4 × 3 = 1.2 → 1
    assert.deepEqual(holmAdjust([0.4, 0.5, 0.6]), [1, 1, 1]);
  });

  it('one cluster is one test: nothing changes', () => {
    assert.deepEqual(holmAdjust([0.004]), [0.004]);
    assert.deepEqual(holmRejects([0.004], 0.01), [true]);
    assert.deepEqual(holmAdjust([]), []);
  });

  it('rejects fewer than testing each at α: the 32-cluster row that failed by chance now passes', () => {
    // the smallest p of a row at 32 clusters, 1/32 predicted each, 100 requests: 9 answers (p = 0.0042: scipy.stats.binomtest(9, 100, 1/32), the same method as R's binom.test)
    const row = [binomialTestPValue(9, 100, 1 / 32), ...Array.from({ length: 31 }, () => 0.5)];
    close(row[0]!, 0.0042, 4);
    assert.ok(row[0]! < 0.01, 'alone, 9 of 100 would fail at α = 0.01');
    assert.deepEqual(holmRejects(row, 0.01), Array.from({ length: 32 }, () => false), 'within the row it is chance: 0.0042 × 32 = 0.134');
    // the first step compares with α / m (Bonferroni), so a large deviation still fails
    assert.deepEqual(holmRejects([0.0003, ...Array.from({ length: 31 }, () => 0.5)], 0.01).slice(0, 2), [true, false]);
  });

  it('two clusters sharing 100 requests: the same test twice, so each is held to α / 2', () => {
    // 36 of 100 against one half (scipy.stats.binomtest): p = 0.0066 each side, adjusted 0.0132 ≥ 0.01, a pass; 35 of 100: p = 0.0035, adjusted 0.0070, a fail
    close(binomialTestPValue(36, 100, 0.5), 0.0066, 4);
    assert.deepEqual(holmRejects([binomialTestPValue(36, 100, 0.5), binomialTestPValue(64, 100, 0.5)], 0.01), [false, false]);
    close(binomialTestPValue(35, 100, 0.5), 0.0035, 4);
    assert.deepEqual(holmRejects([binomialTestPValue(35, 100, 0.5), binomialTestPValue(65, 100, 0.5)], 0.01), [true, true]);
  });
});
