// One Kiln gradient-boosting measurement in its own process, so that peak RSS belongs to this fit alone:
//   node --import tsx bench/models/gbdt-child.ts <dataset dir> <xgboost|defaults>
// Reads train.csv / test.csv (reading is not timed, as pandas' read_csv is not in reference.py), fits, predicts,
// scores, times single-row prediction, and prints one JSON object on stdout.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Task } from '../../src/core/learner.js';
import { readFrame } from '../../src/data/index.js';
import { encodeTarget, frameToTrainSet } from '../../src/features/tabular-encoder.js';
import { gbdtDiagnostics } from '../../src/models/gbdt/booster.js';
import { GradientBoostingClassifier, GradientBoostingRegressor, type GbdtModel } from '../../src/models/gbdt/index.js';
import { scoreMetric } from '../../src/train/metrics/index.js';
import { METRICS_BY_TASK, XGBOOST_EQUIVALENT } from './gbdt-settings.js';

interface Meta {
  target: string;
  task: Task;
  positive?: string | number;
  drop?: string[];
}

async function main(): Promise<void> {
  const [dir, config] = process.argv.slice(2);
  const meta = JSON.parse(readFileSync(path.join(dir, 'meta.json'), 'utf8')) as Meta;
  const trainFrame = await readFrame(path.join(dir, 'train.csv'));
  const testFrame = await readFrame(path.join(dir, 'test.csv'));
  const positive = meta.positive === undefined ? undefined : String(meta.positive);

  // fit: encoding + training, as reference.py times its pipeline's fit
  let t0 = performance.now();
  const train = frameToTrainSet(trainFrame, meta.target, meta.task, { drop: meta.drop ?? [], positive });
  const params = config === 'xgboost' ? XGBOOST_EQUIVALENT : {};
  const data = { x: train.x, y: train.target.y, features: train.features, nClasses: train.target.classes?.length };
  const model: GbdtModel =
    meta.task === 'regression' ? await new GradientBoostingRegressor(params).fit(data) : await new GradientBoostingClassifier(params).fit(data);
  const fitSeconds = (performance.now() - t0) / 1000;
  const profile = gbdtDiagnostics.lastProfile;

  // predict: encoding + prediction + scoring, as reference.py times its score()
  t0 = performance.now();
  const x = train.encoder.transform(testFrame);
  const y = encodeTarget(testFrame, meta.target, meta.task, { classes: train.target.classes }).y;
  const metrics: Record<string, number> = {};
  if (meta.task === 'regression') {
    const predicted = model.predict(x);
    for (const m of METRICS_BY_TASK.regression) metrics[m] = scoreMetric(m, 'regression', y, { predicted });
  } else {
    const k = model.nClasses!;
    const proba = (model as GbdtModel & { predictProba(x: unknown): Float64Array }).predictProba(x);
    // reference.py clips probabilities at 1e-15 for the log-loss
    for (let i = 0; i < proba.length; i++) proba[i] = Math.max(proba[i], 1e-15);
    for (const m of METRICS_BY_TASK[meta.task]) metrics[m] = scoreMetric(m, meta.task, y, { proba, nClasses: k });
  }
  const predictSeconds = (performance.now() - t0) / 1000;

  // single row, in process: the model's allocation-free path on an already encoded row
  const nCols = x.nCols;
  const rows = Math.min(100, x.nRows);
  const block = new Float64Array(rows * nCols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < nCols; j++) block[i * nCols + j] = x.data[j * x.nRows + i];
  const out = new Float64Array(Math.max(2, model.nClasses ?? 1));
  const row = (i: number): Float64Array => block.subarray((i % rows) * nCols, (i % rows + 1) * nCols);
  for (let i = 0; i < 2000; i++) model.predictRowInto(row(i), out);
  const reps = 20000;
  t0 = performance.now();
  for (let i = 0; i < reps; i++) model.predictRowInto(row(i), out);
  const singleRowMs = (performance.now() - t0) / reps;

  const round = (v: number, digits: number): number => Number(v.toFixed(digits));
  console.log(
    JSON.stringify({
      library: 'kiln',
      model: config === 'xgboost' ? 'gbdt_xgboost_settings' : 'gbdt_defaults',
      task: meta.task,
      train_rows: trainFrame.nRows,
      test_rows: testFrame.nRows,
      fit_s: round(fitSeconds, 4),
      predict_s: round(predictSeconds, 4),
      single_row_ms: round(singleRowMs, 5),
      peak_rss_mb: round(process.resourceUsage().maxRSS / 1024, 1),
      ...Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, round(v, 6)])),
      rounds: model.rounds,
      profile,
    }),
  );
}

await main();
