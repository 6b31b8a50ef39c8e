// The fitted transforms on small hand-made frames: what they learn, what they output, how they treat gaps and
// unseen labels, and that JSON round trips give identical results.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type CategoryColumn, categoryColumn, categoryFromStrings, datetimeColumn, Frame, numberColumn, textColumn } from '../../src/core/frame.js';
import { DatetimeParts, datePart, OneHotEncoder, OrdinalEncoder, SimpleImputer, StandardScaler, transformFromJSON } from '../../src/features/index.js';
import type { FittedTransform } from '../../src/features/transform.js';

const nums = (name: string, xs: number[]) => [name, numberColumn(Float64Array.from(xs))] as const;
const cats = (name: string, xs: (string | null)[]) => [name, categoryFromStrings(xs)] as const;
const values = (f: Frame, name: string) => [...(f.column(name) as { values: Float64Array }).values];
const labels = (f: Frame, name: string) => {
  const c = f.column(name) as CategoryColumn;
  return [...c.codes].map((k) => (k < 0 ? null : c.dictionary[k]));
};

/** a transform rebuilt from its JSON (through a string, as in an artifact) transforms identically */
function assertRoundTrip(t: FittedTransform, frame: Frame): void {
  const back = transformFromJSON(JSON.parse(JSON.stringify(t.toJSON())));
  assert.equal(back.type, t.type);
  assert.deepEqual(back.transform(frame).toRecords(), t.transform(frame).toRecords());
}

test('imputer: medians, means, most frequent (smallest label on ties), indicators only where training had gaps', () => {
  const train = Frame.fromColumns([nums('a', [1, NaN, 3, 10]), nums('b', [1, 2, 3, 4]), cats('c', ['y', 'x', null, 'y']), cats('d', ['q', 'p', 'p', 'q'])]);
  const imp = SimpleImputer.fit(train, { indicators: true });
  assert.deepEqual(imp.columns.map((c) => c.fill), [3, 2.5, 'y', 'p']);
  const out = imp.transform(train);
  assert.deepEqual(out.names, ['a', 'a__missing', 'b', 'c', 'c__missing', 'd']);
  assert.deepEqual(values(out, 'a'), [1, 3, 3, 10]);
  assert.deepEqual(values(out, 'a__missing'), [0, 1, 0, 0]);
  assert.deepEqual(labels(out, 'c'), ['y', 'x', 'y', 'y']);
  // new data may have gaps where training had none: filled, but no indicator column appears
  const fresh = Frame.fromColumns([nums('a', [NaN]), nums('b', [NaN]), cats('c', [null]), cats('d', [null])]);
  const o2 = imp.transform(fresh);
  assert.deepEqual(o2.row(0), { a: 3, a__missing: 1, b: 2.5, c: 'y', c__missing: 1, d: 'p' });
  assert.equal(SimpleImputer.fit(train, { numeric: 'mean' }).columns[0].fill, 14 / 3);
  assertRoundTrip(imp, fresh);
});

test('imputer: constant strategies, a column with no values, text arriving for a category column', () => {
  const train = Frame.fromColumns([nums('a', [NaN, NaN]), cats('c', ['u', null])]);
  const imp = SimpleImputer.fit(train, { category: 'constant', fillLabel: '(none)' });
  assert.deepEqual(imp.columns.map((c) => c.fill), [0, '(none)']);
  const out = imp.transform(Frame.fromColumns([nums('a', [NaN, 4]), ['c', textColumn([null, 'u'])]]));
  assert.deepEqual(out.toRecords(), [{ a: 0, c: '(none)' }, { a: 4, c: 'u' }]);
  assert.throws(() => imp.transform(Frame.fromColumns([nums('a', [1])])), /imputer: column "c" is missing/);
});

test('scaler: population standard deviation, a constant column is only centred, gaps stay NaN', () => {
  const train = Frame.fromColumns([nums('a', [1, 2, 3, NaN]), nums('k', [5, 5, 5, 5])]);
  const sc = StandardScaler.fit(train);
  assert.deepEqual(sc.columns, [{ name: 'a', mean: 2, scale: Math.sqrt(2 / 3) }, { name: 'k', mean: 5, scale: 1 }]);
  const out = sc.transform(train);
  assert.deepEqual(values(out, 'k'), [0, 0, 0, 0]);
  assert.ok(Number.isNaN(values(out, 'a')[3]));
  assert.ok(Math.abs(values(out, 'a')[2] - 1 / Math.sqrt(2 / 3)) < 1e-15);
  assertRoundTrip(sc, train);
});

