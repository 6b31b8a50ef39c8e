// The monitor inside the server: the schedule never runs two checks at once and stops cleanly; the server's
// task checks every served model, alerts through the webhook, counts checks in /metrics, runs by itself on a
// short interval, and with `retrain.policy: auto` retrains once (min_interval), after which the server answers
// with the new champion without a restart.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Pipeline } from '../../src/features/index.js';
import { LogisticRegression } from '../../src/models/linear/index.js';
import { parseMonitorSettings } from '../../src/monitor/index.js';
import { type AlertPayload, MonitorStore, type MonitorRun, retrain, saveMonitoringReference, type Schedule, serverMonitor, startSchedule } from '../../src/monitor/service/index.js';
import { openRegistry, type Store } from '../../src/registry/index.js';
import { startServer, type RunningServer } from '../../src/serve/index.js';
import { loadProject, type LoadedProject } from '../../src/train/index.js';
import { backends, type TestDatabase } from '../core/db/backends.js';
import { postJson, recordsOf, request, telco } from '../serve/fixtures.js';
import { replay, webhookReceiver } from './helpers.js';

/** wait until `ready()` holds (checked every 20 ms); fails after a generous bound rather than hanging */
async function eventually(ready: () => boolean | Promise<boolean>, what: string, limitMs = 60_000): Promise<void> {
  const start = Date.now();
  while (!(await ready())) {
    if (Date.now() - start > limitMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('the schedule runs one check at a time, runNow waits its turn, stop waits for the run in progress', async () => {
  let active = 0;
  let most = 0;
  let release: (() => void) | undefined;
  const schedule = startSchedule({
    everyMs: 3_600_000,
    run: async () => {
      active++;
      most = Math.max(most, active);
      await new Promise<void>((resolve) => (release = resolve));
      active--;
    },
  });
  const a = schedule.runNow();
  const b = schedule.runNow();
  await eventually(() => release !== undefined, 'the first run');
  release!();
  await a;
  await eventually(() => schedule.runs === 1 && active === 1, 'the second run');
  const stopping = schedule.stop();
  release!();
  await Promise.all([b, stopping]);
  assert.equal(most, 1);
  assert.equal(schedule.runs, 2);
});

describe('the monitor inside the server', () => {
  let database: TestDatabase;
  let store: Store;
  let server: RunningServer;
  let schedule: Schedule;
  let receiver: Awaited<ReturnType<typeof webhookReceiver>>;
  let project: LoadedProject;
  const runs: MonitorRun[] = [];
  /** the server's log lines, shown when an assertion fails */
  const logs: string[] = [];

  before(async () => {
    database = await backends[0].open();
    receiver = await webhookReceiver();
    writeFileSync(
      path.join(database.dir, 'kiln.yaml'),
      `name: churn\ndata: unused.csv\ntarget: Churn\npositive: "Yes"\nmetric: roc_auc\ndrop: [customerID]\nfamilies: { include: [linear] }\nmonitor:\n  since: null\n  drift: { min_rows: 600 }\n  alerts: { webhook: "${receiver.url}" }\n  retrain: { policy: auto, on: [drift], min_interval: 1h, evaluation: 100, margin: 0, trials: 2 }\n`,
    );
    project = await loadProject(path.join(database.dir, 'kiln.yaml'));
    const train = await telco('train');
    const pipeline = await Pipeline.fit(train.slice(0, 1500), { target: 'Churn', task: 'binary', positive: 'Yes', drop: ['customerID'], learner: new LogisticRegression({ C: 1 }) });
    store = await openRegistry({ db: database.db, projectDir: database.dir, env: {} });
    const v1 = await store.register({ name: 'churn', artifact: pipeline.toArtifact(), lineage: { metrics: { roc_auc: 0.84 } }, aliases: ['champion'] });
    await saveMonitoringReference(await MonitorStore.open({ db: database.db }), 'churn', v1.version, train.slice(0, 1500), pipeline);
    const settings = parseMonitorSettings(project.project.monitor);
    // the retrain an automatic policy starts: here in-process (kiln serve spawns `kiln retrain` instead)
    const retrainNow = async (name: string, trigger: 'drift' | 'performance'): Promise<void> => {
      const monitorStore = await MonitorStore.open({ db: database.db });
      await retrain({ name, project, db: database.db, store, monitorStore, settings, trigger, runStore: false });
    };
    server = await startServer({
      db: database.db,
      store,
      port: 0,
      env: {},
      watchIntervalMs: 50,
      predictionLog: { flushMs: 20 },
      log: (level, message) => logs.push(`${level}: ${message}`),
      tasks: [(ctx) => (schedule = serverMonitor({ everyMs: 3_600_000, settings, project, retrain: retrainNow, onRun: (r) => runs.push(r) })(ctx))],
    });
  });
  after(async () => {
    await server?.close();
    await receiver?.close();
    await store?.close();
    await database?.cleanup();
  });

  test('a scheduled check of undrifted traffic passes and sends nothing', async () => {
    // 1,000 rows: smaller windows cross the 0.1 distance threshold by noise alone (telco's tenure does at 400)
    await replay(server.url, 'churn@champion', recordsOf(await telco('test'), 1000));
    await schedule.runNow();
    assert.equal(runs.length, 1, logs.join('\n'));
    assert.equal(runs[0].version.version, 1);
    assert.deepEqual(runs[0].check.failed, [], runs[0].check.checks.drift.reasons.join('; '));
    assert.equal(receiver.bodies.length, 0);
    const metrics = (await request(server.url, 'GET', '/metrics')).text;
    assert.match(metrics, /kiln_monitor_checks_total\{model="churn",check="drift",status="pass"\} 1/);
  });

  test('drift alerts through the webhook and the automatic policy retrains once; the server answers with the new champion', async () => {
    // rows the model never saw (it was fitted on the first 1,500 training rows), tenure 30 months later
    const shifted = recordsOf(await telco('train'), 800, 2000).map((r) => ({ ...r, tenure: (r.tenure as number) + 30 }));
    const sent = await replay(server.url, 'churn@champion', shifted);
    const feedback = sent.map((s) => ({ request_id: s.requestId, row_index: s.rowIndex, actual: s.record.Churn }));
    assert.equal((await postJson(server.url, '/v1/models/churn/feedback', { feedback })).status, 200);
    await schedule.runNow();
    assert.deepEqual(runs[1].check.failed, ['drift']);
    assert.deepEqual((receiver.bodies[0] as AlertPayload).failed, ['drift']);
    // the retrain runs beside the schedule; its decision is recorded and the champion moves
    const monitorStore = await MonitorStore.open({ db: database.db });
    await eventually(async () => (await monitorStore.listDecisions('churn')).length === 1, `the retrain decision (server log: ${logs.join(' | ')})`);
    const [decision] = await monitorStore.listDecisions('churn');
    assert.equal(decision.trigger, 'drift');
    assert.equal(decision.promoted, true, decision.reason);
    await eventually(async () => (await postJson(server.url, '/v1/models/churn@champion/predict', shifted[0])).json.model.version === 2, 'the server to serve version 2');
    // the next failing check does not retrain again within min_interval
    await schedule.runNow();
    assert.equal(runs.length, 3);
    assert.equal(runs[2].version.version, 2);
    assert.equal((await monitorStore.listDecisions('churn')).length, 1);
  });

  test('on a short interval the checks run by themselves', async () => {
    const short = await startServer({ db: database.db, store, port: 0, env: {}, log: () => undefined, tasks: [serverMonitor({ everyMs: 100, settings: parseMonitorSettings({ since: null, drift: { min_rows: 600 } }), project: null })] });
    try {
      await eventually(async () => /kiln_monitor_checks_total\{model="churn",check="drift",status="\w+"\} [2-9]/.test((await request(short.url, 'GET', '/metrics')).text), 'two scheduled checks');
    } finally {
      await short.close();
    }
  });
});
