// The Pipeline end to end on the bundled churn example and small synthetic frames: fit, predict from a Frame and
// from JSON records, decoded labels, thresholds, the artifact round trip, and what it refuses.

import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { decodeArtifact, encodeArtifact, type Artifact } from '../../src/core/artifact.js';
import { ModelFormatError, ValidationError } from '../../src/core/errors.js';
import { categoryFromStrings, datetimeColumn, Frame, numberColumn } from '../../src/core/frame.js';
import { Rng } from '../../src/core/rng.js';
import { Pipeline, PIPELINE_KIND } from '../../src/features/index.js';
import { LogisticRegression, Ridge } from '../../src/models/linear/index.js';
import { rocAuc } from '../../src/train/metrics/index.js';
import { readCsvFrame } from '../reference/datasets.js';

const churn = await readCsvFrame(path.resolve(import.meta.dirname, '../../examples/churn/telco-churn.csv'), { rows: 2000 });
const train = churn.slice(0, 1500);
const holdout = churn.slice(1500, 2000);
const fitChurn = () => Pipeline.fit(train, { target: 'Churn', task: 'binary', positive: 'Yes', drop: ['customerID'], learner: new LogisticRegression(), rng: new Rng(1) });

test('binary churn: decoded labels, probabilities in class order, a sensible ranking', async () => {
  const p = await fitChurn();
  assert.deepEqual(p.classes, ['No', 'Yes']);
  assert.equal(p.chain.kind, 'dense');
  assert.ok(!p.chain.inputs.includes('customerID') && !p.chain.inputs.includes('Churn'));
  const out = p.predict(holdout);
  assert.deepEqual(out.classes, ['No', 'Yes']);
  assert.equal(out.probabilities!.length, 1000);
  out.predictions.forEach((label, i) => {
    const yes = out.probabilities![2 * i + 1];
    assert.equal(label, yes > 0.5 ? 'Yes' : 'No');
    assert.ok(Math.abs(out.probabilities![2 * i] + yes - 1) < 1e-12);
  });
  const y = Float64Array.from({ length: 500 }, (_, i) => (holdout.row(i).Churn === 'Yes' ? 1 : 0));
  const positive = Float64Array.from({ length: 500 }, (_, i) => out.probabilities![2 * i + 1]);
  assert.ok(rocAuc(y, positive) > 0.78, `AUC ${rocAuc(y, positive)}`);
});

test('JSON records predict exactly what the same rows as a Frame do; ids and the target may be sent', async () => {
  const p = await fitChurn();
  const records = holdout.toRecords();
  const a = p.predict(holdout);
  const b = p.predictRecords(records);
  assert.deepEqual(b.predictions, a.predictions);
  assert.deepEqual(b.probabilities, a.probabilities);
  // without the ignored columns too
  const bare = records.map(({ customerID: _id, Churn: _y, ...rest }) => rest);
  assert.deepEqual(p.predictRecords(bare).probabilities, a.probabilities);
  // unseen labels are handled as training handled them, not refused
  const odd = { ...bare[0], Contract: 'Ten year', InternetService: null };
  assert.equal(p.predictRecords([odd]).predictions.length, 1);
  assert.throws(
    () => p.predictRecords([{ ...bare[0], tenure: '12' }], { path: ['rows'] }),
    (e: unknown) => e instanceof ValidationError && e.issues[0].path.join('.') === 'rows.0.tenure' && e.issues[0].expected === 'a number',
  );
  assert.throws(() => p.predict(holdout.drop(['tenure'])), /column "tenure" is missing/);
});

test('save and load: identical predictions, the signature at meta.signature, the same bytes for the same seed', async () => {
  const p = await fitChurn();
  const bytes = p.toBytes();
  const q = Pipeline.fromBytes(bytes);
  assert.deepEqual(q.predict(holdout), p.predict(holdout));
  const artifact = decodeArtifact(bytes);
  assert.equal(artifact.kind, PIPELINE_KIND);
  assert.deepEqual(JSON.parse(JSON.stringify(artifact.meta.signature)), JSON.parse(JSON.stringify(p.signature)));
  const again = (await fitChurn()).toBytes();
  assert.ok(again.length === bytes.length && again.every((v, i) => v === bytes[i]), 'same seed, same bytes');
});

test('a decision threshold changes the labels, not the probabilities, and survives the round trip', async () => {
  const p = (await fitChurn()).withThreshold(0.2);
  const out = p.predict(holdout);
  out.predictions.forEach((label, i) => assert.equal(label, out.probabilities![2 * i + 1] >= 0.2 ? 'Yes' : 'No'));
  assert.equal(Pipeline.fromBytes(p.toBytes()).threshold, 0.2);
  assert.throws(() => p.withThreshold(1.5), /threshold \(1.5\) needs a binary task and a value in \[0, 1\]/);
});

