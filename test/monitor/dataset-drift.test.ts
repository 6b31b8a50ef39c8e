import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ParamError } from '../../src/core/errors.js';
import { categoryFromStrings, datetimeColumn, Frame, numberColumn, textColumn } from '../../src/core/frame.js';
import { Rng } from '../../src/core/rng.js';
import { detectDrift } from '../../src/monitor/dataset-drift.js';
import { missingValueDrift } from '../../src/monitor/missing-drift.js';
import { predictionDrift } from '../../src/monitor/prediction-drift.js';

/** a frame with a numeric, a categorical, a few-valued numeric and a text column */
function makeFrame(seed: number, n: number, opts: { shift?: number; plan?: string[]; missingIncome?: number } = {}): Frame {
  const rng = new Rng(seed);
  const plans = opts.plan ?? ['basic', 'basic', 'plus', 'pro'];
  const income = Float64Array.from({ length: n }, () => (rng.next() < (opts.missingIncome ?? 0) ? NaN : 50 + 10 * rng.normal() + (opts.shift ?? 0)));
  const plan = categoryFromStrings(Array.from({ length: n }, () => plans[rng.int(plans.length)]));
  const children = Float64Array.from({ length: n }, () => rng.int(3));
  const note = textColumn(Array.from({ length: n }, (_, i) => `row ${i}`));
  const when = datetimeColumn(Float64Array.from({ length: n }, (_, i) => 1.7e12 + i * 1000));
  return Frame.fromColumns({ income: numberColumn(income), plan, children: numberColumn(children), note, when });
}

test('small references get KS and chi-square, large ones Wasserstein and Jensen–Shannon (Evidently rule)', () => {
  const small = detectDrift(makeFrame(1, 800), makeFrame(2, 300));
  assert.deepEqual(
    small.columns.map((c) => [c.column, c.type, c.test]),
    [
      ['income', 'numeric', 'ks'],
      ['plan', 'categorical', 'chi_square'],
      ['children', 'numeric', 'chi_square'], // 3 distinct values <= 5: tested as categorical
    ],
  );
  const large = detectDrift(makeFrame(1, 3000), makeFrame(2, 300));
  assert.deepEqual(
    large.columns.map((c) => c.test),
    ['wasserstein', 'jensen_shannon', 'jensen_shannon'],
  );
  for (const c of [...small.columns, ...large.columns]) assert.equal(c.threshold, c.test === 'ks' || c.test === 'chi_square' ? 0.05 : 0.1);
  // text and datetime columns are not tested
  assert.ok(!small.columns.some((c) => c.column === 'note' || c.column === 'when'));
});

test('under no drift each p-value test alarms about 5 % of the time, so the dataset rarely drifts', () => {
  // 300 seeded pairs from one distribution: a valid test at level 0.05 alarms in Binomial(300, 0.05) cases,
  // i.e. 15 ± 3.8; the bounds 5..27 are beyond 2.6 standard deviations on both sides
  const trials = 300;
  const alarms = [0, 0, 0];
  let datasetAlarms = 0;
  for (let s = 0; s < trials; s++) {
    const result = detectDrift(makeFrame(100 + 2 * s, 400), makeFrame(101 + 2 * s, 200));
    result.columns.forEach((c, i) => (alarms[i] += c.drifted ? 1 : 0));
    datasetAlarms += result.drifted ? 1 : 0;
  }
  for (const a of alarms) assert.ok(a >= 5 && a <= 27, `alarms per column: ${alarms.join(', ')}`);
  // two of three columns must alarm together: about 3 · 0.05² ≈ 0.7 % of the time
  assert.ok(datasetAlarms <= 8, `dataset alarms: ${datasetAlarms}`);
});

test('a shifted column is flagged and named', () => {
  // seeds 20/21 give no chance alarm in the other two columns, so the share is exactly 1/3
  const shifted = detectDrift(makeFrame(20, 1000), makeFrame(21, 500, { shift: 5 })); // half a standard deviation
  const income = shifted.columns.find((c) => c.column === 'income');
  assert.ok(income && income.drifted && income.score < 1e-10, JSON.stringify(income));
  assert.deepEqual(
    shifted.columns.filter((c) => c.drifted).map((c) => c.column),
    ['income'],
  );
  assert.equal(shifted.share, 1 / 3);
  assert.equal(shifted.drifted, false); // one of three columns: below the 0.5 share
  assert.equal(detectDrift(makeFrame(20, 1000), makeFrame(21, 500, { shift: 5 }), { driftShare: 0.3 }).drifted, true);
  const large = detectDrift(makeFrame(20, 5000), makeFrame(21, 500, { shift: 5 }));
  const wide = large.columns.find((c) => c.column === 'income');
  // for a pure shift, W1 equals the shift: 5 / std 10 = 0.5, give or take sampling noise
  assert.ok(wide && wide.test === 'wasserstein' && wide.drifted && Math.abs(wide.score - 0.5) < 0.1, JSON.stringify(wide));
});

