import assert from 'node:assert/strict';
import { test } from 'node:test';
import { categoryFromStrings, Frame, numberColumn, textColumn } from '../../src/core/frame.js';
import { encodeTarget, TabularEncoder } from '../../src/features/tabular-encoder.js';

const train = Frame.fromColumns([
  ['size', numberColumn(Float64Array.from([1, 2, NaN]))],
  ['city', categoryFromStrings(['Oslo', 'Rome', null])],
  ['note', textColumn(['a', 'b', 'c'])],
  ['y', categoryFromStrings(['No', 'Yes', 'No'])],
]);

test('numbers pass through, categories become training codes, text and the target are left out', () => {
  const enc = TabularEncoder.fit(train, { exclude: ['y'] });
  assert.deepEqual(enc.features, [
    { name: 'size', kind: 'numeric' },
    { name: 'city', kind: 'categorical', nCategories: 2 },
  ]);
  const m = enc.transform(train);
  assert.equal(m.nRows, 3);
  assert.deepEqual([...m.data], [1, 2, NaN, 0, 1, NaN]);
});

test('new data with another dictionary order and unseen labels maps through the training dictionary', () => {
  const enc = TabularEncoder.fromJSON(TabularEncoder.fit(train, { exclude: ['y'] }).toJSON());
  const fresh = Frame.fromColumns([
    ['city', categoryFromStrings(['Paris', 'Rome', 'Oslo'])],
    ['size', numberColumn(Float64Array.from([5, 6, 7]))],
  ]);
  assert.deepEqual([...enc.transform(fresh).data], [5, 6, 7, NaN, 1, 0]);
  const asText = Frame.fromColumns([
    ['city', textColumn(['Rome', null, 'Nowhere'])],
    ['size', numberColumn(Float64Array.from([1, 1, 1]))],
  ]);
  assert.deepEqual([...enc.transform(asText).data].slice(3), [1, NaN, NaN]);
});

test('a missing column is named in the error', () => {
  const enc = TabularEncoder.fit(train, { exclude: ['y'] });
  assert.throws(() => enc.transform(train.drop(['city'])), /column "city" is missing/);
});

test('binary targets put the positive class at index 1; numeric labels sort numerically', () => {
  const t = encodeTarget(train, 'y', 'binary', { positive: 'Yes' });
  assert.deepEqual(t.classes, ['No', 'Yes']);
  assert.deepEqual([...t.y], [0, 1, 0]);
  const f = Frame.fromColumns({ k: numberColumn(Float64Array.from([10, 2, 1, 2])) });
  const m = encodeTarget(f, 'k', 'multiclass');
  assert.deepEqual(m.classes, ['1', '2', '10']);
  assert.deepEqual([...m.y], [2, 1, 0, 1]);
  assert.throws(() => encodeTarget(f, 'k', 'binary'), /3 classes; a binary task needs exactly 2/);
});
