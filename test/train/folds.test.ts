// Validation splits: stratified folds keep the class balance, time folds never train on the future, group folds
// keep groups whole, and the holdout stays out of every fold.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../src/core/rng.js';
import { holdoutSplit, makeFolds, scoredRows } from '../../src/train/cv/folds.js';

function classShares(y: Float64Array, rows: Uint32Array): number {
  let ones = 0;
  for (const i of rows) ones += y[i];
  return ones / rows.length;
}

test('stratified folds: every row scored once, class shares within one row of the whole', () => {
  const n = 1003;
  const y = Float64Array.from({ length: n }, (_, i) => (i % 10 === 0 ? 1 : 0));
  const folds = makeFolds(n, { scheme: 'stratified', folds: 5, y, rng: new Rng(1) });
  const seen = new Uint8Array(n);
  for (const f of folds) {
    for (const i of f.valid) seen[i]++;
    assert.equal(f.train.length + f.valid.length, n);
    const expected = classShares(y, Uint32Array.from({ length: n }, (_, i) => i));
    assert.ok(Math.abs(classShares(y, f.valid) - expected) <= 1 / f.valid.length + 1e-12, `fold share ${classShares(y, f.valid)} vs ${expected}`);
    assert.ok(f.valid.every((v, j) => j === 0 || v > f.valid[j - 1]), 'ascending');
  }
  assert.ok(seen.every((s) => s === 1));
  assert.deepEqual(makeFolds(n, { scheme: 'stratified', folds: 5, y, rng: new Rng(1) }), folds, 'same seed, same folds');
});

test('time folds: each fold trains only on rows earlier than the ones it scores; the first block is never scored', () => {
  const n = 600;
  // times in a shuffled order, so the split must sort them
  const order = new Rng(3).shuffle(Float64Array.from({ length: n }, (_, i) => 1_700_000_000_000 + i * 60_000));
  const folds = makeFolds(n, { scheme: 'time', folds: 4, order, rng: new Rng(1) });
  for (const f of folds) {
    const latestTrain = Math.max(...Array.from(f.train, (i) => order[i]));
    const earliestValid = Math.min(...Array.from(f.valid, (i) => order[i]));
    assert.ok(latestTrain < earliestValid);
  }
  const scored = scoredRows(n, folds);
  const unscored = Array.from(scored).filter((s) => s === 0).length;
  assert.equal(unscored, Math.floor(n / 5));
});

test('group folds keep every group in one fold; the holdout of a group split takes whole groups', () => {
  const n = 500;
  const groups = Int32Array.from({ length: n }, (_, i) => Math.floor(i / 7));
  const folds = makeFolds(n, { scheme: 'group', folds: 5, groups, rng: new Rng(2) });
  const foldOf = new Map<number, number>();
  folds.forEach((f, k) => {
    for (const i of f.valid) {
      const g = groups[i];
      assert.ok(!foldOf.has(g) || foldOf.get(g) === k, `group ${g} split across folds`);
      foldOf.set(g, k);
    }
  });
  const { search, holdout } = holdoutSplit(n, 0.2, { scheme: 'group', groups, rng: new Rng(4) });
  assert.equal(search.length + holdout.length, n);
  const held = new Set(Array.from(holdout, (i) => groups[i]));
  for (const i of search) assert.ok(!held.has(groups[i]), 'a group on both sides of the holdout');
});

test('holdout: a stratified share, or the latest rows of a time split; too few rows for the folds is a clear error', () => {
  const n = 1000;
  const y = Float64Array.from({ length: n }, (_, i) => (i % 4 === 0 ? 1 : 0));
  const { search, holdout } = holdoutSplit(n, 0.1, { scheme: 'stratified', y, rng: new Rng(5) });
  assert.equal(holdout.length, 100);
  assert.equal(classShares(y, holdout), 0.25);
  assert.equal(search.length, 900);
  const order = Float64Array.from({ length: n }, (_, i) => n - i);
  const t = holdoutSplit(n, 0.1, { scheme: 'time', order, rng: new Rng(5) });
  assert.deepEqual(Array.from(t.holdout), Array.from({ length: 100 }, (_, i) => i), 'the latest times are the first rows here');
  assert.throws(() => makeFolds(7, { scheme: 'kfold', folds: 5, rng: new Rng(1) }), /7 rows are too few for 5-fold validation/);
});