test('an unseen category in production is compared as a category with no reference rows', () => {
  const reference = makeFrame(5, 600);
  const current = makeFrame(6, 400, { plan: ['basic', 'plus', 'pro', 'enterprise'] });
  const plan = detectDrift(reference, current).columns.find((c) => c.column === 'plan');
  assert.ok(plan && plan.test === 'chi_square' && plan.drifted && plan.score < 1e-10, JSON.stringify(plan));
});

test('columns: absent ones are listed, explicit ones are checked, forced tests must fit the column type', () => {
  const reference = makeFrame(7, 300);
  const current = makeFrame(8, 200).drop(['children']);
  const result = detectDrift(reference, current);
  assert.deepEqual(result.absentColumns, ['children']);
  assert.throws(() => detectDrift(reference, current, { columns: ['income', 'children'] }), /"children" is missing from the current data/);
  assert.throws(() => detectDrift(reference, current, { columns: ['note'] }), /"note" is a text column/);
  const textIncome = current.withColumn('income', textColumn(Array.from({ length: current.nRows }, () => '12')));
  assert.throws(() => detectDrift(reference, textIncome), /column "income" is number in the reference but text in the current data/);
  assert.throws(() => detectDrift(reference, current, { columnTests: { plan: 'ks' } }), /the ks test needs a numeric column, but "plan" is categorical/);
  const psi = detectDrift(reference, current, { test: 'psi' });
  assert.ok(psi.columns.every((c) => c.test === 'psi' && c.threshold === 0.1 && Number.isFinite(c.score)));
  const custom = detectDrift(reference, current, { thresholds: { ks: 0.01 }, exclude: ['plan'] });
  assert.deepEqual(
    custom.columns.map((c) => [c.column, c.threshold]),
    [['income', 0.01]],
  );
});

test('bad options are rejected naming the option', () => {
  const f = makeFrame(9, 50);
  assert.throws(
    () => detectDrift(f, f, { driftShare: 2 }),
    (e: unknown) => e instanceof ParamError && /driftShare = 2: must be in \(0, 1\]/.test(e.message),
  );
  assert.throws(() => detectDrift(f, f, { test: 'anderson' as never }), /test = "anderson": must be one of/);
  assert.throws(() => detectDrift(f, f, { thresholds: { wasserstien: 0.2 } as never }), /unknown test "wasserstien"/);
  assert.throws(() => detectDrift(f, f.slice(0, 0)), /current data has no rows/);
});

test('a column with no values on one side is skipped with the reason, not counted', () => {
  const reference = makeFrame(10, 400);
  const current = makeFrame(11, 100, { missingIncome: 1 });
  const result = detectDrift(reference, current);
  const income = result.columns.find((c) => c.column === 'income');
  assert.equal(income?.skipped, 'no values in the current data');
  assert.equal(income?.drifted, false);
  assert.equal(result.nTested, 2);
});

test('missing-value drift needs both significance and a material change', () => {
  const reference = makeFrame(12, 2000, { missingIncome: 0.05 });
  const same = missingValueDrift(reference, makeFrame(13, 1000, { missingIncome: 0.05 }));
  assert.equal(same.nDrifted, 0);
  const more = missingValueDrift(reference, makeFrame(13, 1000, { missingIncome: 0.3 }));
  const income = more.columns.find((c) => c.column === 'income');
  assert.ok(income?.drifted && income.currentShare > 0.25 && income.referenceShare < 0.07, JSON.stringify(income));
  assert.deepEqual(
    more.columns.filter((c) => c.drifted).map((c) => c.column),
    ['income'],
  );
  // a significant but tiny change is not an alarm
  const big = makeFrame(14, 50000, { missingIncome: 0.05 });
  const slightly = missingValueDrift(big, makeFrame(15, 50000, { missingIncome: 0.06 }));
  const inc = slightly.columns.find((c) => c.column === 'income');
  assert.ok(inc && inc.pValue < 0.05 && !inc.drifted, JSON.stringify(inc));
});

test('prediction drift: scores for binary, labels for multiclass, with type checks', () => {
  const rng = new Rng(16);
  const scores = (n: number, shift: number) => numberColumn(Float64Array.from({ length: n }, () => 1 / (1 + Math.exp(-(rng.normal() + shift)))));
  assert.equal(predictionDrift('binary', scores(500, 0), scores(400, 0)).drifted, false);
  const moved = predictionDrift('binary', scores(500, 0), scores(400, 0.8));
  assert.ok(moved.drifted && moved.test === 'ks' && moved.column === 'prediction');
  const labels = (n: number, p: number[]) =>
    categoryFromStrings(
      Array.from({ length: n }, () => {
        const u = rng.next();
        return u < p[0] ? 'a' : u < p[0] + p[1] ? 'b' : 'c';
      }),
    );
  assert.equal(predictionDrift('multiclass', labels(3000, [0.5, 0.3]), labels(500, [0.5, 0.3])).drifted, false);
  const classes = predictionDrift('multiclass', labels(3000, [0.5, 0.3]), labels(500, [0.2, 0.3]));
  assert.ok(classes.drifted && classes.test === 'jensen_shannon', JSON.stringify(classes));
  assert.throws(() => predictionDrift('regression', labels(10, [1, 0]), scores(10, 0)), /regression prediction drift needs numeric predictions, but the reference ones are categorical/);
});
