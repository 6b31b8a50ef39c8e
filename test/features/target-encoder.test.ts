// TargetEncoder: the smoothing formulas, and the out-of-fold training encoding checked against a brute force
// that refits on the other folds for every row.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { categoryFromStrings, Frame } from '../../src/core/frame.js';
import { Rng } from '../../src/core/rng.js';
import { TargetEncoder, transformFromJSON } from '../../src/features/index.js';

const values = (f: Frame, name: string) => [...(f.column(name) as { values: Float64Array }).values];

test('m-estimate and empirical-Bayes smoothing give the documented values; unseen labels get the prior', () => {
  const frame = Frame.fromColumns([['c', categoryFromStrings(['a', 'a', 'a', 'b'])]]);
  const y = Float64Array.of(1, 2, 3, 10);
  const prior = 4;
  const m = TargetEncoder.fit(frame, y, { task: 'regression', smoothing: 2 });
  assert.deepEqual(m.columns[0].encodings, [(6 + 2 * prior) / 5, (10 + 2 * prior) / 3]);
  const auto = TargetEncoder.fit(frame, y, { task: 'regression' });
  // level a: mean 2, variance 2/3; target variance 12.5; λ = 3·12.5 / (3·12.5 + 2/3)
  const lambda = (3 * 12.5) / (3 * 12.5 + 2 / 3);
  assert.ok(Math.abs(auto.columns[0].encodings[0] - (lambda * 2 + (1 - lambda) * prior)) < 1e-12);
  // level b: one row, no variance of its own: λ = 1
  assert.equal(auto.columns[0].encodings[1], 10);
  const out = auto.transform(Frame.fromColumns([['c', categoryFromStrings(['zzz', null])]]));
  assert.deepEqual(values(out, 'c'), [prior, prior]);
});

test('out-of-fold encoding equals refitting without the row\'s own fold (binary and multiclass)', () => {
  const rng = new Rng(5);
  const n = 300;
  const labels = Array.from({ length: n }, () => `L${rng.int(12)}`);
  for (const [task, k] of [['binary', 2], ['multiclass', 3]] as const) {
    const y = Float64Array.from(labels, (l) => (Number(l.slice(1)) % k === 0 && rng.next() < 0.8 ? 0 : rng.int(k)));
    const frame = Frame.fromColumns([['c', categoryFromStrings(labels)]]);
    const folds = 4;
    const { encoder, frame: oof } = TargetEncoder.fitTransform(frame, y, { task, nClasses: k, folds, rng: new Rng(9) });
    const outputs = encoder.columns[0].outputs;
    assert.equal(outputs.length, k === 2 ? 1 : k);
    const nOut = outputs.length;
    // reconstruct the folds as documented (stratified round-robin over each class shuffled by the rng), then
    // refit on the complement of each fold: its rows must carry exactly that encoding
    const foldOf = new Int32Array(n).fill(-1);
    const rng2 = new Rng(9);
    let offset = 0;
    for (let c = 0; c < k; c++) {
      const rows: number[] = [];
      for (let i = 0; i < n; i++) if (y[i] === c) rows.push(i);
      rng2.shuffle(rows);
      rows.forEach((row, r) => (foldOf[row] = (offset + r) % folds));
      offset += rows.length;
    }
    const sizes = Array.from({ length: folds }, (_, f) => foldOf.filter((v) => v === f).length);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `fold sizes ${sizes}`);
    for (let f = 0; f < folds; f++) {
      const others = [...Array(n).keys()].filter((i) => foldOf[i] !== f);
      const refit = TargetEncoder.fit(frame.take(others), Float64Array.from(others, (i) => y[i]), { task, nClasses: k });
      const inFold = [...Array(n).keys()].filter((i) => foldOf[i] === f);
      const expected = refit.transform(frame.take(inFold));
      for (let o = 0; o < nOut; o++) {
        const column = values(oof, outputs[o]);
        const got = inFold.map((i) => column[i]);
        assert.deepEqual(got, values(expected, outputs[o]), `fold ${f} output ${o}`);
      }
    }
    // with an m-estimate the multiclass shares of a level sum to 1 (each class is smoothed towards its prior)
    if (k > 2) {
      const m = TargetEncoder.fit(frame, y, { task, nClasses: k, smoothing: 3 });
      const full = m.transform(frame);
      for (let i = 0; i < n; i++) assert.ok(Math.abs(outputs.reduce((s, o) => s + values(full, o)[i], 0) - 1) < 1e-12);
    }
    const back = transformFromJSON(JSON.parse(JSON.stringify(encoder.toJSON())));
    assert.deepEqual(back.transform(frame).toRecords(), encoder.transform(frame).toRecords());
  }
});

test('the same rng gives the same out-of-fold values; bad settings are refused', () => {
  const frame = Frame.fromColumns([['c', categoryFromStrings(['a', 'b', 'a', 'b', 'c', 'c'])]]);
  const y = Float64Array.of(1, 0, 1, 1, 0, 0);
  const a = TargetEncoder.fitTransform(frame, y, { task: 'binary', folds: 2, rng: new Rng(3) }).frame;
  const b = TargetEncoder.fitTransform(frame, y, { task: 'binary', folds: 2, rng: new Rng(3) }).frame;
  assert.deepEqual(a.toRecords(), b.toRecords());
  assert.throws(() => TargetEncoder.fitTransform(frame, y, { task: 'binary', folds: 1 }), /folds = 1: must be an integer >= 2/);
  assert.throws(() => TargetEncoder.fit(frame, Float64Array.of(1, 0, 2, 1, 0, 0), { task: 'binary' }), /target 2 at row 2 is not a class index in 0..1/);
  assert.throws(() => TargetEncoder.fit(frame, y, { task: 'binary', smoothing: -1 }), /smoothing = -1/);
});
