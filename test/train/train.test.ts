// kiln train as a library call on slices of the shared data: trial-limited runs are exactly reproducible (same
// leaderboard, same artifact bytes), a small time budget holds (budget × 1.05, the promise), every task trains and
// beats its baseline, a cost matrix sets the threshold, time and group splits work, the shipped pipeline survives
// a round trip through its bytes, and unsupported tasks fail with a clear message.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { categoryColumn, datetimeColumn, Frame, numberColumn } from '../../src/core/frame.js';
import { Rng } from '../../src/core/rng.js';
import { Pipeline } from '../../src/features/index.js';
import { evaluate, train, type TrainResult } from '../../src/train/index.js';
import type { LeaderboardRow } from '../../src/train/leaderboard.js';
import { datasetsMissing } from '../data/helpers/datasets.js';
import { projectOf, slice } from './helpers.js';

/** the leaderboard without wall-clock fields, which no two runs share */
function timeless(rows: readonly LeaderboardRow[]): unknown[] {
  return rows.map(({ fitSeconds: _f, predictMsPerRow: _p, ...rest }) => rest);
}

function finalRow(r: TrainResult): LeaderboardRow {
  return r.leaderboard.find((x) => x.kind === 'final')!;
}

function baseline(r: TrainResult): LeaderboardRow {
  return r.leaderboard.find((x) => x.kind === 'baseline')!;
}

const TELCO = { target: 'Churn', task: 'binary', positive: 'Yes', metric: 'roc_auc', drop: { customerID: 'identifier' } };

