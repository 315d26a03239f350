import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseQuantity } from '../../src/lab/metrics/index.js';

// Examples from apimachinery's resource.Quantity documentation (pkg/api/resource/quantity.go):
// decimal SI suffixes, binary SI suffixes and decimal exponents.
describe('lab: resource quantities as Kubernetes reads them', () => {
  it('reads millicores, whole cores and fractions', () => {
    assert.equal(parseQuantity('100m'), 0.1);
    assert.equal(parseQuantity('2'), 2);
    assert.equal(parseQuantity('0.5'), 0.5);
    assert.equal(parseQuantity('.5'), 0.5);
    assert.equal(parseQuantity('250000000n'), 0.25);
  });
  it('reads binary and decimal byte suffixes and exponents', () => {
    assert.equal(parseQuantity('128Mi'), 128 * 1024 * 1024);
    assert.equal(parseQuantity('1Gi'), 2 ** 30);
    assert.equal(parseQuantity('1G'), 1e9);
    assert.equal(parseQuantity('1k'), 1000);
    assert.equal(parseQuantity('12e6'), 12e6);
    assert.equal(parseQuantity('1E'), 1e18, 'E alone is exa, not an exponent');
  });
  it('refuses what is not a quantity', () => {
    for (const bad of ['', 'Mi', '1KB', '1 Gi', 'one', '1.2.3', undefined, null]) assert.equal(parseQuantity(bad), undefined, String(bad));
  });
});
