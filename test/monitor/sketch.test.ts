import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeArtifact, encodeArtifact } from '../../src/core/artifact.js';
import { ModelFormatError } from '../../src/core/errors.js';
import { categoryFromStrings, datetimeColumn, Frame, numberColumn, textColumn } from '../../src/core/frame.js';
import { Rng } from '../../src/core/rng.js';
import { detectDrift } from '../../src/monitor/dataset-drift.js';
import { missingValueDrift } from '../../src/monitor/missing-drift.js';
import { ReferenceSketch } from '../../src/monitor/sketch.js';

function makeFrame(seed: number, n: number, shift = 0): Frame {
  const rng = new Rng(seed);
  return Frame.fromColumns({
    amount: numberColumn(Float64Array.from({ length: n }, () => (rng.next() < 0.1 ? NaN : Math.exp(3 + rng.normal() + shift)))),
    plan: categoryFromStrings(Array.from({ length: n }, () => (rng.next() < 0.03 ? null : ['a', 'b', 'c'][rng.int(3)]))),
    rooms: numberColumn(Float64Array.from({ length: n }, () => 1 + rng.int(4))),
    seen: datetimeColumn(Float64Array.from({ length: n }, (_, i) => 1.6e12 + i * 60_000)),
    comment: textColumn(Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : `c${i}`))),
  });
}

test('the sketch keeps exact summaries of every row and a seeded sample', () => {
  const frame = makeFrame(1, 12_000);
  const sketch = ReferenceSketch.build(frame, { sampleSize: 3000, seed: 5 });
  assert.equal(sketch.nRows, 12_000);
  assert.equal(sketch.sample.nRows, 3000);
  assert.deepEqual(sketch.sample.names, ['amount', 'plan', 'rooms', 'seen']); // text is summarised, not sampled
  const plan = sketch.summary('plan');
  assert.ok(plan.kind === 'category');
  const codes = (frame.column('plan') as { codes: Int32Array }).codes;
  const exact = [0, 0, 0];
  let missing = 0;
  for (const c of codes) {
    if (c < 0) missing++;
    else exact[c]++;
  }
  assert.deepEqual([...plan.counts], exact);
  assert.equal(plan.nMissing, missing);
  const amount = sketch.summary('amount');
  assert.ok(amount.kind === 'number' && amount.distinct === null && amount.quantiles.length === 101);
  assert.ok(amount.quantiles[0] === amount.min && amount.quantiles[100] === amount.max);
  const rooms = sketch.summary('rooms');
  assert.ok(rooms.kind === 'number' && rooms.distinct !== null);
  assert.deepEqual([...rooms.distinct.values], [1, 2, 3, 4]);
  assert.equal(sketch.summary('comment').nMissing, Math.ceil(12_000 / 7));
  const seen = sketch.summary('seen');
  assert.ok(seen.kind === 'datetime' && seen.min === 1.6e12 && seen.max === 1.6e12 + 11_999 * 60_000);
  // same seed, same sample; another seed, another sample
  const again = ReferenceSketch.build(frame, { sampleSize: 3000, seed: 5 });
  assert.deepEqual(again.sample.column('amount'), sketch.sample.column('amount'));
  assert.notDeepEqual(ReferenceSketch.build(frame, { sampleSize: 3000, seed: 6 }).sample.column('amount'), sketch.sample.column('amount'));
  assert.throws(() => ReferenceSketch.build(frame, { sampleSize: 0 }), /sampleSize = 0: must be an integer between 1 and/);
});

test('drift against the sketch matches drift against the full training frame', () => {
  const training = makeFrame(2, 20_000);
  const sketch = ReferenceSketch.build(training, { sampleSize: 5000 });
  for (const [shift, seed] of [
    [0, 3],
    [0.4, 4],
  ]) {
    const current = makeFrame(seed, 2000, shift);
    const full = detectDrift(training, current);
    const sketched = detectDrift(sketch, current);
    assert.deepEqual(
      sketched.columns.map((c) => [c.column, c.test, c.drifted]),
      full.columns.map((c) => [c.column, c.test, c.drifted]),
    );
    for (let i = 0; i < full.columns.length; i++) {
      const [a, b] = [sketched.columns[i], full.columns[i]];
      // category and few-valued counts are exact in the sketch; the Wasserstein score uses a 5000-row sample of
      // 20,000, whose own sampling noise in W1/std is about 0.01 — a tenth of the 0.1 threshold
      if (a.test === 'jensen_shannon') assert.equal(a.score, b.score, a.column);
      else assert.ok(Math.abs(a.score - b.score) < 0.02, `${a.column}: ${a.score} vs ${b.score}`);
    }
    assert.deepEqual(missingValueDrift(sketch, current), missingValueDrift(training, current));
  }
});

test('a small reference is kept whole, so KS p-values are the same as with the frame', () => {
  const training = makeFrame(7, 800);
  const sketch = ReferenceSketch.build(training);
  assert.equal(sketch.sample.nRows, 800);
  const current = makeFrame(8, 300, 0.2);
  assert.deepEqual(detectDrift(sketch, current).columns, detectDrift(training, current).columns);
});

test('the sketch round-trips through the artifact format and rejects damaged ones clearly', () => {
  const sketch = ReferenceSketch.build(makeFrame(9, 4000), { sampleSize: 1500 });
  const bytes = encodeArtifact(sketch.toArtifact());
  const loaded = ReferenceSketch.fromArtifact(decodeArtifact(bytes));
  assert.equal(loaded.nRows, 4000);
  assert.deepEqual(loaded.names, sketch.names);
  for (const name of sketch.names) assert.deepEqual(loaded.summary(name), sketch.summary(name));
  assert.deepEqual(loaded.sample.toRecords(20), sketch.sample.toRecords(20));
  const current = makeFrame(10, 500, 0.3);
  assert.deepEqual(detectDrift(loaded, current), detectDrift(sketch, current));

  const artifact = sketch.toArtifact();
  const badCodes = { ...artifact, arrays: { ...artifact.arrays, 'sample/plan': new Int32Array(1500).fill(7) } };
  assert.throws(() => ReferenceSketch.fromArtifact(badCodes), (e: unknown) => e instanceof ModelFormatError && /"plan": sample code 7 is out of range/.test(e.message));
  const { ['quantiles/amount']: _gone, ...rest } = artifact.arrays;
  assert.throws(() => ReferenceSketch.fromArtifact({ ...artifact, arrays: rest }), /missing array "quantiles\/amount"/);
  assert.throws(() => ReferenceSketch.fromArtifact({ ...artifact, meta: { ...artifact.meta, format: 9 } }), /format 9 is not supported/);
  assert.throws(() => ReferenceSketch.fromArtifact({ ...artifact, kind: 'gbdt.classifier' }), /expected "monitor.reference-sketch"/);
  assert.throws(() => sketch.summary('nope'), /no column "nope"/);
});
