// The monitor service on SQLite and PostgreSQL with a real server on loopback: predictions replayed over HTTP are
// the current data; the reference is found by the training data's fingerprint and then stored; labels come from
// a file joined by request id; a shifted column fails the drift check, is named, and the webhook (a loopback
// receiver) gets the JSON alert; checks are recorded; the HTML report draws every chart in real Chromium.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readDataset, writeFrame } from '../../src/data/index.js';
import { Pipeline } from '../../src/features/index.js';
import { LogisticRegression } from '../../src/models/linear/index.js';
import { parseMonitorSettings } from '../../src/monitor/index.js';
import { type AlertPayload, MonitorStore, renderMonitorReport, runMonitor } from '../../src/monitor/service/index.js';
import { openRegistry, type Store } from '../../src/registry/index.js';
import { startServer, type RunningServer } from '../../src/serve/index.js';
import { fingerprint, loadProject, type LoadedProject } from '../../src/train/index.js';
import { backends, type TestDatabase } from '../core/db/backends.js';
import { browserUnavailable, screenshot, withBrowser } from '../helpers/browser.js';
import { recordsOf, telco } from '../serve/fixtures.js';
import { replay, webhookReceiver } from './helpers.js';

for (const backend of backends) {
  describe(`monitoring a served model on ${backend.name}`, { skip: backend.skip }, () => {
    let database: TestDatabase;
    let store: Store;
    let monitorStore: MonitorStore;
    let server: RunningServer;
    let receiver: Awaited<ReturnType<typeof webhookReceiver>>;
    let project: LoadedProject;
    let sent: Awaited<ReturnType<typeof replay>>;
    let tenureStd: number;

    before(async () => {
      database = await backend.open();
      receiver = await webhookReceiver();
      const train = await telco('train');
      // the project: its data file is what version 1 was trained on
      await writeFrame(train.slice(0, 2000), path.join(database.dir, 'train.csv'));
      writeFileSync(path.join(database.dir, 'kiln.yaml'), `name: churn\ndata: train.csv\ntarget: Churn\npositive: "Yes"\nmonitor:\n  drift: { min_rows: 300 }\n  performance: { min_labelled: 100 }\n  alerts: { webhook: "${receiver.url}" }\n`);
      project = await loadProject(path.join(database.dir, 'kiln.yaml'));
      const data = await readDataset(project.source);
      const pipeline = await Pipeline.fit(data.frame, { target: 'Churn', task: 'binary', positive: 'Yes', drop: ['customerID'], learner: new LogisticRegression({ C: 1 }), info: { metric: 'roc_auc' } });
      store = await openRegistry({ db: database.db, projectDir: database.dir, env: {} });
      await store.register({ name: 'churn', artifact: pipeline.toArtifact(), lineage: { dataFingerprint: { sha256: fingerprint(data.frame).sha256 }, metrics: { roc_auc: 0.84, holdout_roc_auc: 0.85, accuracy: 0.8 } }, aliases: ['champion'] });
      monitorStore = await MonitorStore.open({ db: database.db });
      server = await startServer({ db: database.db, store, port: 0, env: {}, predictionLog: { flushMs: 20 }, log: () => undefined });
      const test = await telco('test');
      sent = await replay(server.url, 'churn@champion', recordsOf(test, 600));
      await server.context.predictionLog!.flush();
      const tenure = data.frame.column('tenure') as { values: Float64Array };
      const mean = tenure.values.reduce((a, b) => a + b, 0) / tenure.values.length;
      tenureStd = Math.sqrt(tenure.values.reduce((a, b) => a + (b - mean) ** 2, 0) / tenure.values.length);
    });
    after(async () => {
      await server?.close();
      await receiver?.close();
      await monitorStore?.close();
      await store?.close();
      await database?.cleanup();
    });

    test('undrifted traffic with labels from a file: both checks pass, the reference comes from the training data and is stored', async () => {
      const labels = path.join(database.dir, 'labels.csv');
      writeFileSync(labels, `request_id,row_index,Churn\n${sent.slice(0, 400).map((s) => `${s.requestId},${s.rowIndex},${s.record.Churn}`).join('\n')}\n`);
      const settings = parseMonitorSettings(project.project.monitor);
      const run = await runMonitor({ db: database.db, store, monitorStore, ref: 'churn@champion', settings, project, labels: { file: labels } });
      assert.equal(run.labelsImported, 400);
      assert.equal(run.version.version, 1);
      assert.match(run.reference.how, /^training data of churn\/1, matched by fingerprint and stored$/);
      assert.equal(run.check.rows, 600);
      assert.equal(run.check.performance.labelled, 400);
      assert.deepEqual(run.check.failed, [], JSON.stringify(run.check.checks));
      assert.equal(run.check.performance.basis, 'realised');
      assert.ok(run.check.performance.metrics.roc_auc! > 0.75);
      assert.equal(receiver.bodies.length, 0);
      // the second run finds the stored reference
      const again = await runMonitor({ db: database.db, store, monitorStore, ref: 'churn@champion', settings, project: null, record: false });
      assert.match(again.reference.how, /^stored with churn\/1: training data train\.csv/);
      assert.deepEqual(again.check.drift.columns.map((c) => c.score), run.check.drift.columns.map((c) => c.score));
    });

    test('a column shifted by 0.5 sd fails the drift check, is named, and the webhook gets the alert', async () => {
      const shifted = recordsOf(await telco('test'), 600, 600).map((r) => ({ ...r, tenure: (r.tenure as number) + 0.5 * tenureStd }));
      await replay(server.url, 'churn', shifted);
      await server.context.predictionLog!.flush();
      const settings = parseMonitorSettings(project.project.monitor);
      const run = await runMonitor({ db: database.db, store, monitorStore, ref: 'churn@champion', settings, project, current: { log: { last: 600 } } });
      assert.deepEqual(run.check.failed, ['drift']);
      assert.ok(run.check.alerting.includes('tenure'), run.check.alerting.join());
      assert.match(run.check.checks.drift.reasons.join(' '), /tenure \(wasserstein 0\.\d+ ≥ 0\.100\)/);
      assert.equal(run.delivery?.ok, true);
      assert.equal(receiver.bodies.length, 1);
      const alert = receiver.bodies[0] as AlertPayload;
      assert.equal(alert.kind, 'kiln.monitor.alert');
      assert.equal(alert.model, 'churn');
      assert.equal(alert.version, 1);
      assert.deepEqual(alert.failed, ['drift']);
      assert.equal(alert.check_id, run.checkId);
      const columns = (alert.drift as { columns: { column: string; test: string; score: number }[] }).columns;
      assert.ok(columns.some((c) => c.column === 'tenure' && c.test === 'wasserstein' && c.score >= 0.1));
      const checks = await monitorStore.listChecks('churn');
      assert.deepEqual(checks.map((c) => [c.status, c.drift]), [['ok', 'pass'], ['alert', 'fail']]);
    });

    test('a version without a stored reference whose training data changed says how to pick one; a file works', async () => {
      const v2 = await store.register({ name: 'churn', artifact: (await store.load('churn/1')).artifact, lineage: { dataFingerprint: { sha256: 'f'.repeat(64) } } });
      const settings = parseMonitorSettings(project.project.monitor);
      await assert.rejects(runMonitor({ db: database.db, store, monitorStore, ref: `churn/${v2.version}`, settings, project, current: { log: {} } }), (e: Error & { hint?: string }) => {
        assert.match(e.message, /^the project's data \(train\.csv\) is not what churn\/2 was trained on: its fingerprint changed$/);
        assert.match(e.hint!, /--reference <file>/);
        return true;
      });
      const run = await runMonitor({ db: database.db, store, monitorStore, ref: 'churn/2', settings, project, reference: { file: project.source }, current: { log: {} }, record: false });
      assert.equal(run.reference.how, `picked: ${project.source}`);
      assert.equal(run.check.rows, 1200);
    });

    if (backend.name === 'sqlite')
      test('the HTML report draws every chart in Chromium', { skip: browserUnavailable() ?? undefined }, async () => {
        const settings = parseMonitorSettings({ ...(project.project.monitor as object), window: 300 });
        const run = await runMonitor({ db: database.db, store, monitorStore, ref: 'churn@champion', settings, project, current: { log: {} }, record: false, alert: false });
        const html = renderMonitorReport(run, { history: await monitorStore.listChecks('churn') });
        const file = path.join(database.dir, 'monitor.html');
        writeFileSync(file, html);
        await withBrowser(async (page) => {
          const errors: string[] = [];
          page.on('pageerror', (e) => errors.push(String(e)));
          await page.goto(`file://${file}`);
          await page.waitForFunction(() => (window as unknown as { kilnReport?: { ready: boolean } }).kilnReport?.ready === true);
          const report = await page.evaluate(() => (window as unknown as { kilnReport: { charts: number } }).kilnReport);
          // one distribution per tested column and the prediction, scores, share, performance, history
          const expected = run.check.drift.columns.filter((c) => !c.skipped).length + 1 + 4;
          assert.equal(report.charts, expected);
          assert.deepEqual(errors, []);
          const text = await page.locator('body').innerText();
          assert.match(text, /Drift per column/);
          assert.match(text, /tenure/);
          await screenshot(page, 'monitor/report.png');
        });
      });
  });
}
