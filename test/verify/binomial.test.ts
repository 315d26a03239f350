import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { binomialCdf, binomialPmf, binomialTestPValue } from '../../src/verify/index.js';

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
