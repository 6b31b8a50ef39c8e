// Properties of the drift statistics that hold without any reference library (the scipy comparisons live in
// test/reference/monitor-stats.test.ts).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../src/core/rng.js';
import { countInBins, quantileEdges } from '../../src/monitor/stats/binning.js';
import { chiSquareHomogeneity } from '../../src/monitor/stats/chi-square.js';
import { jensenShannonDistance, normalisedWasserstein, populationStabilityIndex, wassersteinDistance } from '../../src/monitor/stats/distances.js';
import { kolmogorovSf } from '../../src/monitor/stats/kolmogorov.js';
import { ksTwoSample } from '../../src/monitor/stats/ks-two-sample.js';
import { chiSquareSf, gammaP, gammaQ, logGamma } from '../../src/monitor/stats/special.js';

const sorted = (a: number[]) => Float64Array.from(a).sort();

test('special functions: known values', () => {
  assert.ok(Math.abs(logGamma(5) - Math.log(24)) < 1e-14);
  assert.ok(Math.abs(logGamma(0.5) - 0.5 * Math.log(Math.PI)) < 1e-14);
  assert.ok(Math.abs(logGamma(100) - 359.1342053695754) < 1e-11);
  // χ² with 2 dof is exponential: P(X >= x) = e^{-x/2}
  for (const x of [0.1, 1, 5, 40]) assert.ok(Math.abs(chiSquareSf(x, 2) / Math.exp(-x / 2) - 1) < 1e-13);
  assert.ok(Math.abs(chiSquareSf(3.841458820694124, 1) - 0.05) < 1e-13);
  assert.ok(Math.abs(gammaP(3, 2) + gammaQ(3, 2) - 1) < 1e-15);
  assert.equal(chiSquareSf(0, 3), 1);
  assert.ok(Number.isNaN(gammaP(-1, 1)));
});

test('KS: identical samples give D = 0 and p = 1; disjoint ones D = 1; ties are handled', () => {
  const a = sorted([1, 2, 3, 4, 5]);
  assert.deepEqual(ksTwoSample(a, a), { statistic: 0, pValue: 1, method: 'exact' });
  const far = ksTwoSample(sorted([1, 2, 3]), sorted([10, 11, 12, 13]));
  assert.equal(far.statistic, 1);
  // all C(7,3) = 35 orderings equally likely; only the two fully separated ones reach D = 1
  assert.ok(Math.abs(far.pValue - 2 / 35) < 1e-15);
  // ties: both CDFs step together at a shared value
  assert.equal(ksTwoSample(sorted([1, 1, 2]), sorted([1, 2, 2])).statistic, 1 / 3);
  assert.equal(ksTwoSample(a, a, 'asymp').method, 'asymp');
  assert.throws(() => ksTwoSample(new Float64Array(0), a), /at least one value in each sample/);
});

test('KS p-values are uniform under the null (exact and asymptotic)', () => {
  const rng = new Rng(5);
  for (const [n1, n2, method] of [
    [40, 60, 'exact'],
    [300, 300, 'asymp'],
  ] as const) {
    const p: number[] = [];
    for (let t = 0; t < 400; t++) {
      const a = Float64Array.from({ length: n1 }, () => rng.normal()).sort();
      const b = Float64Array.from({ length: n2 }, () => rng.normal()).sort();
      p.push(ksTwoSample(a, b, method).pValue);
    }
    // discreteness makes KS slightly conservative; the share below 0.05 and 0.5 must still be near the level
    const below05 = p.filter((v) => v < 0.05).length / p.length;
    const below50 = p.filter((v) => v < 0.5).length / p.length;
    assert.ok(below05 > 0.01 && below05 < 0.09, `${method}: share below 0.05 = ${below05}`);
    assert.ok(below50 > 0.4 && below50 < 0.6, `${method}: share below 0.5 = ${below50}`);
  }
  assert.equal(kolmogorovSf(10, 0), 1);
  assert.equal(kolmogorovSf(10, 1), 0);
});

test('chi-square: nothing to compare gives p = 1; an unseen category counts', () => {
  assert.deepEqual(chiSquareHomogeneity([10, 0], [5, 0]), { statistic: 0, dof: 0, pValue: 1 });
  assert.equal(chiSquareHomogeneity([0, 0], [3, 4]).pValue, 1);
  const unseen = chiSquareHomogeneity([100, 100, 0], [50, 50, 30]);
  assert.equal(unseen.dof, 2);
  assert.ok(unseen.pValue < 1e-10);
  assert.throws(() => chiSquareHomogeneity([1, 2], [1]), /same categories/);
});

test('distances: zero for identical inputs, symmetric, and Wasserstein of a shift is the shift', () => {
  const rng = new Rng(6);
  const a = Float64Array.from({ length: 500 }, () => rng.normal()).sort();
  const b = a.map((v) => v + 0.7);
  assert.equal(wassersteinDistance(a, a), 0);
  assert.ok(Math.abs(wassersteinDistance(a, b) - 0.7) < 1e-12);
  assert.ok(Math.abs(wassersteinDistance(a, b) - wassersteinDistance(b, a)) < 1e-12);
  assert.ok(Math.abs(normalisedWasserstein(a, b, 2) - 0.35) < 1e-12);
  // a constant reference: the std floor (0.001) keeps the score finite
  assert.ok(Number.isFinite(normalisedWasserstein(Float64Array.of(1, 1), Float64Array.of(1, 2), 0)));
  assert.equal(jensenShannonDistance([1, 2, 3], [2, 4, 6]), 0);
  assert.ok(Math.abs(jensenShannonDistance([1, 0], [0, 1]) - 1) < 1e-15); // disjoint: the maximum, 1 in base 2
  assert.equal(populationStabilityIndex([0.5, 0.5], [0.5, 0.5]), 0);
  assert.ok(populationStabilityIndex([0.5, 0.5, 0], [0.4, 0.4, 0.2]) > 0.25); // an empty reference bin stays finite
  const edges = quantileEdges(Float64Array.of(0, 0, 0, 0, 0, 0, 1, 2, 3, 4), 10);
  // deciles 0.1..0.6 are all 0 (one edge after de-duplication), then 0.4, 1.3, 2.2, 3.1 by interpolation
  const expected = [0, 0.4, 1.3, 2.2, 3.1];
  assert.equal(edges.length, expected.length);
  expected.forEach((e, i) => assert.ok(Math.abs(edges[i] - e) < 1e-12, `edge ${i}: ${edges[i]}`));
  // right-closed bins: a value equal to an edge stays below it; values past the ends go to the open outer bins
  assert.deepEqual([...countInBins(Float64Array.of(-5, 0, 0, 0.5, 9), edges)], [3, 0, 1, 0, 0, 1]);
});
