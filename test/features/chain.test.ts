// Feature chains: what the dense and tree chains make of a mixed frame, that nothing is learned from rows
// outside training, and that a chain rebuilt from JSON gives the same matrix.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { categoryFromStrings, datetimeColumn, Frame, numberColumn, textColumn } from '../../src/core/frame.js';
import { Rng } from '../../src/core/rng.js';
import { FeatureChain, fitFeatureChain } from '../../src/features/index.js';

function mixedFrame(n: number, seed: number): Frame {
  const rng = new Rng(seed);
  return Frame.fromColumns([
    ['age', numberColumn(Float64Array.from({ length: n }, (_, i) => (i % 7 === 0 ? NaN : 20 + rng.int(50))))],
    ['plan', categoryFromStrings(Array.from({ length: n }, (_, i) => (i % 11 === 0 ? null : ['basic', 'pro', 'team'][rng.int(3)])))],
    ['zip', categoryFromStrings(Array.from({ length: n }, () => `Z${rng.int(80)}`))],
    ['joined', datetimeColumn(Float64Array.from({ length: n }, () => Date.UTC(2020 + rng.int(3), rng.int(12), 1 + rng.int(28))))],
    ['note', textColumn(Array.from({ length: n }, () => 'free text'))],
    ['id', numberColumn(Float64Array.from({ length: n }, (_, i) => i))],
    ['y', numberColumn(Float64Array.from({ length: n }, () => rng.int(2)))],
  ]);
}

test('dense chain: dates → parts, gaps → imputed + indicator, narrow categories one-hot, wide ones target-encoded, numbers scaled', () => {
  const frame = mixedFrame(400, 1);
  const y = (frame.column('y') as { values: Float64Array }).values;
  const { chain, x } = fitFeatureChain(frame, { exclude: ['y', 'id'], target: { y, task: 'binary' }, maxOneHotLevels: 10, minFrequency: 1 });
  assert.deepEqual(chain.inputs, ['age', 'plan', 'zip', 'joined']);
  assert.deepEqual(chain.steps.map((s) => s.type), ['datetime-parts', 'impute', 'impute', 'target', 'one-hot', 'scale']);
  const names = chain.features.map((f) => f.name);
  assert.deepEqual(names.slice(0, 6), ['age', 'age__missing', 'plan=(missing)', 'plan=basic', 'plan=pro', 'plan=team']);
  assert.ok(names.includes('zip') && names.some((n) => n.startsWith('joined.')));
  assert.ok(chain.features.every((f) => f.kind === 'numeric'));
  assert.equal(x.nRows, 400);
  assert.ok(x.data.every(Number.isFinite), 'no gaps left for a linear model');
  // scaled columns have mean 0 and variance 1 on the training rows; one-hot and indicators stay 0/1
  const col = (name: string) => x.data.subarray(names.indexOf(name) * 400, (names.indexOf(name) + 1) * 400);
  const age = col('age');
  const mean = age.reduce((a, b) => a + b, 0) / 400;
  const variance = age.reduce((a, b) => a + (b - mean) ** 2, 0) / 400;
  assert.ok(Math.abs(mean) < 1e-12 && Math.abs(variance - 1) < 1e-12);
  assert.ok(col('plan=pro').every((v) => v === 0 || v === 1));
  assert.ok(col('age__missing').every((v) => v === 0 || v === 1));
});

test('dense chain without a target: wide categories keep their most frequent levels, the rest grouped', () => {
  const frame = mixedFrame(400, 2);
  const { chain } = fitFeatureChain(frame, { exclude: ['y', 'id'], maxOneHotLevels: 10, minFrequency: 1 });
  const zip = chain.features.filter((f) => f.name.startsWith('zip='));
  assert.equal(zip.length, 11);
  assert.equal(zip[zip.length - 1].name, 'zip=(other)');
});

test('tree chain: categories stay native codes, gaps stay NaN, dates become parts', () => {
  const frame = mixedFrame(300, 3);
  const { chain, x } = fitFeatureChain(frame, { kind: 'tree', exclude: ['y', 'id'] });
  assert.deepEqual(chain.steps.map((s) => s.type), ['datetime-parts']);
  const plan = chain.features.find((f) => f.name === 'plan');
  assert.equal(plan?.kind, 'categorical');
  assert.equal(plan?.nCategories, 3);
  assert.ok(Number.isNaN(x.data[0]), 'age of row 0 is missing and stays NaN');
  // a category wider than maxNativeLevels is target-encoded when the target is known
  const y = (frame.column('y') as { values: Float64Array }).values;
  const narrow = fitFeatureChain(frame, { kind: 'tree', exclude: ['y', 'id'], maxNativeLevels: 20, target: { y, task: 'binary' } });
  assert.equal(narrow.chain.features.find((f) => f.name === 'zip')?.kind, 'numeric');
});

test('fitted on training rows only: statistics ignore rows outside training; unseen values are handled', () => {
  const frame = mixedFrame(200, 4);
  const train = frame.slice(0, 150);
  const { chain } = fitFeatureChain(train, { exclude: ['y', 'id'], minFrequency: 1 });
  const again = fitFeatureChain(train, { exclude: ['y', 'id'], minFrequency: 1 }).chain;
  assert.deepEqual(chain.toJSON(), again.toJSON());
  // the scaler's mean is the mean of imputed training ages only
  const scaler = chain.steps.find((s) => s.type === 'scale') as unknown as { columns: { name: string; mean: number }[] };
  const ages = [...(train.column('age') as { values: Float64Array }).values];
  const present = ages.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const median = present.length % 2 ? present[(present.length - 1) / 2] : (present[present.length / 2 - 1] + present[present.length / 2]) / 2;
  const imputedMean = ages.map((v) => (Number.isNaN(v) ? median : v)).reduce((a, b) => a + b, 0) / ages.length;
  assert.ok(Math.abs(scaler.columns.find((c) => c.name === 'age')!.mean - imputedMean) < 1e-12);
  const fresh = Frame.fromColumns([
    ['age', numberColumn(Float64Array.of(NaN))],
    ['plan', categoryFromStrings(['enterprise'])],
    ['zip', categoryFromStrings(['Z999'])],
    ['joined', datetimeColumn(Float64Array.of(NaN))],
  ]);
  const m = chain.transform(fresh);
  assert.ok(m.data.every(Number.isFinite));
});

test('a chain rebuilt from JSON gives the same matrix; a missing input column is named', () => {
  const frame = mixedFrame(250, 5);
  const y = (frame.column('y') as { values: Float64Array }).values;
  for (const kind of ['dense', 'tree'] as const) {
    const { chain } = fitFeatureChain(frame, { kind, exclude: ['y', 'id'], target: { y, task: 'binary' }, maxOneHotLevels: 5, maxNativeLevels: 50 });
    const back = FeatureChain.fromJSON(JSON.parse(JSON.stringify(chain.toJSON())));
    assert.deepEqual(back.features, chain.features);
    assert.deepEqual(back.transform(frame).data, chain.transform(frame).data);
    assert.throws(() => chain.transform(frame.drop(['plan'])), /column "plan" is missing/);
  }
  assert.throws(() => fitFeatureChain(frame, { kind: 'wide' as never }), /kind = "wide": must be one of "dense", "tree"/);
});
