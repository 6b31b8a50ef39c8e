import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../src/core/rng.js';
import { CBPE_METRICS, estimatePerformance, expectedRocAuc, realisedSpread } from '../../src/monitor/cbpe.js';
import { fitIsotonic } from '../../src/train/calibration/isotonic.js';
import { estimatedPerformance } from '../../src/monitor/performance.js';
import { rowWindows } from '../../src/monitor/windows.js';
import { accuracy, binaryScores, rocAuc } from '../../src/train/metrics/index.js';

/** calibrated probabilities p = σ(-1.5 + 2z) and labels drawn from them (about 27 % positives) */
function calibrated(seed: number, n: number): { p: Float64Array; y: Float64Array } {
  const rng = new Rng(seed);
  const p = Float64Array.from({ length: n }, () => 1 / (1 + Math.exp(-(-1.5 + 2 * rng.normal()))));
  const y = Float64Array.from(p, (pi) => (rng.next() < pi ? 1 : 0));
  return { p, y };
}

function realised(y: Float64Array, score: ArrayLike<number>, predicted: Float64Array): Record<(typeof CBPE_METRICS)[number], number> {
  const s = binaryScores(y, predicted);
  return { roc_auc: rocAuc(y, score), accuracy: accuracy(y, predicted), precision: s.precision, recall: s.recall, f1: s.f1 };
}

const estimateByName = (e: ReturnType<typeof estimatePerformance>) => ({ roc_auc: e.rocAuc, accuracy: e.accuracy, precision: e.precision, recall: e.recall, f1: e.f1 });

test('with calibrated probabilities the CBPE estimate lands within the sampling spread of the realised metrics', () => {
  // Tolerance: given calibrated p, the realised metric is random only through the labels. realisedSpread draws
  // labels from p 200 times and measures that randomness (its sd); a correct, unbiased estimate must sit within
  // 4 sd of the realised value (a 1-in-16,000 event per comparison under normality; 100 comparisons here).
  const errors: Record<string, number[]> = {};
  const spreads: Record<string, number[]> = {};
  for (let seed = 1; seed <= 20; seed++) {
    const { p, y } = calibrated(seed, 3000);
    const predicted = Float64Array.from(p, (v) => (v >= 0.5 ? 1 : 0));
    const estimate = estimateByName(estimatePerformance(p));
    const actual = realised(y, p, predicted);
    const spread = realisedSpread(p, { seed });
    for (const m of CBPE_METRICS) {
      assert.ok(Math.abs(estimate[m] - actual[m]) <= 4 * spread[m], `seed ${seed} ${m}: estimate ${estimate[m]} realised ${actual[m]} sd ${spread[m]}`);
      (errors[m] ??= []).push(estimate[m] - actual[m]);
      (spreads[m] ??= []).push(spread[m]);
    }
  }
  // no systematic bias: the mean error over 20 independent data sets is within 3 sd / √20
  for (const m of CBPE_METRICS) {
    const meanError = errors[m].reduce((a, b) => a + b, 0) / 20;
    const sd = spreads[m].reduce((a, b) => a + b, 0) / 20;
    assert.ok(Math.abs(meanError) <= (3 * sd) / Math.sqrt(20), `${m}: mean error ${meanError}, sd ${sd}`);
  }
});

test('miscalibrated scores mislead CBPE; an isotonic calibration fitted on labelled reference rows fixes it', () => {
  const reference = calibrated(101, 20_000);
  const current = calibrated(102, 5000);
  // the model's scores are p² (too low); it predicts positive when its score is >= 0.5
  const squash = (p: Float64Array) => Float64Array.from(p, (v) => v * v);
  const score = squash(current.p);
  const predicted = Float64Array.from(score, (s) => (s >= 0.5 ? 1 : 0));
  const actual = realised(current.y, score, predicted);
  const spread = realisedSpread(current.p, { predicted });
  const naive = estimateByName(estimatePerformance(score, { predicted }));
  assert.ok(Math.abs(naive.accuracy - actual.accuracy) > 6 * spread.accuracy, `naive accuracy ${naive.accuracy} vs ${actual.accuracy}`);
  assert.ok(Math.abs(naive.precision - actual.precision) > 6 * spread.precision, `naive precision ${naive.precision} vs ${actual.precision}`);
  const calibration = fitIsotonic(squash(reference.p), reference.y);
  const [window] = estimatedPerformance(score, rowWindows(score.length, score.length), { calibration });
  const fixed = estimateByName(window.estimate);
  // the calibration itself is estimated from 20,000 labelled rows, which adds a little error: 4 sd still holds
  for (const m of CBPE_METRICS) assert.ok(Math.abs(fixed[m] - actual[m]) <= 4 * spread[m], `${m}: calibrated estimate ${fixed[m]} realised ${actual[m]} sd ${spread[m]}`);
});

test('the expected confusion matrix and edge cases', () => {
  const e = estimatePerformance([0.9, 0.8, 0.3, 0.1]);
  assert.deepEqual(
    Object.values(e.confusion).map((v) => Math.round(v * 1e12) / 1e12),
    [1.7, 0.3, 0.4, 1.6],
  );
  assert.ok(Math.abs(e.accuracy - (1.7 + 1.6) / 4) < 1e-15);
  assert.ok(Math.abs(e.f1 - (2 * 1.7) / (2 * 1.7 + 0.3 + 0.4)) < 1e-15);
  // a tie at one probability is one diagonal step of the expected ROC curve
  assert.ok(Math.abs(expectedRocAuc([0.5, 0.5]) - 0.5) < 1e-15);
  assert.ok(Number.isNaN(estimatePerformance([0, 0, 0]).rocAuc));
  assert.equal(estimatePerformance([0, 0, 0]).precision, 0);
  assert.equal(estimatePerformance([0.2, 0.7], { threshold: 0.8 }).confusion.tp, 0);
  assert.throws(() => estimatePerformance([0.2, 1.3]), /probability 1.3 at row 1 is not in \[0, 1\]/);
  assert.throws(() => estimatePerformance([]), /needs at least one prediction/);
});
