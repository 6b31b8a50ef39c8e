// The final stage: an ensemble of members with different feature chains and a calibration survives the artifact
// round trip with identical predictions; when no final fit fits the time left, the best candidate's own fold
// models are shipped instead (and say so); the ensemble draws on several families.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { categoryFromStrings, Frame, numberColumn } from '../../src/core/frame.js';
import { Rng } from '../../src/core/rng.js';
import { Pipeline } from '../../src/features/index.js';
import { Budget } from '../../src/train/budget.js';
import { FoldData } from '../../src/train/cv/fold-data.js';
import { prepareData } from '../../src/train/cv/prepare.js';
import { chooseFamilies, type FamilyContext } from '../../src/train/families/index.js';
import { buildFinal, planFinal } from '../../src/train/final.js';
import { EnsembleModel } from '../../src/train/index.js';
import { rankCandidates } from '../../src/train/leaderboard.js';
import { search } from '../../src/train/search/search.js';

function toyFrame(n: number, seed: number): Frame {
  const rng = new Rng(seed);
  const a = Float64Array.from({ length: n }, () => rng.normal());
  const b = Float64Array.from({ length: n }, () => (rng.next() < 0.1 ? NaN : rng.normal()));
  const colour = Array.from({ length: n }, () => ['red', 'green', 'blue', null][rng.int(4)]);
  const y = Array.from({ length: n }, (_, i) => (a[i] + (colour[i] === 'red' ? 1 : 0) + 0.5 * (Number.isNaN(b[i]) ? 0 : b[i] ** 2) + rng.normal() > 0.8 ? 'yes' : 'no'));
  return Frame.fromColumns({ a: numberColumn(a), b: numberColumn(b), colour: categoryFromStrings(colour), y: categoryFromStrings(y) });
}

async function searched(frame: Frame) {
  const data = prepareData({ frame, target: 'y', task: 'binary', positive: 'yes', drop: [], split: { scheme: 'stratified', folds: 4, holdout: 0.1 }, seed: 1 });
  const context: FamilyContext = { task: 'binary', nRows: data.y.length, nColumns: 3, nClasses: 2, minorityShare: data.minorityShare, metric: 'log_loss', costs: false };
  const { used } = chooseFamilies(context, ['gbdt', 'linear', 'naive_bayes'], undefined);
  const foldData = new FoldData(data, 1);
  const found = await search({ data, foldData, families: used, context, metric: 'log_loss', seed: 1, budget: new Budget(null), trials: 5, reserve: () => 0 });
  return { data, context, foldData, ranked: rankCandidates(found.candidates, 'log_loss') };
}

test('an ensemble of a dense-chain and a tree-chain member, calibrated, round-trips with identical predictions', async () => {
  const frame = toyFrame(1500, 3);
  const s = await searched(frame);
  const plan = planFinal(s.ranked, s.data, 'log_loss', { seed: 1 });
  const final = await buildFinal({ ...plan, members: [s.ranked.find((c) => c.family.name === 'gbdt')!, s.ranked.find((c) => c.family.name === 'linear')!].map((candidate) => ({ candidate, weight: 0.5 })) }, {
    data: s.data,
    raw: frame,
    foldData: s.foldData,
    context: s.context,
    metric: 'log_loss',
    costs: null,
    budget: new Budget(null),
    refitDeadline: Infinity,
    seed: 1,
    info: {},
  });
  assert.equal(final.fit, 'refit');
  assert.ok(final.pipeline.model instanceof EnsembleModel);
  const model = final.pipeline.model as EnsembleModel;
  assert.deepEqual(model.members.map((m) => m.chain.kind).sort(), ['dense', 'tree']);
  assert.ok(final.holdout && final.holdout.length === 2 * s.data.holdout!.y.length);
  const loaded = Pipeline.fromBytes(final.pipeline.toBytes());
  const rows = toyFrame(300, 9);
  assert.deepEqual(loaded.predict(rows).probabilities, final.pipeline.predict(rows).probabilities);
  // the same ensemble with a calibration also survives
  const calibrated = new EnsembleModel({ task: 'binary', nClasses: 2, columns: model.columns, members: model.members, calibration: { method: 'isotonic', x: Float64Array.from([0.1, 0.5, 0.9]), y: Float64Array.from([0.05, 0.4, 0.95]) } });
  const p = new Pipeline({ task: 'binary', target: 'y', signature: final.pipeline.signature, recipe: null, chain: final.pipeline.chain, model: calibrated, classes: final.pipeline.classes, threshold: 0.3 });
  const back = Pipeline.fromBytes(p.toBytes());
  assert.deepEqual(back.predict(rows).probabilities, p.predict(rows).probabilities);
  assert.deepEqual(back.predict(rows).predictions, p.predict(rows).predictions);
});

test('with no time left for a final fit, the best candidate’s fold models ship, averaged', async () => {
  const frame = toyFrame(1200, 4);
  const s = await searched(frame);
  const plan = planFinal(s.ranked, s.data, 'log_loss', { seed: 1 });
  const budget = new Budget(1, { startedAt: performance.now() - 10_000 });
  const final = await buildFinal(plan, { data: s.data, raw: frame, foldData: s.foldData, context: s.context, metric: 'log_loss', costs: null, budget, refitDeadline: performance.now() - 1, seed: 1, info: {} });
  assert.equal(final.fit, 'bagged');
  assert.match(final.notes.join(' '), /shipped the average of .* 4 fold models/);
  const model = final.pipeline.model as EnsembleModel;
  assert.equal(model.members.length, 4);
  const out = final.pipeline.predict(toyFrame(50, 5));
  assert.equal(out.predictions.length, 50);
});
