import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KilnError } from '../../src/core/errors.js';
import { categoryFromStrings, concatFrames, countMissing, Frame, numberColumn, textColumn } from '../../src/core/frame.js';

const frame = () =>
  Frame.fromColumns([
    ['x', numberColumn(Float64Array.from([1, NaN, 3]))],
    ['c', categoryFromStrings(['a', null, 'a'])],
    ['t', textColumn(['hi', 'there', null])],
  ]);

test('a frame keeps column order, kinds and missing values', () => {
  const f = frame();
  assert.equal(f.nRows, 3);
  assert.deepEqual(f.names, ['x', 'c', 't']);
  assert.deepEqual(f.schema(), [
    { name: 'x', kind: 'number' },
    { name: 'c', kind: 'category' },
    { name: 't', kind: 'text' },
  ]);
  assert.deepEqual(f.row(1), { x: null, c: null, t: 'there' });
  assert.equal(countMissing(f.column('x')), 1);
  assert.equal(countMissing(f.column('c')), 1);
});

test('columns of different lengths are refused with the column named', () => {
  assert.throws(
    () => Frame.fromColumns({ a: numberColumn(new Float64Array(2)), b: numberColumn(new Float64Array(3)) }),
    /column "b" has 3 rows, expected 2/,
  );
});

test('an unknown column name is a KilnError listing the columns', () => {
  assert.throws(() => frame().column('nope'), (e: unknown) => e instanceof KilnError && e.code === 'E_DATA_SCHEMA' && /x, c, t/.test(e.hint ?? ''));
});

test('take, slice, select and drop return new frames', () => {
  const f = frame();
  assert.deepEqual(f.take([2, 0]).toRecords(), [
    { x: 3, c: 'a', t: null },
    { x: 1, c: 'a', t: 'hi' },
  ]);
  assert.equal(f.slice(1).nRows, 2);
  assert.deepEqual(f.select(['t', 'x']).names, ['t', 'x']);
  assert.deepEqual(f.drop(['c']).names, ['x', 't']);
  assert.equal(f.nRows, 3);
});

test('concatFrames merges category dictionaries', () => {
  const a = Frame.fromColumns({ c: categoryFromStrings(['x', 'y']) });
  const b = Frame.fromColumns({ c: categoryFromStrings(['z', 'x', null]) });
  const both = concatFrames([a, b]);
  assert.deepEqual(
    both.toRecords().map((r) => r.c),
    ['x', 'y', 'z', 'x', null],
  );
});