test('one-hot: sorted levels, unseen labels and gaps give all zeros, unused dictionary labels are not levels', () => {
  // the dictionary holds "zz" which no training row uses (it came from a larger file)
  const city = categoryColumn(Int32Array.from([1, 0, 1, -1]), ['Rome', 'Oslo', 'zz']);
  const train = Frame.fromColumns([nums('n', [1, 2, 3, 4]), ['city', city]]);
  const oh = OneHotEncoder.fit(train);
  assert.deepEqual(oh.columns[0].levels, ['Oslo', 'Rome']);
  const out = oh.transform(Frame.fromColumns([nums('n', [0, 0, 0]), cats('city', ['Rome', 'Paris', null])]));
  assert.deepEqual(out.names, ['n', 'city=Oslo', 'city=Rome']);
  assert.deepEqual(values(out, 'city=Oslo'), [0, 0, 0]);
  assert.deepEqual(values(out, 'city=Rome'), [1, 0, 0]);
  assertRoundTrip(oh, Frame.fromColumns([cats('city', ['Oslo', 'x', null])]));
});

test('one-hot: rare levels and levels beyond maxCategories share one "(other)" column', () => {
  const xs = [...'aaaaabbbbccdde'];
  const train = Frame.fromColumns([cats('v', xs)]);
  const byFrequency = OneHotEncoder.fit(train, { minFrequency: 3 });
  assert.deepEqual(byFrequency.columns[0].levels, ['a', 'b']);
  assert.deepEqual(byFrequency.columns[0].grouped, ['c', 'd', 'e']);
  const out = byFrequency.transform(Frame.fromColumns([cats('v', ['a', 'd', 'unseen'])]));
  assert.deepEqual(out.names, ['v=a', 'v=b', 'v=(other)']);
  assert.deepEqual(values(out, 'v=(other)'), [0, 1, 0]);
  // at most 3 outputs: the two most frequent keep their column; on a count tie the earlier label is grouped
  const capped = OneHotEncoder.fit(train, { maxCategories: 3 });
  assert.deepEqual(capped.columns[0].levels, ['a', 'b']);
  assert.deepEqual(OneHotEncoder.fit(Frame.fromColumns([cats('v', [...'aabbcc'])]), { maxCategories: 3 }).columns[0].levels, ['b', 'c']);
  assert.throws(() => OneHotEncoder.fit(train, { maxCategories: 1 }), /maxCategories = 1: must be an integer >= 2/);
  assertRoundTrip(byFrequency, train);
});

test('one-hot: output names never collide with existing columns', () => {
  const train = Frame.fromColumns([cats('v', ['a', 'b']), nums('v=a', [1, 2])]);
  assert.deepEqual(OneHotEncoder.fit(train, { columns: ['v'] }).transform(train).names, ['v=a#2', 'v=b', 'v=a']);
});

test('ordinal: positions among sorted training levels, NaN for unseen labels and gaps', () => {
  const enc = OrdinalEncoder.fit(Frame.fromColumns([cats('v', ['b', 'a', 'c', null])]));
  const out = enc.transform(Frame.fromColumns([cats('v', ['c', 'a', 'z', null])]));
  assert.deepEqual(values(out, 'v'), [2, 0, NaN, NaN]);
  assertRoundTrip(enc, Frame.fromColumns([cats('v', ['a', 'q', null])]));
});

test('datetime parts: calendar parts in UTC (Monday = 0), auto keeps the parts that vary', () => {
  const ms = Date.UTC(2024, 1, 29, 13, 45, 10); // Thursday 29 Feb 2024
  assert.deepEqual(
    (['year', 'month', 'day', 'dayOfWeek', 'dayOfYear', 'hour', 'minute', 'second'] as const).map((p) => datePart(ms, p)),
    [2024, 2, 29, 3, 60, 13, 45, 10],
  );
  assert.equal(datePart(Date.UTC(1970, 0, 3), 'elapsedDays'), 2);
  const days = Frame.fromColumns([['d', datetimeColumn(Float64Array.of(Date.UTC(2024, 0, 1), Date.UTC(2024, 5, 15), NaN))]]);
  const dp = DatetimeParts.fit(days);
  assert.deepEqual(dp.columns[0].parts, ['month', 'day', 'dayOfWeek', 'dayOfYear', 'elapsedDays']);
  const out = dp.transform(days);
  assert.deepEqual(out.names, ['d.month', 'd.day', 'd.dayOfWeek', 'd.dayOfYear', 'd.elapsedDays']);
  assert.deepEqual(values(out, 'd.month'), [1, 6, NaN]);
  assertRoundTrip(dp, days);
});

test('loading refuses unknown transform types and malformed fields', () => {
  assert.throws(() => transformFromJSON({ type: 'eval', code: 'x' }), /unknown feature transform type "eval"/);
  assert.throws(() => transformFromJSON({ type: 'scale', columns: [{ name: 'a', mean: 'x', scale: 1 }] }), /columns\[0\].mean must be a finite number/);
  assert.throws(() => transformFromJSON({ type: 'one-hot', columns: [{ name: 'a', levels: ['x'], grouped: [], outputs: [] }] }), /has 0 outputs for 1 levels/);
});
