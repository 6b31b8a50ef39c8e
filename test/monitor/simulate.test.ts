import assert from 'node:assert/strict';
import { test } from 'node:test';
import { categoryFromStrings, Frame, numberColumn } from '../../src/core/frame.js';
import { Rng } from '../../src/core/rng.js';
import { falseAlarmRate, rowsToDetectShift } from '../../src/monitor/simulate.js';

function population(seed: number, n: number): Frame {
  const rng = new Rng(seed);
  return Frame.fromColumns({
    a: numberColumn(Float64Array.from({ length: n }, () => rng.normal())),
    b: numberColumn(Float64Array.from({ length: n }, () => Math.exp(rng.normal()))),
    c: numberColumn(Float64Array.from({ length: n }, () => rng.int(4))),
    d: categoryFromStrings(Array.from({ length: n }, () => ['x', 'y', 'z'][rng.int(3)])),
  });
}

test('the false-alarm rate of undrifted resamples stays near the tests’ level per column and far below it per dataset', () => {
  const data = population(1, 6000);
  const result = falseAlarmRate(data, { trials: 60, referenceRows: 800, currentRows: 400, seed: 3 });
  assert.equal(result.trials, 60);
  assert.equal(result.referenceRows, 800);
  assert.deepEqual(
    result.columns.map((c) => [c.column, c.test]),
    [
      ['a', 'ks'],
      ['b', 'ks'],
      ['c', 'chi_square'],
      ['d', 'chi_square'],
    ],
  );
  // each column: Binomial(60, 0.05) alarms, mean 3, sd 1.7; 10 is beyond 4 sd
  for (const c of result.columns) assert.ok(c.alarms <= 10, `${c.column}: ${c.alarms}`);
  // the dataset needs 2 of 4 columns at once: about 6 · 0.05² ≈ 1.4 % per trial
  assert.ok(result.rate <= 0.05, `dataset false-alarm rate ${result.rate}`);
  // the same seed reproduces the same figures
  assert.deepEqual(falseAlarmRate(data, { trials: 60, referenceRows: 800, currentRows: 400, seed: 3 }), result);
  // against a fixed reference, current windows are drawn from the data as a pool
  const fixed = falseAlarmRate(population(2, 3000), { reference: population(3, 5000), trials: 10, currentRows: 500 });
  assert.ok(fixed.referenceRows === 5000 && fixed.columns.every((c) => c.test === 'wasserstein' || c.test === 'jensen_shannon'));
  assert.throws(() => falseAlarmRate(population(4, 100), { referenceRows: 80, currentRows: 40 }), /needs 120 rows per trial .* but the data has 100/);
});

test('rows needed to detect half a standard deviation: about 100 with a KS reference of 800; Wasserstein needs windows big enough to stop false alarms', () => {
  const data = population(5, 8000);
  // KS with 800 reference rows: the shifted normal's CDF gap is 2Φ(0.25) - 1 ≈ 0.20, and the 5 % critical
  // distance is 1.36 √((800 + m) / (800 m)): 0.15 at m = 100 (power ≈ 0.8) and 0.11 at m = 200 (power ≈ 0.99).
  // The 30 trials share their seeded references across sizes, so false alarms of a valid 5 % test can read
  // 4/30; maxFalseAlarm 0.2 accepts that noise.
  const ks = rowsToDetectShift(data, 'a', { referenceRows: 800, trials: 30, sizes: [25, 50, 100, 200, 400], seed: 7, maxFalseAlarm: 0.2 });
  assert.ok(ks.bySize.every((s) => s.test === 'ks' && s.falseAlarmRate <= 0.2), JSON.stringify(ks.bySize));
  assert.ok(ks.rowsNeeded === 100 || ks.rowsNeeded === 200, JSON.stringify(ks.bySize));
  assert.ok(Math.abs(ks.referenceStd - 1) < 0.1 && Math.abs(ks.shift - 0.5) < 0.05);
  for (let i = 1; i < ks.bySize.length; i++) assert.ok(ks.bySize[i].detectionRate >= ks.bySize[i - 1].detectionRate - 0.1, JSON.stringify(ks.bySize));
  // Wasserstein/std with a large reference: a pure 0.5 sd shift scores about 0.5, far above the 0.1 threshold,
  // but so does sampling noise in small windows (W1 of 25 normal draws against the population is well above
  // 0.1 sd: W1 shrinks only like 1/√n), so
  // the size that counts is the one where unshifted windows stop alarming
  const w = rowsToDetectShift(data, 'a', { referenceRows: 5000, trials: 20, sizes: [25, 100, 400], seed: 8 });
  assert.ok(w.bySize.every((s) => s.test === 'wasserstein' && s.detectionRate === 1), JSON.stringify(w.bySize));
  assert.ok(w.bySize[0].falseAlarmRate >= 0.5, JSON.stringify(w.bySize));
  assert.equal(w.rowsNeeded, 400);
  // one shifted column of four makes the dataset drift (share >= 0.5) only with a chance alarm elsewhere
  const dataset = rowsToDetectShift(data, 'a', { referenceRows: 800, trials: 10, sizes: [400], criterion: 'dataset', seed: 9 });
  assert.equal(dataset.rowsNeeded, null);
  assert.throws(() => rowsToDetectShift(data, 'd'), /column "d" must be numeric/);
});
