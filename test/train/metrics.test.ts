// Metrics on small hand-checked inputs, threshold helpers against brute force, and the error messages.
// Parity with scikit-learn on larger inputs is in test/reference/metrics-sklearn.test.ts.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../src/core/rng.js';
import {
  applyThreshold,
  averagePrecision,
  bayesThreshold,
  binaryCurve,
  bestF1Threshold,
  calibrationBins,
  DEFAULT_METRICS,
  f1,
  isBetter,
  logLoss,
  minCostThreshold,
  r2,
  rocAuc,
  rocCurve,
  scoreAll,
  scoreMetric,
} from '../../src/train/metrics/index.js';

const f = (xs: number[]): Float64Array => Float64Array.from(xs);

test('ROC AUC counts tied scores as half and equals the rank statistic', () => {
  // pairs (pos, neg): (0.8 > 0.1), (0.8 > 0.4), (0.4 = 0.4 -> half), (0.4 > 0.1)
  assert.equal(rocAuc(f([1, 0, 1, 0]), f([0.8, 0.4, 0.4, 0.1])), 3.5 / 4);
  assert.equal(rocAuc(f([0, 1]), f([0.9, 0.1])), 0);
  const r = rocCurve(f([1, 0, 1, 0]), f([0.8, 0.4, 0.4, 0.1]));
  assert.deepEqual([...r.fpr], [0, 0, 0.5, 1]);
  assert.deepEqual([...r.tpr], [0, 0.5, 1, 1]);
  assert.deepEqual([...r.thresholds], [Infinity, 0.8, 0.4, 0.1]);
});

test('the counting sweep (unweighted) and the index sort (weighted) give the same curve', () => {
  const rng = new Rng(11);
  const n = 2000;
  const y = Float64Array.from({ length: n }, () => (rng.next() < 0.3 ? 1 : 0));
  const s = Float64Array.from(y, (v) => (rng.next() < 0.05 ? -0 : Math.round((v * 0.2 + rng.next()) * 50) / 50));
  // (a tie run of 0 and -0 may be labelled by either; they are the same threshold)
  const plain = (c: ReturnType<typeof binaryCurve>) => ({ ...c, thresholds: c.thresholds.map((t) => t + 0) });
  assert.deepEqual(plain(binaryCurve('t', y, s)), plain(binaryCurve('t', y, s, new Float64Array(n).fill(1))));
});

test('average precision is the step integral of the PR curve', () => {
  // ranked: 0.9 pos (P=1, R=.5), 0.8 neg, 0.7 pos (P=2/3, R=1): AP = .5*1 + .5*2/3
  assert.ok(Math.abs(averagePrecision(f([1, 0, 1]), f([0.9, 0.8, 0.7])) - (0.5 + 1 / 3)) < 1e-15);
});

test('log loss clips certainty and renormalises rows', () => {
  assert.ok(Math.abs(logLoss(f([0, 1]), f([0.5, 0.5, 0.2, 0.8]), 2) - (Math.log(2) - Math.log(0.8)) / 2) < 1e-15);
  const wrong = logLoss(f([1]), f([1, 0]), 2);
  assert.ok(Number.isFinite(wrong) && wrong > 30, `a certain wrong answer is large but finite: ${wrong}`);
});

test('r2 of a constant target follows scikit-learn (1 when exact, else 0)', () => {
  assert.equal(r2(f([2, 2]), f([2, 2])), 1);
  assert.equal(r2(f([2, 2]), f([1, 2])), 0);
});

test('calibration bins put a prediction on an edge in the lower bin', () => {
  const c = calibrationBins(f([0, 1, 1, 0]), f([0, 0.5, 0.55, 1]), { nBins: 2 });
  assert.deepEqual([...c.count], [2, 2]);
  assert.deepEqual([...c.fractionPositive], [0.5, 0.5]);
  assert.deepEqual([...c.meanPredicted], [0.25, 0.775]);
});