describe('kiln train', { skip: datasetsMissing() }, () => {
  test('with --trials a run is exactly reproducible: the same leaderboard and the same artifact bytes', async () => {
    const data = await slice('telco_churn/train.csv', 1500);
    const run = (): Promise<TrainResult> => train({ project: projectOf({ ...TELCO, seed: 3 }), dataset: data, overrides: { trials: 9 }, store: false });
    const a = await run();
    const b = await run();
    assert.equal(a.trials, 9);
    assert.equal(a.settings.seconds, null);
    assert.deepEqual(timeless(a.leaderboard), timeless(b.leaderboard));
    assert.deepEqual(a.artifact, b.artifact);
    assert.notEqual(a.runId, b.runId);
    // and it learned something: well above the class-share baseline, on the folds and the holdout
    assert.ok(finalRow(a).cv! > 0.75 && finalRow(a).holdout! > 0.7, `final ${finalRow(a).cv} / ${finalRow(a).holdout}`);
    assert.equal(baseline(a).cv, 0.5);
    // a different seed changes the folds, hence the scores
    const c = await train({ project: projectOf({ ...TELCO, seed: 4 }), dataset: data, overrides: { trials: 9 }, store: false });
    assert.notDeepEqual(timeless(c.leaderboard), timeless(a.leaderboard));
  });

  test('a small time budget holds: the whole run ends within budget × 1.05', async () => {
    const data = await slice('adult/train.csv', 8000);
    const budget = 5;
    const started = performance.now();
    const r = await train({ project: projectOf({ target: 'income', task: 'binary', positive: '>50K', metric: 'roc_auc' }), dataset: data, overrides: { seconds: budget }, store: false });
    const wall = (performance.now() - started) / 1000;
    assert.ok(wall <= budget * 1.05, `wall ${wall.toFixed(2)}s for a ${budget}s budget`);
    assert.ok(r.durationSeconds <= budget * 1.05);
    assert.equal(r.settings.seconds, budget);
    assert.ok(finalRow(r).cv! > 0.85, `cv ${finalRow(r).cv}`);
  });

  test('regression: rmse well under the mean predictor; the pipeline predicts numbers for raw rows', async () => {
    const data = await slice('california_housing/train.csv', 2500);
    const r = await train({ project: projectOf({ target: 'median_house_value', metric: 'rmse' }), dataset: data, overrides: { trials: 6 }, store: false });
    assert.equal(r.settings.task, 'regression');
    assert.equal(r.settings.split.scheme, 'kfold');
    assert.ok(finalRow(r).cv! < 0.7 * baseline(r).cv!, `rmse ${finalRow(r).cv} vs baseline ${baseline(r).cv}`);
    const out = r.pipeline.predict(data.frame.slice(0, 5));
    assert.equal(out.predictions.length, 5);
    assert.ok(out.predictions.every((v) => typeof v === 'number' && Number.isFinite(v)));
    assert.ok(['mae', 'r2'].every((m) => m in r.metrics.cv));
  });

  test('multiclass: log-loss under the class-share baseline; evaluate() scores new rows with the same metrics', async () => {
    const data = await slice('covertype_kaggle/train.csv', 2000);
    // boosting's first configuration and the linear baseline (slower learners make a slow test)
    const r = await train({ project: projectOf({ target: 'Cover_Type', metric: 'log_loss', drop: ['Id'], families: { include: ['gbdt', 'linear'] } }), dataset: data, overrides: { trials: 2 }, store: false });
    assert.equal(r.settings.task, 'multiclass');
    assert.equal(r.pipeline.classes?.length, 7);
    assert.ok(finalRow(r).cv! < 0.6 * baseline(r).cv!, `log-loss ${finalRow(r).cv} vs baseline ${baseline(r).cv}`);
    const fresh = (await slice('covertype_kaggle/train.csv', 2600)).frame.slice(2000);
    const e = evaluate(r.pipeline, fresh);
    assert.equal(e.rows, 600);
    assert.ok(e.metrics.accuracy! > 0.6 && e.metrics.log_loss! < 1.2, JSON.stringify(e.metrics));
    assert.equal(e.confusion!.counts.flat().reduce((a, b) => a + b, 0), 600);
  });

  test('a cost matrix sets the decision threshold: missing a fraud costs 20 false alarms', async () => {
    const data = await slice('creditcard_fraud/train.csv', 2500);
    const r = await train({
      project: projectOf({ target: 'Class', task: 'binary', positive: 1, metric: 'pr_auc', costs: { false_positive: 1, false_negative: 20 } }),
      dataset: data,
      overrides: { trials: 4 },
      store: false,
    });
    const t = r.final.threshold!;
    assert.ok(t.threshold !== null && t.threshold < 0.3, `threshold ${t.threshold}`);
    assert.match(t.reason, /lowest total cost .* false negative 20/);
    assert.equal(r.pipeline.threshold, t.threshold);
  });

  test('the shipped pipeline round-trips through its bytes with identical predictions', async () => {
    const data = await slice('telco_churn/train.csv', 1500);
    const r = await train({ project: projectOf({ ...TELCO, families: { include: ['gbdt', 'linear'] } }), dataset: data, overrides: { trials: 6 }, store: false });
    const loaded = Pipeline.fromBytes(r.artifact);
    const rows = data.frame.slice(0, 200);
    const a = r.pipeline.predict(rows);
    const b = loaded.predict(rows);
    assert.deepEqual(b.probabilities, a.probabilities);
    assert.deepEqual(b.predictions, a.predictions);
    assert.deepEqual(loaded.signature, r.pipeline.signature);
    // JSON records, as a prediction API receives them
    const records = JSON.parse(JSON.stringify(rows.slice(0, 3).toRecords()));
    assert.equal(loaded.predictRecords(records).predictions.length, 3);
  });

  test('time and group splits: the folds follow the named column', async () => {
    const rng = new Rng(8);
    const n = 1200;
    const day = 86_400_000;
    const x = Float64Array.from({ length: n }, () => rng.normal());
    const at = Float64Array.from({ length: n }, (_, i) => Date.UTC(2024, 0, 1) + i * day);
    // the target drifts with time: a model that looked at the future would be caught by the ordering
    const y = Float64Array.from({ length: n }, (_, i) => 3 * x[i] + i / 200 + rng.normal() * 0.5);
    const shop = categoryColumn(Int32Array.from({ length: n }, (_, i) => i % 12), Array.from({ length: 12 }, (_, g) => `shop${g}`));
    const frame = Frame.fromColumns({ at: datetimeColumn(at), x: numberColumn(x), shop, y: numberColumn(y) });
    const ds = { frame, raw: frame, schema: { columns: [] }, source: {} } as unknown as Awaited<ReturnType<typeof slice>>;
    const timed = await train({ project: projectOf({ target: 'y', task: 'regression', split: { scheme: 'time', column: 'at', folds: 4 } }), dataset: ds, overrides: { trials: 3 }, store: false });
    for (const f of timed.data.folds) {
      const last = Math.max(...Array.from(f.train, (i) => at[timed.data.rows[i]]));
      assert.ok(Array.from(f.valid).every((i) => at[timed.data.rows[i]] > last));
    }
    // the holdout is the latest stretch
    const latestSearch = Math.max(...Array.from(timed.data.rows, (i) => at[i]));
    assert.ok(Array.from(timed.data.holdout!.rows).every((i) => at[i] > latestSearch));
    const grouped = await train({ project: projectOf({ target: 'y', task: 'regression', split: { scheme: 'group', column: 'shop', folds: 3 } }), dataset: ds, overrides: { trials: 2 }, store: false });
    for (const f of grouped.data.folds) {
      const trainShops = new Set(Array.from(f.train, (i) => frame.column('shop').kind === 'category' && (frame.column('shop') as { codes: Int32Array }).codes[grouped.data.rows[i]]));
      for (const i of f.valid) assert.ok(!trainShops.has((frame.column('shop') as { codes: Int32Array }).codes[grouped.data.rows[i]]));
    }
    assert.ok(!grouped.pipeline.chain.inputs.includes('shop'), 'the group column is not a feature');
  });

  test('text and recommendation tasks, and metrics of another task, fail with a clear message', async () => {
    const data = await slice('sms_spam/train.csv', 300);
    await assert.rejects(train({ project: projectOf({ target: 'label', task: 'text' }), dataset: data, store: false }), /kiln train does not do text classification yet/);
    await assert.rejects(train({ project: projectOf({ target: 'label', metric: 'rmse' }), dataset: data, overrides: { trials: 1 }, store: false }), /metric: rmse does not apply to a binary task/);
    await assert.rejects(train({ project: projectOf({ target: 'nope' }), dataset: data, store: false }), /target: the column "nope" is not in the data/);
  });
});
