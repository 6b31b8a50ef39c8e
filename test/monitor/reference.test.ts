// The monitoring reference for each task: the sketch holds the model's inputs and its own outputs on the reference
// rows (P(positive), the predicted value, or the predicted label), survives the artifact bytes unchanged, and a
// check against it runs end to end — binary on telco churn, regression on California housing, multiclass on
// covertype.

import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { type Frame, numberColumn } from '../../src/core/frame.js';
import { readFrame } from '../../src/data/index.js';
import { Pipeline } from '../../src/features/index.js';
import { LogisticRegression, Ridge } from '../../src/models/linear/index.js';
import { buildMonitoringReference, parseMonitorSettings, PREDICTION_COLUMN, predictionColumnOf, referenceFromBytes, referenceToBytes, runCheck } from '../../src/monitor/index.js';
import { DATASETS_DIR } from '../reference/datasets.js';
import { linearPipeline, telco } from '../serve/fixtures.js';

function check(pipeline: Pipeline, reference: ReturnType<typeof buildMonitoringReference>, current: Frame, labels: Float64Array, metric: 'roc_auc' | 'rmse' | 'log_loss') {
  const out = pipeline.predict(current);
  return runCheck({
    task: pipeline.task,
    metric,
    threshold: pipeline.threshold,
    features: reference.features,
    reference: reference.sketch,
    referencePrediction: reference.sketch.values(PREDICTION_COLUMN),
    current,
    output: { predicted: out.values, proba: out.probabilities, nClasses: pipeline.classes?.length },
    predictionColumn: predictionColumnOf(pipeline.task, out),
    yTrue: labels,
    times: null,
    baseline: {},
    settings: parseMonitorSettings({ drift: { min_rows: 100 } }),
  });
}

test('binary: the sketch keeps P(positive); the bytes round-trip; the check runs against the restored sketch', async () => {
  const pipeline = await linearPipeline({ rows: 800 });
  const train = (await telco('train')).slice(0, 800);
  const ref = buildMonitoringReference(train, pipeline, { source: 'telco rows 0–799', createdAt: new Date('2024-05-01T00:00:00Z') });
  assert.deepEqual(ref.features, pipeline.signature.columns.filter((c) => c.role === 'feature').map((c) => c.name));
  assert.ok(!ref.features.includes('Churn') && !ref.features.includes('customerID'));
  const p = ref.sketch.values(PREDICTION_COLUMN)!;
  assert.equal(p.kind, 'numeric');
  const expected = pipeline.predict(train).probabilities!.filter((_, i) => i % 2 === 1);
  assert.equal(p.nPresent, 800);
  assert.deepEqual(Array.from(p.kind === 'numeric' ? p.sorted : []), Array.from(expected).sort((a, b) => a - b));
  const back = referenceFromBytes(referenceToBytes(ref));
  assert.deepEqual([back.source, back.createdAt, back.task, back.features], [ref.source, '2024-05-01T00:00:00.000Z', 'binary', ref.features]);
  const current = (await telco('test')).slice(0, 400);
  const labels = Float64Array.from({ length: 400 }, (_, i) => (current.row(i).Churn === 'Yes' ? 1 : 0));
  const a = check(pipeline, ref, current, labels, 'roc_auc');
  const b = check(pipeline, back, current, labels, 'roc_auc');
  assert.deepEqual(b.drift.columns.map((c) => c.score), a.drift.columns.map((c) => c.score));
  assert.equal(b.prediction!.score, a.prediction!.score);
  assert.ok(a.performance.metrics.roc_auc! > 0.75);
  assert.throws(() => buildMonitoringReference(train.drop(['tenure']), pipeline), /the reference data lacks the model's input columns tenure/);
});

test('regression: the predicted value; multiclass: the predicted label — both drift-tested like the inputs', async () => {
  const housing = await readFrame(path.join(DATASETS_DIR, 'california_housing', 'train.csv'));
  const ridge = await Pipeline.fit(housing.slice(0, 3000), { target: 'median_house_value', task: 'regression', learner: new Ridge({ alpha: 1 }) });
  const refR = buildMonitoringReference(housing.slice(0, 3000), ridge);
  assert.equal(refR.sketch.values(PREDICTION_COLUMN)!.kind, 'numeric');
  const current = housing.slice(3000, 4500);
  const y = (current.column('median_house_value') as { values: Float64Array }).values;
  const r = check(ridge, refR, current, y, 'rmse');
  assert.equal(r.prediction!.test, 'wasserstein');
  assert.ok(r.performance.metrics.rmse! > 0);
  // the same rows with incomes doubled: inputs and predicted values move
  const income = current.column('median_income') as { values: Float64Array };
  const richer = check(ridge, refR, current.withColumn('median_income', numberColumn(Float64Array.from(income.values, (v) => 2 * v))), y, 'rmse');
  assert.ok(richer.alerting.includes('median_income') && richer.alerting.includes('prediction'), richer.alerting.join());

  const cover = await readFrame(path.join(DATASETS_DIR, 'covertype_kaggle', 'train.csv'));
  const multi = await Pipeline.fit(cover.slice(0, 2000), { target: 'Cover_Type', task: 'multiclass', drop: ['Id'], learner: new LogisticRegression({ C: 1 }) });
  const refM = buildMonitoringReference(cover.slice(0, 2000), multi);
  const predicted = refM.sketch.values(PREDICTION_COLUMN)!;
  assert.equal(predicted.kind, 'categorical');
  assert.deepEqual(predicted.kind === 'categorical' ? predicted.labels : [], multi.classes);
  const later = cover.slice(2000, 3500);
  const classes = multi.classes!;
  const labels = Float64Array.from({ length: later.nRows }, (_, i) => classes.indexOf(String(later.row(i).Cover_Type)));
  const m = check(multi, refM, later, labels, 'log_loss');
  assert.ok(['chi_square', 'jensen_shannon'].includes(m.prediction!.test), m.prediction!.test);
  assert.ok(Number.isFinite(m.performance.metrics.accuracy!));
});