test('multiclass and regression pipelines; rows without a target are left out of fitting', async () => {
  const rng = new Rng(2);
  const n = 300;
  const a = Float64Array.from({ length: n }, () => rng.normal());
  const colour = Array.from({ length: n }, () => ['red', 'green', 'blue'][rng.int(3)]);
  const label: (string | null)[] = Array.from({ length: n }, (_, i) => (a[i] > 0.5 ? 'high' : a[i] < -0.5 ? 'low' : colour[i] === 'red' ? 'mid' : 'low'));
  label[5] = null;
  const frame = Frame.fromColumns([
    ['a', numberColumn(a)],
    ['colour', categoryFromStrings(colour)],
    ['label', categoryFromStrings(label)],
    ['value', numberColumn(Float64Array.from(a, (v, i) => (i === 7 ? NaN : 3 * v + (colour[i] === 'red' ? 2 : 0))))],
  ]);
  const multi = await Pipeline.fit(frame, { target: 'label', task: 'multiclass', drop: ['value'], learner: new LogisticRegression({ C: 10 }) });
  assert.deepEqual(multi.classes, ['high', 'low', 'mid']);
  const out = multi.predict(frame);
  const right = out.predictions.filter((l, i) => l === label[i]).length;
  assert.ok(right / n > 0.8, `accuracy ${right / n}`);
  const reg = await Pipeline.fit(frame, { target: 'value', task: 'regression', drop: ['label'], learner: new Ridge({ alpha: 0.001 }) });
  const values = reg.predict(frame).values;
  assert.ok(Math.abs(values[0] - (3 * a[0] + (colour[0] === 'red' ? 2 : 0))) < 1e-3);
  assert.equal(typeof reg.predict(frame).predictions[0], 'number');
});

test('a tree chain with a linear learner on numbers and dates', async () => {
  const rng = new Rng(3);
  const n = 200;
  const when = Float64Array.from({ length: n }, () => Date.UTC(2023, rng.int(12), 1 + rng.int(28)));
  const frame = Frame.fromColumns([
    ['when', datetimeColumn(when)],
    ['x', numberColumn(Float64Array.from({ length: n }, () => rng.normal()))],
    ['y', categoryFromStrings(Array.from(when, (t) => (new Date(t).getUTCMonth() >= 6 ? 'late' : 'early')))],
  ]);
  const p = await Pipeline.fit(frame, { target: 'y', task: 'binary', learner: new LogisticRegression({ C: 100 }), chain: { kind: 'tree' } });
  assert.ok(p.chain.features.some((f) => f.name === 'when.month'));
  const right = p.predict(frame).predictions.filter((l, i) => l === frame.row(i).y).length;
  assert.ok(right / n > 0.9);
});

test('loading refuses a pipeline whose parts do not fit together or are unknown', async () => {
  const p = await fitChurn();
  const artifact = p.toArtifact();
  const tamper = (meta: Record<string, unknown>): Artifact => decodeArtifact(encodeArtifact({ ...artifact, meta: { ...artifact.meta, ...meta } as Artifact['meta'] }));
  assert.throws(() => Pipeline.fromArtifact(tamper({ classes: ['No', 'Yes', 'Maybe'] })), /the model has 2 classes, the label decoding 3/);
  assert.throws(() => Pipeline.fromArtifact(tamper({ format: 99 })), /pipeline format 99 is not supported/);
  const chain = JSON.parse(JSON.stringify(artifact.meta.chain));
  chain.steps.push({ type: 'run-code', source: 'x' });
  assert.throws(() => Pipeline.fromArtifact(tamper({ chain })), ModelFormatError);
  const model = { ...(artifact.meta.model as object), kind: 'linear.unknown' };
  assert.throws(() => Pipeline.fromArtifact(tamper({ model })), /unknown model kind "linear.unknown"/);
  assert.throws(() => Pipeline.fromArtifact({ ...artifact, kind: 'linear.logistic' }), /expected a pipeline/);
});

test('with a cleaning recipe from the data layer: raw rows in, the recipe applied, JSON clients send typed values', async () => {
  const { readDataset, cleanDataset } = await import('../../src/data/index.js');
  const dataset = await readDataset(path.resolve(import.meta.dirname, '../../examples/churn/telco-churn.csv'), { limit: 1500 });
  const { recipe } = cleanDataset(dataset, { target: 'Churn' });
  // train on the rows as the source stored them: TotalCharges is text there (11 blanks), the recipe reads it
  const p = await Pipeline.fit(dataset.raw, { target: 'Churn', task: 'binary', positive: 'Yes', recipe, learner: new LogisticRegression(), rng: new Rng(4) });
  assert.equal(p.signature.columns.find((c) => c.name === 'TotalCharges')?.type, 'number');
  assert.equal(p.signature.columns.find((c) => c.name === 'customerID')?.role, 'ignored');
  assert.ok(!p.chain.inputs.includes('customerID'), 'the recipe marks identifiers; they are not features');
  const rawOut = p.predict(dataset.raw.slice(0, 50));
  // the same rows as typed JSON records give the same answer
  const records = dataset.frame.slice(0, 50).toRecords();
  assert.deepEqual(p.predictRecords(records).probabilities, rawOut.probabilities);
  assert.throws(() => p.predictRecords([{ ...records[0], TotalCharges: '29.85' }]), /expected a number, got "29.85"/);
  const q = Pipeline.fromBytes(p.toBytes());
  assert.deepEqual(q.predict(dataset.raw.slice(0, 50)).probabilities, rawOut.probabilities);
  assert.equal(q.recipe?.format, 'kiln-recipe');
});

test('explain: exact contributions of a linear model, per chain output column, summing to the raw score', async () => {
  const p = await fitChurn();
  const rows = holdout.slice(0, 5);
  const e = p.explain(rows);
  assert.ok(e);
  assert.equal(e.nOutputs, 1);
  assert.equal(e.features[e.features.length - 1], '(base)');
  assert.ok(e.features.includes('Contract=Two year'));
  const width = e.features.length;
  const proba = p.predict(rows).probabilities!;
  for (let i = 0; i < 5; i++) {
    const z = e.values.subarray(i * width, (i + 1) * width).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(1 / (1 + Math.exp(-z)) - proba[2 * i + 1]) < 1e-12);
  }
});