// brute force: try every distinct score (and +Infinity) as threshold
function bruteForce(y: Float64Array, s: Float64Array, value: (tp: number, fp: number, fn: number) => number, better: (a: number, b: number) => boolean) {
  const candidates = [...new Set(s)].sort((a, b) => b - a);
  let best = Infinity;
  let bestValue = value(0, 0, y.reduce((a, v) => a + v, 0));
  for (const t of candidates) {
    let tp = 0, fp = 0, fn = 0;
    for (let i = 0; i < y.length; i++) {
      if (s[i] >= t) {
        if (y[i]) tp++;
        else fp++;
      } else if (y[i]) fn++;
    }
    const v = value(tp, fp, fn);
    if (better(v, bestValue)) {
      bestValue = v;
      best = t;
    }
  }
  return { threshold: best, value: bestValue };
}

test('threshold helpers agree with brute force on random data with ties', () => {
  const rng = new Rng(3);
  for (let trial = 0; trial < 20; trial++) {
    const n = 50 + rng.int(100);
    const y = Float64Array.from({ length: n }, () => (rng.next() < 0.2 ? 1 : 0));
    y[0] = 1;
    const s = Float64Array.from(y, (v) => Math.round((0.3 * v + rng.next()) * 10) / 10);
    const bf = bruteForce(y, s, (tp, fp, fn) => (tp ? (2 * tp) / (2 * tp + fp + fn) : 0), (a, b) => a > b);
    const got = bestF1Threshold(y, s);
    assert.equal(got.threshold, bf.threshold);
    assert.ok(Math.abs(got.f1 - bf.value) < 1e-12);
    assert.ok(Math.abs(f1(y, applyThreshold(s, got.threshold)) - got.f1) < 1e-12, 'applying the threshold gives that F1');
    const costs = { falsePositive: 1, falseNegative: 1 + rng.int(20) };
    const bc = bruteForce(y, s, (_tp, fp, fn) => fp * costs.falsePositive + fn * costs.falseNegative, (a, b) => a < b);
    const gc = minCostThreshold(y, s, costs);
    assert.equal(gc.threshold, bc.threshold);
    assert.equal(gc.cost, bc.value);
    assert.equal(gc.meanCost, bc.value / n);
  }
});

test('a cost matrix where false alarms are free makes everyone positive; the Bayes threshold follows the costs', () => {
  const y = f([0, 1, 0, 1]);
  const s = f([0.1, 0.2, 0.3, 0.9]);
  const c = minCostThreshold(y, s, { falsePositive: 0, falseNegative: 5 });
  assert.equal(c.cost, 0);
  assert.equal(c.falseNegatives, 0);
  assert.equal(bayesThreshold({ falsePositive: 1, falseNegative: 20 }), 1 / 21);
  assert.throws(() => bayesThreshold({ falsePositive: -1, falseNegative: 1 }), /costs.falsePositive = -1: must be a finite number >= 0/);
});

test('scoreMetric picks the right inputs per metric and task; the table says which way is better', () => {
  const y = f([0, 1, 1, 0]);
  const proba = f([0.9, 0.1, 0.3, 0.7, 0.2, 0.8, 0.6, 0.4]);
  assert.equal(scoreMetric('roc_auc', 'binary', y, { proba }), 1);
  assert.equal(scoreMetric('accuracy', 'binary', y, { proba }), 1);
  assert.deepEqual(Object.keys(scoreAll('binary', y, { proba })), DEFAULT_METRICS.binary);
  assert.equal(scoreMetric('rmse', 'regression', f([1, 2]), { predicted: f([1, 4]) }), Math.sqrt(2));
  assert.ok(isBetter('log_loss', 0.1, 0.2));
  assert.ok(isBetter('roc_auc', 0.9, 0.8));
  assert.throws(() => scoreMetric('rmse', 'binary', y, { proba }), /rmse: does not apply to a binary task/);
});

test('bad inputs fail with a message naming the problem', () => {
  assert.throws(() => rocAuc(f([1, 1]), f([0.2, 0.3])), /roc_curve: needs both classes/);
  assert.throws(() => rocAuc(f([1, 0]), f([0.2])), /scores has 1 values, expected 2/);
  assert.throws(() => rocAuc(f([1, 2]), f([0.2, 0.1])), /labels\[1\] = 2 is not a class index in 0..1/);
  assert.throws(() => rocAuc(f([1, 0]), f([NaN, 0.1])), /scores\[0\] = NaN is not a finite number/);
  assert.throws(() => logLoss(f([0]), f([0.5, 0.5]), 2, { weights: f([-1]) }), /sample weight \[0\] = -1/);
  assert.throws(() => r2(f([]), f([])), /r2: no rows to score/);
});
