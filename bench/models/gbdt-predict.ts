// Benchmark suite `gbdt-predict`:  npm run bench -- gbdt-predict [--dataset adult] [--reps 15]
// A drill-down of GBDT prediction alone (the `gbdt` suite gives the ratio against XGBoost, whose predict_s is one
// cold call that also encodes and scores): fits the XGBoost-equivalent model (300 rounds, depth 6) on a shared
// train.csv, then times on test.csv the first (cold) batch, warm whole-set batches, 1,000-row batches and small
// batches, as medians; checks that batches give the bits of rows predicted one at a time. Writes
// bench/results/gbdt-predict.json.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import type { Matrix, Task } from '../../src/core/learner.js';
import { readFrame } from '../../src/data/index.js';
import { frameToTrainSet } from '../../src/features/tabular-encoder.js';
import { GradientBoostingClassifier, GradientBoostingRegressor, type GbdtModel } from '../../src/models/gbdt/index.js';
import { XGBOOST_EQUIVALENT } from './gbdt-settings.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const shared = process.env.KILN_SHARED_DIR ?? path.resolve(root, '..', 'shared');

/** Rows [0, n) of a column-major matrix. */
function head(x: Matrix, n: number): Matrix {
  const data = new Float64Array(n * x.nCols);
  for (let j = 0; j < x.nCols; j++) data.set(x.data.subarray(j * x.nRows, j * x.nRows + n), j * n);
  return { nRows: n, nCols: x.nCols, data };
}

function medianMs(reps: number, f: () => void): number {
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

export async function run(args: string[]): Promise<void> {
  const opt = (name: string, fallback: string): string => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
  const name = opt('--dataset', 'adult');
  const reps = Number(opt('--reps', '15'));
  const dir = path.join(shared, 'datasets', name);
  const meta = JSON.parse(readFileSync(path.join(dir, 'meta.json'), 'utf8')) as { target: string; task: Task; positive?: string | number; drop?: string[] };
  const trainFrame = await readFrame(path.join(dir, 'train.csv'));
  const testFrame = await readFrame(path.join(dir, 'test.csv'));
  const positive = meta.positive === undefined ? undefined : String(meta.positive);
  const train = frameToTrainSet(trainFrame, meta.target, meta.task, { drop: meta.drop ?? [], positive });
  const data = { x: train.x, y: train.target.y, features: train.features, nClasses: train.target.classes?.length };
  console.error(`${name}: fitting 300 rounds, depth 6 ...`);
  const model: GbdtModel =
    meta.task === 'regression' ? await new GradientBoostingRegressor(XGBOOST_EQUIVALENT).fit(data) : await new GradientBoostingClassifier(XGBOOST_EQUIVALENT).fit(data);
  const x = train.encoder.transform(testFrame);
  const raw = (m: Matrix): Float64Array => model.predictRaw(m);

  const cold = medianMs(1, () => raw(x)); // builds the traversal layout, and V8 compiles the walks meanwhile
  const warm = medianMs(reps, () => raw(x));
  const rows1000 = head(x, Math.min(1000, x.nRows));
  const batch1000 = medianMs(20 * reps, () => raw(rows1000));
  const small: Record<string, number> = {};
  for (const n of [1, 2, 7, 8, 9, 100]) {
    const m = head(x, n);
    small[`batch_${n}_us`] = Number((medianMs(200 * reps, () => raw(m)) * 1000).toFixed(2));
  }

  // every row of a batch gets the bits it gets alone
  const k = model.ensemble.nOutputs;
  const whole = raw(rows1000);
  const row = new Float64Array(x.nCols);
  const one = new Float64Array(k);
  let mismatches = 0;
  for (let i = 0; i < rows1000.nRows; i++) {
    for (let j = 0; j < x.nCols; j++) row[j] = rows1000.data[j * rows1000.nRows + i];
    model.rawRowInto(row, one);
    for (let o = 0; o < k; o++) if (!Object.is(one[o], whole[i * k + o])) mismatches++;
  }

  const result = {
    dataset: name,
    test_rows: x.nRows,
    trees: model.ensemble.nTrees,
    cold_batch_ms: Number(cold.toFixed(2)),
    warm_batch_ms: Number(warm.toFixed(2)),
    ns_per_row_tree: Number(((warm * 1e6) / (x.nRows * model.ensemble.nTrees)).toFixed(2)),
    batch_1000_ms: Number(batch1000.toFixed(3)),
    ...small,
    bit_mismatches: mismatches,
  };
  const table = new Table({ head: ['measure', 'value'] });
  for (const [key, v] of Object.entries(result)) table.push([key, String(v)]);
  console.log(table.toString());
  console.log('measured on this machine, medians of the repetitions; raw scores only (no encoding, no link)');
  mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(path.join(root, 'bench', 'results', 'gbdt-predict.json'), JSON.stringify(result, null, 2) + '\n');
  if (mismatches) throw new Error(`${mismatches} raw scores differ between the batch and one row at a time`);
}
