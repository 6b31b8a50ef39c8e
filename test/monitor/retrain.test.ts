// Retrain and promote: the verdict rule, the time-ordered cut into training and evaluation rows, and full runs on
// telco churn — a challenger trained with the project's settings on a labelled file beats a weak champion and is
// promoted (decision recorded with its numbers, reference stored, run linked); a second one that is not better by
// the margin is registered as `challenger` only; rollback undoes the promotion; and a challenger trained on the
// logged requests with their feedback.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { writeFrame } from '../../src/data/index.js';
import { Pipeline } from '../../src/features/index.js';
import { LogisticRegression } from '../../src/models/linear/index.js';
import { parseMonitorSettings } from '../../src/monitor/index.js';
import { cutRows, decide, MonitorStore, retrain } from '../../src/monitor/service/index.js';
import { openRegistry, type Store } from '../../src/registry/index.js';
import { startServer, type RunningServer } from '../../src/serve/index.js';
import { loadProject, type LoadedProject, RunStore } from '../../src/train/index.js';
import { backends, type TestDatabase } from '../core/db/backends.js';
import { postJson, recordsOf, telco } from '../serve/fixtures.js';
import { replay } from './helpers.js';

test('the verdict: better by the margin promotes; error metrics compare relatively; no champion promotes; NaN keeps the champion', () => {
  assert.deepEqual(decide('roc_auc', 0.8, 0.81, 0.005), { promote: true, reason: "the challenger's roc_auc 0.8100 beats the champion's 0.8000 by 0.0100 (margin 0.005)" });
  assert.equal(decide('roc_auc', 0.8, 0.804, 0.005).promote, false);
  assert.match(decide('roc_auc', 0.8, 0.804, 0.005).reason, /does not beat the champion's 0\.8000 by the margin 0\.005 \(difference 0\.0040\): the champion stays$/);
  assert.equal(decide('roc_auc', 0.8, 0.8, 0).promote, false, 'a tie never promotes');
  assert.equal(decide('rmse', 10, 9.8, 0.01).promote, true); // 2 % lower
  assert.equal(decide('rmse', 10, 9.95, 0.01).promote, false); // 0.5 % lower
  assert.match(decide('rmse', 10, 9.95, 0.01).reason, /by the margin 1\.0 % \(improvement 0\.5 %\)/);
  assert.equal(decide('log_loss', 0.5, 0.6, 0).promote, false);
  assert.equal(decide('roc_auc', null, 0.7, 0.005).promote, true);
  assert.equal(decide('roc_auc', NaN, 0.7, 0.005).promote, false);
});

test('rows are ordered by time, the window keeps the newest, and the newest of those are the evaluation rows', () => {
  const settings = parseMonitorSettings({}).retrain;
  const times = Float64Array.from([5, 1, 4, 2, 3, 9, 8, 7, 6, 0], (d) => d * 86_400_000);
  assert.deepEqual(cutRows(10, times, { ...settings, evaluation: 0.2 }), { training: [9, 1, 3, 4, 2, 0, 8, 7], evaluation: [6, 5] });
  assert.deepEqual(cutRows(10, times, { ...settings, window: { rows: 5 }, evaluation: 2 }), { training: [0, 8, 7], evaluation: [6, 5] });
  // the latest 3 days before the newest row: days 6..9
  assert.deepEqual(cutRows(10, times, { ...settings, window: { days: 3 }, evaluation: 1 }), { training: [8, 7, 6], evaluation: [5] });
  // no times: the given order is the time order
  assert.deepEqual(cutRows(5, null, { ...settings, evaluation: 0.4 }), { training: [0, 1, 2], evaluation: [3, 4] });
});

describe('retraining telco churn', () => {
  let database: TestDatabase;
  let store: Store;
  let monitorStore: MonitorStore;
  let project: LoadedProject;
  let newer: string;

  before(async () => {
    database = await backends[0].open();
    const train = await telco('train');
    writeFileSync(path.join(database.dir, 'kiln.yaml'), 'name: churn\ndata: train.csv\ntarget: Churn\npositive: "Yes"\nmetric: roc_auc\ndrop: [customerID]\nfamilies: { include: [linear] }\nseed: 3\nmonitor:\n  retrain: { evaluation: 0.3, margin: 0.005, trials: 2 }\n');
    await writeFrame(train.slice(0, 1000), path.join(database.dir, 'train.csv'));
    newer = path.join(database.dir, 'newer.csv');
    await writeFrame(train.slice(1000, 2500), newer);
    project = await loadProject(path.join(database.dir, 'kiln.yaml'));
    store = await openRegistry({ db: database.db, projectDir: database.dir, env: {} });
    monitorStore = await MonitorStore.open({ db: database.db });
    // a weak champion: 60 rows, heavily regularised
    const weak = await Pipeline.fit(train.slice(0, 60), { target: 'Churn', task: 'binary', positive: 'Yes', drop: ['customerID'], learner: new LogisticRegression({ C: 0.001 }) });
    await store.register({ name: 'churn', artifact: weak.toArtifact(), aliases: ['champion'] });
  });
  after(async () => {
    await monitorStore?.close();
    await store?.close();
    await database?.cleanup();
  });

  test('a better challenger is promoted; the decision, its reference and its run are recorded', async () => {
    const settings = parseMonitorSettings(project.project.monitor);
    const runs = await RunStore.open({ db: database.db });
    const result = await retrain({ name: 'churn', project, db: database.db, store, monitorStore, settings, data: newer, runStore: runs });
    const d = result.decision;
    assert.equal(result.data.rows, 1500);
    assert.deepEqual([result.data.trainingRows, result.data.evaluationRows], [1050, 450]);
    assert.equal(d.promoted, true, d.reason);
    assert.deepEqual([d.championVersion, d.challengerVersion, d.metric, d.trigger], [1, 2, 'roc_auc', 'manual']);
    assert.ok(d.challengerScore! > d.championScore! + 0.005);
    assert.match(d.reason, /^the challenger's roc_auc 0\.\d{4} beats the champion's 0\.\d{4} by 0\.\d{4} \(margin 0\.005\)$/);
    assert.equal((await store.resolve('churn@champion')).version, 2);
    // the scores are the two pipelines' on the same 450 newest rows
    assert.equal(result.evaluation.champion!.rows, 450);
    assert.equal(result.evaluation.challenger.rows, 450);
    assert.equal(d.championScore, result.evaluation.champion!.metrics.roc_auc);
    const [recorded] = await monitorStore.listDecisions('churn');
    assert.deepEqual({ ...recorded, details: null }, { ...d, details: null });
    assert.deepEqual((recorded.details as { training: unknown }).training, { firstRow: 0, lastRow: 1049 });
    const reference = await monitorStore.loadReference('churn', 2);
    assert.equal(reference!.sketch.nRows, 1050);
    const v2 = await store.resolve('churn/2');
    assert.equal(v2.lineage.runId, result.run.runId);
    assert.equal(v2.lineage.metrics.evaluation_roc_auc, d.challengerScore);
    assert.equal((await runs.get(result.run.runId)).registryRef, 'churn/2');
    await runs.close();
  });

  test('a challenger that is not better by the margin is registered as challenger; rollback undoes the promotion', async () => {
    const settings = parseMonitorSettings({ ...(project.project.monitor as object), retrain: { evaluation: 0.3, margin: 0.5, trials: 2 } });
    const result = await retrain({ name: 'churn', project, db: database.db, store, monitorStore, settings, data: newer, runStore: false, trigger: 'drift' });
    assert.equal(result.decision.promoted, false);
    assert.match(result.decision.reason, /does not beat the champion's 0\.\d{4} by the margin 0\.5 .*: the champion stays$/);
    assert.equal((await store.resolve('churn@champion')).version, 2);
    assert.equal((await store.resolve('churn@challenger')).version, 3);
    assert.deepEqual((await monitorStore.listDecisions('churn')).map((x) => [x.trigger, x.promoted]), [['manual', true], ['drift', false]]);
    const undo = await store.rollback('churn', 'champion');
    assert.deepEqual([undo.fromVersion, undo.toVersion], [2, 1]);
  });

  test('a challenger trained on the logged requests with their feedback', async () => {
    let server: RunningServer | undefined;
    try {
      server = await startServer({ db: database.db, store, port: 0, env: {}, predictionLog: { flushMs: 20 }, log: () => undefined });
      const records = recordsOf(await telco('test'), 700);
      const sent = await replay(server.url, 'churn@champion', records);
      // labels for 600 of the 700 rows; the rest have not arrived
      const feedback = sent.slice(0, 600).map((s) => ({ request_id: s.requestId, row_index: s.rowIndex, actual: s.record.Churn }));
      const answer = await postJson(server.url, '/v1/models/churn/feedback', { feedback });
      assert.equal(answer.json.accepted, 600, answer.text);
      const settings = parseMonitorSettings({ retrain: { evaluation: 150, margin: 0, trials: 2 } });
      const result = await retrain({ name: 'churn', project, db: database.db, store, monitorStore, settings, runStore: false, trigger: 'performance' });
      assert.equal(result.data.source, 'prediction log of churn with feedback');
      assert.deepEqual([result.data.rows, result.data.trainingRows, result.data.evaluationRows], [600, 450, 150]);
      assert.equal(result.decision.championVersion, 1);
      assert.equal(result.evaluation.champion!.rows, 150);
      const details = result.decision.details as { training: { from: string; to: string }; evaluation: { from: string } };
      assert.ok(details.training.to <= details.evaluation.from, 'evaluation rows are the newest');
    } finally {
      await server?.close();
    }
  });
});
