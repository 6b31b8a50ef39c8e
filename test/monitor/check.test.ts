// runCheck on synthetic data with a known truth: an undrifted window passes; one column shifted by 0.5 sd fails
// the drift check and is named (even though one column of three never makes the dataset drift); alert_on:
// dataset and min_rows behave as documented; p-value tests alert only below the Bonferroni level; performance is
// judged on labels against the baseline, or estimated by CBPE before labels arrive.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { categoryColumn, type Column, Frame, numberColumn } from '../../src/core/frame.js';
import { Rng } from '../../src/core/rng.js';
import { type CheckInput, type MonitorSettings, parseMonitorSettings, ReferenceSketch, runCheck } from '../../src/monitor/index.js';

const P_VALUE_TESTS = new Set(['ks', 'chi_square']);

/** rows of (a ~ N(0,1), b ~ N(10, 2), c in {x, y, z}); P(positive) = sigmoid(2a), labels drawn from it */
function world(n: number, seed: number, shiftB = 0): { frame: Frame; p: Float64Array; y: Float64Array } {
  const rng = new Rng(seed);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const c = new Int32Array(n);
  const p = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = rng.normal();
    b[i] = 10 + 2 * rng.normal() + shiftB;
    c[i] = rng.int(3);
    p[i] = 1 / (1 + Math.exp(-2 * a[i]));
    y[i] = rng.next() < p[i] ? 1 : 0;
  }
  return { frame: Frame.fromColumns([['a', numberColumn(a)], ['b', numberColumn(b)], ['c', categoryColumn(c, ['x', 'y', 'z'])]], n), p, y };
}

const REFERENCE = world(5000, 1);
const SKETCH = ReferenceSketch.build(REFERENCE.frame.withColumn('score', numberColumn(REFERENCE.p)));

function input(current: ReturnType<typeof world>, settings: MonitorSettings, options: { labelled?: number; flip?: boolean; reference?: Frame | ReferenceSketch; referencePrediction?: Column } = {}): CheckInput {
  const n = current.frame.nRows;
  const proba = new Float64Array(2 * n);
  const predicted = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = options.flip ? 1 - current.p[i] : current.p[i];
    proba[2 * i] = 1 - p;
    proba[2 * i + 1] = p;
    predicted[i] = p >= 0.5 ? 1 : 0;
  }
  const labelled = options.labelled ?? n;
  const yTrue = Float64Array.from(current.y, (v, i) => (i < labelled ? v : NaN));
  const reference = options.reference ?? SKETCH;
  const referencePrediction = options.referencePrediction ?? (reference instanceof ReferenceSketch ? reference.values('score') : null);
  return {
    task: 'binary',
    metric: 'roc_auc',
    threshold: null,
    features: ['a', 'b', 'c'],
    reference,
    referencePrediction,
    current: current.frame,
    output: { predicted, proba, nClasses: 2 },
    predictionColumn: numberColumn(Float64Array.from({ length: n }, (_, i) => proba[2 * i + 1])),
    yTrue,
    times: null,
    baseline: { roc_auc: 0.82, accuracy: 0.74 },
    settings,
  };
}

const DEFAULTS = parseMonitorSettings({});

test('an undrifted window passes both checks; the reasons give the numbers', () => {
  const check = runCheck(input(world(1500, 2), DEFAULTS));
  assert.equal(check.rows, 1500);
  assert.deepEqual(check.failed, []);
  assert.equal(check.checks.drift.status, 'pass');
  assert.match(check.checks.drift.reasons[0], /^no drift: 0\/3 columns drifted/);
  assert.deepEqual(check.alerting, []);
  assert.equal(check.drift.columns.find((c) => c.column === 'b')!.test, 'wasserstein');
  assert.equal(check.drift.columns.find((c) => c.column === 'c')!.test, 'jensen_shannon');
  assert.equal(check.prediction!.test, 'wasserstein');
  assert.equal(check.performance.basis, 'realised');
  assert.equal(check.checks.performance.status, 'pass');
  assert.match(check.checks.performance.reasons[0], /^performance holds on 1,500 labelled rows: roc_auc 0\.8\d\d vs 0\.820 at training$/);
  // auto windows: at least min_rows each
  assert.deepEqual(check.windows.map((w) => w.rows.length), [1000, 500]);
  assert.equal(check.overTime.series.length, 3);
});

