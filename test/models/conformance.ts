// The conformance suite every learner runs (as scikit-learn's estimator_checks): bad params are rejected with the
// param named, the same seed gives the same model bytes, save → load gives identical predictions, a matrix of the
// wrong width fails clearly, fit leaves its inputs untouched, a damaged artifact is refused with a format error.
//
// Use from a test file:
//   runConformance({ name: 'LogisticRegression', makeLearner: (p) => new LogisticRegression(p), data, badParams: [...] });

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeArtifact, encodeArtifact, type Artifact } from '../../src/core/artifact.js';
import { KilnError, ModelFormatError, ParamError } from '../../src/core/errors.js';
import type { Learner, Matrix, Model, TrainSet } from '../../src/core/learner.js';
import { modelFromArtifact } from '../../src/core/model-kinds.js';
import { Rng } from '../../src/core/rng.js';

export interface ConformanceCase {
  readonly name: string;
  /** a learner with the given params (merged over its defaults) */
  readonly makeLearner: (params?: Record<string, unknown>) => Learner;
  /** a small training set the learner can fit in well under a second */
  readonly data: TrainSet;
  /** rows to predict (defaults to the training rows) */
  readonly predictX?: Matrix;
  /** params that must be refused, each naming the parameter the message must mention */
  readonly badParams: readonly { readonly params: Record<string, unknown>; readonly param: string }[];
  /** params for the fits of the suite (e.g. few rounds to stay fast) */
  readonly fitParams?: Record<string, unknown>;
}

export function runConformance(c: ConformanceCase): void {
  const fit = (params: Record<string, unknown> = {}, seed = 7): Promise<Model> =>
    c.makeLearner({ ...c.fitParams, ...params }).fit(c.data, { rng: new Rng(seed) });
  const px = c.predictX ?? c.data.x;

  describe(`conformance: ${c.name}`, () => {
    test('the constructor stores a frozen copy of the params and leaves the caller object alone', () => {
      const given = { ...c.fitParams };
      const before = JSON.stringify(given);
      const learner = c.makeLearner(given);
      assert.ok(Object.isFrozen(learner.params), 'params are frozen');
      assert.equal(JSON.stringify(given), before, 'caller params unchanged');
    });

    for (const bad of c.badParams) {
      test(`fit rejects ${JSON.stringify(bad.params)} naming "${bad.param}"`, async () => {
        await assert.rejects(
          () => c.makeLearner({ ...c.fitParams, ...bad.params }).fit(c.data, { rng: new Rng(1) }),
          (e: unknown) => {
            assert.ok(e instanceof ParamError, `expected a ParamError, got ${String(e)}`);
            assert.ok(e.message.includes(bad.param), `message names ${bad.param}: ${e.message}`);
            assert.ok(e.issues.some((i) => i.path[0] === bad.param), 'an issue points at the param');
            return true;
          },
        );
      });
    }

    test('an unknown param is rejected with the known ones listed', async () => {
      await assert.rejects(() => c.makeLearner({ ...c.fitParams, noSuchParam: 1 }).fit(c.data), /noSuchParam: unknown parameter \(known: /);
    });

    test('fit leaves the training data untouched', async () => {
      const x = c.data.x.data.slice();
      const y = c.data.y.slice();
      const w = c.data.sampleWeight?.slice();
      await fit();
      assert.deepEqual(c.data.x.data, x);
      assert.deepEqual(c.data.y, y);
      if (w) assert.deepEqual(c.data.sampleWeight, w);
    });

    test('the same seed gives the same model, byte for byte', async () => {
      const a = encodeArtifact((await fit({}, 11)).toArtifact());
      const b = encodeArtifact((await fit({}, 11)).toArtifact());
      assert.ok(a.length === b.length && a.every((v, i) => v === b[i]), 'artifacts differ');
    });

    test('save then load gives identical predictions', async () => {
      const model = await fit();
      const loaded = modelFromArtifact(decodeArtifact(encodeArtifact(model.toArtifact()), 'conformance'));
      assert.equal(loaded.kind, model.kind);
      assert.deepEqual(loaded.features, model.features);
      assert.equal(loaded.nClasses, model.nClasses);
      assert.deepEqual(loaded.predict(px), model.predict(px));
      if (model.predictProba) {
        assert.ok(loaded.predictProba, 'the loaded model predicts probabilities too');
        assert.deepEqual(loaded.predictProba(px), model.predictProba(px));
      }
    });

    test('outputs have the documented shapes; predicting leaves the input alone', async () => {
      const model = await fit();
      const before = px.data.slice();
      assert.equal(model.predict(px).length, px.nRows);
      model.predictProba?.(px);
      assert.deepEqual(px.data, before);
      if (model.nClasses !== undefined) {
        const k = model.nClasses;
        const pred = model.predict(px);
        assert.ok(pred.every((v) => Number.isInteger(v) && v >= 0 && v < k), 'predictions are class indices');
        assert.ok(model.predictProba, 'a classifier predicts probabilities');
        const proba = model.predictProba(px);
        assert.equal(proba.length, px.nRows * k);
        for (let i = 0; i < px.nRows; i++) {
          let s = 0;
          for (let j = 0; j < k; j++) {
            const p = proba[i * k + j];
            assert.ok(p >= 0 && p <= 1, `probability ${p} in [0, 1]`);
            s += p;
          }
          assert.ok(Math.abs(s - 1) < 1e-9, `row ${i} sums to ${s}`);
        }
      }
    });

    test('a matrix with the wrong number of columns fails clearly', async () => {
      const model = await fit();
      for (const width of [px.nCols - 1, px.nCols + 1]) {
        const wrong: Matrix = { nRows: 2, nCols: width, data: new Float64Array(2 * width) };
        const expectClear = (e: unknown): boolean => {
          assert.ok(e instanceof KilnError, `a KilnError, got ${String(e)}`);
          assert.equal(e.code, 'E_DATA_SCHEMA');
          assert.match(e.message, new RegExp(`${px.nCols}\\b.*${width}\\b|${width}\\b.*${px.nCols}\\b`), `names both widths: ${e.message}`);
          return true;
        };
        assert.throws(() => model.predict(wrong), expectClear);
        if (model.predictProba) assert.throws(() => model.predictProba!(wrong), expectClear);
      }
    });

    test('a damaged artifact is refused with a format error, never a crash', async () => {
      const artifact = (await fit()).toArtifact();
      for (const name of Object.keys(artifact.arrays)) {
        const missing: Artifact = { ...artifact, arrays: Object.fromEntries(Object.entries(artifact.arrays).filter(([n]) => n !== name)) };
        assert.throws(() => modelFromArtifact(missing), ModelFormatError, `without "${name}"`);
        const a = artifact.arrays[name];
        const short: Artifact = { ...artifact, arrays: { ...artifact.arrays, [name]: a.slice(0, Math.max(0, a.length - 1)) } };
        if (a.length > 0) assert.throws(() => modelFromArtifact(short), ModelFormatError, `"${name}" one element short`);
      }
      assert.throws(() => modelFromArtifact({ ...artifact, meta: {} }), ModelFormatError, 'without meta');
    });

    test('an aborted signal stops fit', async () => {
      const controller = new AbortController();
      controller.abort(new KilnError('E_ABORTED', 'stopped by the test'));
      await assert.rejects(() => c.makeLearner(c.fitParams).fit(c.data, { signal: controller.signal }), /stopped by the test/);
    });
  });
}
