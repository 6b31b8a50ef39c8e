import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../src/core/rng.js';
import { realisedPerformance } from '../../src/monitor/performance.js';
import { rowWindows } from '../../src/monitor/windows.js';
import { accuracy, f1, rmse, rocAuc } from '../../src/train/metrics/index.js';

test('binary: metrics per window on the labelled rows only, degraded against the baseline', () => {
  const rng = new Rng(1);
  const n = 3000;
  const y = new Float64Array(n);
  const proba = new Float64Array(2 * n); // (n, 2)
  for (let i = 0; i < n; i++) {
    const p = 1 / (1 + Math.exp(-2 * rng.normal()));
    // the last window's model is wrong a third of the time
    const truth = i >= 2000 && rng.next() < 0.33 ? (rng.next() < p ? 0 : 1) : rng.next() < p ? 1 : 0;
    y[i] = i % 10 === 0 ? NaN : truth; // every tenth label has not arrived yet
    proba[2 * i] = 1 - p;
    proba[2 * i + 1] = p;
  }
  const windows = rowWindows(n, 1000);
  const result = realisedPerformance('binary', y, { proba, nClasses: 2 }, windows, { baseline: { accuracy: 0.8, roc_auc: 0.85 } });
  assert.deepEqual(
    result.map((r) => r.nLabelled),
    [900, 900, 900],
  );
  // the per-window numbers are train/metrics on the same rows
  const rows = Array.from({ length: 1000 }, (_, i) => 1000 + i).filter((i) => i % 10 !== 0);
  const yw = Float64Array.from(rows, (i) => y[i]);
  const pw = Float64Array.from(rows, (i) => proba[2 * i + 1]);
  const predicted = Float64Array.from(pw, (p) => (p >= 0.5 ? 1 : 0));
  assert.equal(result[1].metrics.accuracy, accuracy(yw, predicted));
  assert.equal(result[1].metrics.roc_auc, rocAuc(yw, pw));
  assert.equal(result[1].metrics.f1, f1(yw, predicted));
  assert.deepEqual(
    result.map((r) => r.degraded),
    [[], [], ['accuracy', 'roc_auc']],
  );
});

test('a window without both classes, or with too few labels, reports NaN rather than a misleading number', () => {
  const y = Float64Array.from([1, 1, 1, 0, 1, NaN]);
  const proba = Float64Array.from([0.2, 0.8, 0.3, 0.7, 0.1, 0.9, 0.6, 0.4, 0.2, 0.8, 0.5, 0.5]);
  const result = realisedPerformance('binary', y, { proba, nClasses: 2 }, rowWindows(6, 3), { minLabelled: 3 });
  assert.ok(Number.isNaN(result[0].metrics.roc_auc as number)); // only positives
  assert.equal(result[0].metrics.accuracy, 1);
  assert.ok(Number.isNaN(result[1].metrics.accuracy as number)); // two labelled rows < 3
});

test('regression: rmse and mae per window; an error metric degrades when it rises by more than maxDrop relatively', () => {
  const rng = new Rng(2);
  const n = 1000;
  const truth = Float64Array.from({ length: n }, () => 10 + rng.normal());
  const predicted = Float64Array.from(truth, (t, i) => t + (i < 500 ? 0.5 : 0.8) * rng.normal());
  const result = realisedPerformance('regression', truth, { predicted }, rowWindows(n, 500), { baseline: { rmse: 0.5 }, maxDrop: 0.2 });
  assert.equal(result[0].metrics.rmse, rmse(truth.subarray(0, 500), predicted.subarray(0, 500)));
  assert.ok(typeof result[0].metrics.mae === 'number');
  assert.deepEqual(
    result.map((r) => r.degraded),
    [[], ['rmse']],
  );
});

test('multiclass: accuracy, one-vs-rest AUC and macro F1 per window', () => {
  const rng = new Rng(3);
  const n = 600;
  const y = new Float64Array(n);
  const proba = new Float64Array(3 * n); // (n, 3)
  for (let i = 0; i < n; i++) {
    y[i] = rng.int(3);
    for (let k = 0; k < 3; k++) proba[3 * i + k] = (k === y[i] ? 2 : 0) + rng.next();
    const s = proba[3 * i] + proba[3 * i + 1] + proba[3 * i + 2];
    for (let k = 0; k < 3; k++) proba[3 * i + k] /= s;
  }
  const [w] = realisedPerformance('multiclass', y, { proba, nClasses: 3 }, rowWindows(n, n));
  assert.deepEqual(Object.keys(w.metrics), ['accuracy', 'roc_auc', 'f1_macro']);
  assert.ok((w.metrics.accuracy as number) > 0.9 && (w.metrics.roc_auc as number) > 0.95);
});