test('one column shifted by 0.5 sd fails the drift check and is named, though the dataset share stays below 0.5', () => {
  const check = runCheck(input(world(1500, 3, 1), DEFAULTS));
  assert.deepEqual(check.failed, ['drift']);
  assert.deepEqual(check.alerting, ['b']);
  assert.equal(check.drift.drifted, false);
  assert.equal(check.drift.nDrifted, 1);
  assert.match(check.checks.drift.reasons.join(' '), /column drifted: b \(wasserstein 0\.\d{3} ≥ 0\.100\)/);
  // the model reads only `a`: its outputs did not move
  assert.equal(check.prediction!.drifted, false);
  // alert_on: dataset — only the share counts
  const dataset = runCheck(input(world(1500, 3, 1), parseMonitorSettings({ drift: { alert_on: 'dataset' } })));
  assert.equal(dataset.checks.drift.status, 'pass');
  // fewer rows than min_rows: reported, not judged
  const small = runCheck(input(world(300, 3, 1), DEFAULTS));
  assert.equal(small.checks.drift.status, 'skipped');
  assert.match(small.checks.drift.reasons[0], /^300 current rows, fewer than drift\.min_rows 1000: /);
  assert.equal(small.drift.columns.find((c) => c.column === 'b')!.drifted, true);
  assert.deepEqual(small.failed, []);
});

test('with a small reference (KS, chi-square) a column alerts only below p_value / m (Bonferroni over the m tests)', () => {
  const settings = parseMonitorSettings({ drift: { min_rows: 100 } });
  const reference = world(800, 4).frame;
  const refScore = numberColumn(world(800, 4).p);
  let sawUncorrected = false;
  for (let seed = 10; seed < 40; seed++) {
    const check = runCheck(input(world(400, seed, 0.15), settings, { reference, referencePrediction: refScore }));
    const tests = [...check.drift.columns, check.prediction!];
    const m = tests.filter((c) => !c.skipped).length;
    for (const c of tests) {
      assert.ok(P_VALUE_TESTS.has(c.test), c.test);
      assert.equal(check.alerting.includes(c.column), c.score < 0.05 / m, `${c.column} p=${c.score}`);
      if (c.drifted && !check.alerting.includes(c.column)) sawUncorrected = true;
    }
  }
  assert.ok(sawUncorrected, 'some column should drift at 0.05 without reaching the corrected level');
});

test('performance: a drop against the baseline fails and names the metric; without labels CBPE decides', () => {
  const flipped = runCheck(input(world(1500, 5), DEFAULTS, { flip: true }));
  assert.deepEqual(flipped.failed, ['performance']);
  assert.match(flipped.checks.performance.reasons[0], /^performance dropped on 1,500 labelled rows: roc_auc 0\.1\d\d vs 0\.820 at training \(allowed drop 0\.05\)$/);
  assert.ok(flipped.performance.windows.every((w) => w.degraded.includes('roc_auc')));

  const unlabelled = runCheck(input(world(1500, 6), DEFAULTS, { labelled: 50 }));
  assert.equal(unlabelled.performance.basis, 'estimated');
  assert.equal(unlabelled.performance.labelled, 50);
  assert.match(unlabelled.checks.performance.reasons[0], /estimated without labels \(CBPE; 50 labelled rows so far\)/);
  // calibrated probabilities: CBPE lands near the realised AUC (computed here from every label)
  const realised = runCheck(input(world(1500, 6), DEFAULTS)).performance.metrics.roc_auc!;
  assert.ok(Math.abs(unlabelled.performance.estimate!.rocAuc - realised) < 0.03, `${unlabelled.performance.estimate!.rocAuc} vs ${realised}`);

  const none = runCheck({ ...input(world(1500, 7), DEFAULTS, { labelled: 0 }), task: 'regression', metric: 'rmse', output: { predicted: new Float64Array(1500) }, baseline: { rmse: 1 } });
  assert.equal(none.performance.basis, null);
  assert.equal(none.checks.performance.status, 'skipped');
  assert.match(none.checks.performance.reasons[0], /^0 labelled rows, fewer than performance\.min_labelled 200/);
});

test('time windows by day when the rows carry times', () => {
  const current = world(3000, 8);
  const day = 86_400_000;
  const times = Float64Array.from({ length: 3000 }, (_, i) => Date.UTC(2024, 0, 1) + Math.floor(i / 1000) * day + (i % 1000));
  const check = runCheck({ ...input(current, parseMonitorSettings({ window: 'day' })), times });
  assert.deepEqual(check.windows.map((w) => w.label), ['2024-01-01T00:00:00.000Z', '2024-01-02T00:00:00.000Z', '2024-01-03T00:00:00.000Z']);
  assert.equal(check.performance.windows.length, 3);
  assert.equal(check.performance.estimatedWindows!.length, 3);
});
