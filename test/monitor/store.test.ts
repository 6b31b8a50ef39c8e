// The monitor tables on SQLite and PostgreSQL: decisions and checks round-trip with their numbers (nulls kept),
// listed oldest first; the retrain gate reads the last decision.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseMonitorSettings } from '../../src/monitor/index.js';
import { type DecisionRecord, MonitorStore, retrainAllowed } from '../../src/monitor/service/index.js';
import { backends } from '../core/db/backends.js';

for (const backend of backends)
  describe(`monitor tables on ${backend.name}`, { skip: backend.skip }, () => {
    test('decisions and checks round-trip; the retrain gate waits min_interval after the last decision', async () => {
      const database = await backend.open();
      try {
        const store = await MonitorStore.open({ db: database.db });
        const settings = parseMonitorSettings({ retrain: { min_interval: '6h' } });
        const t0 = Date.parse('2024-05-01T10:00:00.000Z');
        assert.equal((await retrainAllowed(store, 'churn', settings, t0)).allowed, true);
        const first: Omit<DecisionRecord, 'id'> = {
          modelName: 'churn',
          at: new Date(t0).toISOString(),
          trigger: 'drift',
          championVersion: null,
          challengerVersion: 1,
          metric: 'roc_auc',
          championScore: null,
          challengerScore: 0.8125,
          margin: 0.005,
          evaluationRows: 200,
          trainingRows: 800,
          promoted: true,
          reason: 'there is no champion yet',
          details: { runId: 'r1', champion: null },
        };
        const id1 = await store.recordDecision(first);
        const id2 = await store.recordDecision({ ...first, at: new Date(t0 + 3_600_000).toISOString(), championVersion: 1, challengerVersion: 2, championScore: 0.8125, challengerScore: 0.81, promoted: false, reason: 'not better' });
        const listed = await store.listDecisions('churn');
        assert.deepEqual(listed.map((d) => d.id), [id1, id2]);
        assert.deepEqual(listed[0], { id: id1, ...first });
        assert.equal(listed[1].promoted, false);
        const gate = await retrainAllowed(store, 'churn', settings, t0 + 2 * 3_600_000);
        assert.deepEqual(gate, { allowed: false, next: t0 + 7 * 3_600_000, last: new Date(t0 + 3_600_000).toISOString() });
        assert.equal((await retrainAllowed(store, 'churn', settings, t0 + 7 * 3_600_000)).allowed, true);
        const checkId = await store.recordCheck({ modelName: 'churn', modelVersion: 2, at: new Date(t0).toISOString(), status: 'alert', drift: 'fail', performance: 'skipped', currentRows: 1500, labelledRows: 0, driftShare: null, summary: { alerting: ['age'] } });
        assert.deepEqual(await store.listChecks('churn'), [{ id: checkId, modelName: 'churn', modelVersion: 2, at: new Date(t0).toISOString(), status: 'alert', drift: 'fail', performance: 'skipped', currentRows: 1500, labelledRows: 0, driftShare: null, summary: { alerting: ['age'] } }]);
        assert.equal(await store.loadReference('churn', 2), null);
        await store.close();
      } finally {
        await database.cleanup();
      }
    });
  });
