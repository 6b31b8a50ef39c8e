// Runs in the project database, on SQLite and PostgreSQL: a training records its settings, data fingerprint,
// Kiln version, seed, duration, leaderboard, metrics per fold and the winner's artifact; runs are listed newest
// first and found by id, unique prefix or "latest"; a failed run keeps its error.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Frame, numberColumn, categoryFromStrings } from '../../src/core/frame.js';
import { KILN_VERSION } from '../../src/core/version.js';
import { Pipeline } from '../../src/features/index.js';
import { fingerprint, RunStore, train } from '../../src/train/index.js';
import { backends } from '../core/db/backends.js';
import { projectOf } from './helpers.js';

function tinyData(): Awaited<ReturnType<typeof import('../../src/data/index.js').readDataset>> {
  const n = 400;
  const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 3);
  const z = Float64Array.from({ length: n }, (_, i) => (i * 7) % 11);
  const y = categoryFromStrings(Array.from({ length: n }, (_, i) => (x[i] + 0.3 * z[i] > 1.5 ? 'yes' : 'no')));
  const frame = Frame.fromColumns({ x: numberColumn(x), z: numberColumn(z), y });
  return { frame, raw: frame, schema: { columns: [] }, source: {} } as never;
}

test('the data fingerprint depends on the values, not on category code order', () => {
  const a = Frame.fromColumns({ c: categoryFromStrings(['b', 'a', 'b']) });
  const b = Frame.fromColumns({ c: { kind: 'category', codes: Int32Array.from([0, 1, 0]), dictionary: ['b', 'a'] } });
  assert.equal(fingerprint(a).sha256, fingerprint(b).sha256);
  assert.notEqual(fingerprint(a).sha256, fingerprint(Frame.fromColumns({ c: categoryFromStrings(['b', 'a', 'a']) })).sha256);
  assert.equal(fingerprint(a).rows, 3);
});

for (const backend of backends) {
  describe(`runs on ${backend.name}`, { skip: backend.skip }, () => {
    test('a run is recorded with everything needed to compare and reproduce it', async () => {
      const t = await backend.open();
      const store = await RunStore.open({ db: t.db });
      try {
        const data = tinyData();
        const r = await train({ project: projectOf({ name: 'tiny', target: 'y', positive: 'yes', families: { include: ['gbdt', 'linear'] } }), dataset: data, overrides: { trials: 3, seed: 5 }, store });
        const run = await store.get(r.runId);
        assert.equal(run.status, 'complete');
        assert.equal(run.name, 'tiny');
        assert.equal(run.kilnVersion, KILN_VERSION);
        assert.equal(run.seed, 5);
        assert.equal(run.trials, 3);
        assert.equal(run.budgetSeconds, null);
        assert.equal(run.metric, 'roc_auc');
        assert.deepEqual(run.dataFingerprint, { sha256: r.fingerprint.sha256, rows: 400, columns: [{ name: 'x', kind: 'number' }, { name: 'z', kind: 'number' }, { name: 'y', kind: 'category' }] });
        assert.ok(run.durationSeconds! > 0);
        assert.deepEqual(run.leaderboard, JSON.parse(JSON.stringify(r.leaderboard)));
        const result = run.result as { metrics: { cv: Record<string, number> }; winner: { members: unknown[] } };
        assert.equal(result.metrics.cv.roc_auc, r.metrics.cv.roc_auc);
        const bytes = await store.artifact(r.runId);
        assert.deepEqual(bytes, r.artifact);
        assert.deepEqual(Pipeline.fromBytes(bytes).predict(data.frame.slice(0, 10)).predictions, r.pipeline.predict(data.frame.slice(0, 10)).predictions);
        // every fold of every cross-validated candidate
        const folds = await store.folds(r.runId);
        const complete = r.leaderboard.filter((x) => x.kind === 'candidate' && x.status === 'complete').length;
        assert.equal(folds.length, complete * 5);
        assert.ok(folds.every((f) => f.value > 0.5 && f.fitSeconds >= 0));

        await store.setRegistryRef(r.runId, 'tiny/1');
        assert.equal((await store.get(r.runId.slice(0, 17))).registryRef, 'tiny/1');
        const second = await train({ project: projectOf({ target: 'y', families: { include: ['linear'] } }), dataset: data, overrides: { trials: 1 }, store });
        assert.equal((await store.get('latest')).id, second.runId);
        assert.deepEqual((await store.list()).map((x) => x.id), [second.runId, r.runId].sort().reverse());
        await assert.rejects(store.get('no-such-run'), /no run "no-such-run"/);
        await assert.rejects(store.get('2'), /matches several runs/);

        // a run that fails keeps its error
        await assert.rejects(train({ project: projectOf({ target: 'y', metric: 'rmse' }), dataset: data, store }), /does not apply/);
        const failed = await train({ project: projectOf({ target: 'y', split: { folds: 20 }, families: { include: ['linear'] } }), dataset: { ...data, frame: data.frame.slice(0, 30) }, overrides: { trials: 1 }, store }).catch((e: Error) => e);
        assert.ok(failed instanceof Error);
        const latest = await store.get('latest');
        assert.equal(latest.status, 'failed');
        assert.match(latest.error ?? '', /too few/);
      } finally {
        await store.close();
        await t.cleanup();
      }
    });
  });
}
