// The search's building blocks: durations, the clock-reading abort signal (stops a loop that never yields),
// search spaces, greedy ensemble selection and probability calibration.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isKilnError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { Budget, deadlineSignal, formatDuration, parseDuration } from '../../src/train/budget.js';
import { applyCalibration, chooseCalibration, fitPlatt, fitTemperature } from '../../src/train/calibration/calibrator.js';
import { blend, selectEnsemble } from '../../src/train/ensemble/selection.js';
import { logLoss, rocAuc } from '../../src/train/metrics/index.js';
import { choice, float, int, mutate, sample } from '../../src/train/search/space.js';

test('durations: 90s, 2m, 1h30m, plain seconds; nonsense is null', () => {
  assert.equal(parseDuration('90s'), 90);
  assert.equal(parseDuration('2m'), 120);
  assert.equal(parseDuration('1h30m'), 5400);
  assert.equal(parseDuration('45'), 45);
  assert.equal(parseDuration(12.5), 12.5);
  for (const bad of ['', 'soon', '2 weeks', '-3s', '0'] as const) assert.equal(parseDuration(bad), null, bad);
  assert.equal(formatDuration(95), '1m35s');
  assert.equal(formatDuration(4.25), '4.3s');
});

test('a deadline signal stops a synchronous loop that never yields to the event loop', () => {
  const { signal, dispose } = deadlineSignal(performance.now() + 30);
  let spins = 0;
  try {
    assert.throws(
      () => {
        // what a solver does: check the signal each iteration, never await
        for (;;) {
          spins++;
          if (signal.aborted) throw signal.reason;
        }
      },
      (e: unknown) => isKilnError(e) && e.code === 'E_BUDGET',
    );
  } finally {
    dispose();
  }
  assert.ok(spins > 10);
  const parent = new AbortController();
  const child = new Budget(60, { parent: parent.signal }).signal();
  parent.abort(new Error('cancelled'));
  assert.equal(child.signal.aborted, true);
  assert.equal((child.signal.reason as Error).message, 'cancelled');
  child.dispose();
});

test('search spaces: draws stay in range and on the grid; a mutation changes at least one value and stays in range', () => {
  const space = { lr: float(0.01, 0.2, true), leaves: int(4, 128, true), kind: choice('a', 'b', 'c') };
  const rng = new Rng(9);
  for (let i = 0; i < 200; i++) {
    const p = sample(space, rng);
    assert.ok((p.lr as number) >= 0.01 && (p.lr as number) <= 0.2);
    assert.ok(Number.isInteger(p.leaves) && (p.leaves as number) >= 4 && (p.leaves as number) <= 128);
    assert.ok(['a', 'b', 'c'].includes(p.kind as string));
    const m = mutate(space, p, rng);
    assert.notDeepEqual(m, p);
    assert.ok((m.lr as number) >= 0.01 && (m.lr as number) <= 0.2);
  }
});

/** scores of a noisy binary problem: a true signal seen through model-specific noise */
function noisyModels(n: number, k: number, seed: number): { y: Float64Array; outputs: Float64Array[] } {
  const rng = new Rng(seed);
  const signal = Float64Array.from({ length: n }, () => rng.normal());
  const y = signal.map((s) => (s + 0.8 * rng.normal() > 0 ? 1 : 0));
  const outputs = Array.from({ length: k }, () => {
    const out = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-(signal[i] + rng.normal())));
      out[2 * i] = 1 - p;
      out[2 * i + 1] = p;
    }
    return out;
  });
  return { y, outputs };
}

test('greedy ensemble selection beats each member when their errors are independent, and its weights sum to 1', () => {
  const { y, outputs } = noisyModels(3000, 3, 11);
  const sel = selectEnsemble({ outputs, y, task: 'binary', nClasses: 2, metric: 'roc_auc' });
  assert.ok(Math.abs(sel.weights.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  assert.ok(sel.weights.filter((w) => w > 0).length >= 2);
  const auc = (o: Float64Array): number => rocAuc(y, Float64Array.from({ length: y.length }, (_, i) => o[2 * i + 1]));
  for (const o of outputs) assert.ok(sel.score > auc(o));
  assert.ok(Math.abs(auc(blend(outputs, sel.weights)) - sel.score) < 1e-12);
});

test('calibration: Platt fixes over-confident scores, temperature fixes a multiclass softmax, neither changes the ranking', () => {
  const rng = new Rng(5);
  const n = 4000;
  const y = new Float64Array(n);
  const proba = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const z = rng.normal() * 2;
    y[i] = rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    const over = 1 / (1 + Math.exp(-3 * z)); // three times too confident
    proba[2 * i] = 1 - over;
    proba[2 * i + 1] = over;
  }
  const platt = fitPlatt(Float64Array.from({ length: n }, (_, i) => proba[2 * i + 1]), y);
  assert.equal(platt.method, 'platt');
  if (platt.method === 'platt') assert.ok(Math.abs(platt.a - 1 / 3) < 0.05, `slope ${platt.a}`);
  const fixed = applyCalibration(platt, proba, 2);
  assert.ok(logLoss(y, fixed, 2) < logLoss(y, proba, 2) - 0.05);
  const p1 = (p: Float64Array): Float64Array => Float64Array.from({ length: n }, (_, i) => p[2 * i + 1]);
  assert.ok(Math.abs(rocAuc(y, p1(fixed)) - rocAuc(y, p1(proba))) < 1e-12);
  const choice2 = chooseCalibration(proba, y, 2, ['platt', 'isotonic'], new Rng(1));
  assert.notEqual(choice2.calibration, null);
  assert.ok(choice2.logLoss.none > choice2.logLoss.platt);

  // three classes, logits scaled 1/3 (under-confident): the temperature found is about 1/3
  const k = 3;
  const yk = new Float64Array(n);
  const pk = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const logits = [rng.normal() * 2, rng.normal() * 2, rng.normal() * 2];
    const e = logits.map(Math.exp);
    const s = e.reduce((a, b) => a + b, 0);
    const u = rng.next();
    yk[i] = u < e[0] / s ? 0 : u < (e[0] + e[1]) / s ? 1 : 2;
    const soft = logits.map((l) => Math.exp(l / 3));
    const t = soft.reduce((a, b) => a + b, 0);
    for (let c = 0; c < k; c++) pk[i * k + c] = soft[c] / t;
  }
  const temp = fitTemperature(pk, yk, k);
  if (temp.method === 'temperature') assert.ok(Math.abs(temp.temperature - 1 / 3) < 0.05, `temperature ${temp.temperature}`);
  assert.ok(logLoss(yk, applyCalibration(temp, pk, k), k) < logLoss(yk, pk, k));
});
