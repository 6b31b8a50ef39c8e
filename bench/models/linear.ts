// Benchmark: the linear baselines (dense feature chain + LogisticRegression / Ridge, default settings) against
// scikit-learn's logistic_regression / ridge from ../shared/bench/reference.py, on each tabular shared dataset's
// fixed train/test split, in the same run. Prints test metrics, fit/predict times and ratios; writes
// bench/results/linear.json.
//   npm run bench -- linear [--datasets adult,telco_churn] [--repeats 1]

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readFrame } from '../../src/data/index.js';
import { encodeTarget, Pipeline } from '../../src/features/index.js';
import { LogisticRegression, Ridge } from '../../src/models/linear/index.js';
import { METRICS, type MetricName, scoreAll } from '../../src/train/metrics/index.js';
import { SHARED_DIR } from '../../test/helpers/shared.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SHARED = SHARED_DIR;
const DATASETS = ['adult', 'bank_marketing', 'telco_churn', 'creditcard_fraud', 'covertype_kaggle', 'california_housing'];

interface Meta {
  target: string;
  task: 'binary' | 'multiclass' | 'regression';
  positive?: string | number;
  metric: MetricName;
  drop?: string[];
}

interface Row {
  dataset: string;
  task: string;
  metric: MetricName;
  kiln: Record<string, number>;
  reference: Record<string, number>;
  kilnFitS: number;
  referenceFitS: number;
  kilnPredictS: number;
  referencePredictS: number;
  kilnSingleRowMs: number;
  referenceSingleRowMs: number;
  features: number;
  iterations: unknown;
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

async function runOne(dataset: string): Promise<Row> {
  const dir = path.join(SHARED, 'datasets', dataset);
  const meta = JSON.parse(readFileSync(path.join(dir, 'meta.json'), 'utf8')) as Meta;
  const train = await readFrame(path.join(dir, 'train.csv'));
  const test = await readFrame(path.join(dir, 'test.csv'));
  const positive = meta.positive === undefined ? undefined : String(meta.positive);
  const learner = meta.task === 'regression' ? new Ridge() : new LogisticRegression();

  const t0 = performance.now();
  const pipeline = await Pipeline.fit(train, { target: meta.target, task: meta.task, learner, drop: meta.drop, positive });
  const fitS = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const out = pipeline.predict(test);
  const predictS = (performance.now() - t1) / 1000;
  const record = test.slice(0, 1).toRecords();
  const t2 = performance.now();
  for (let r = 0; r < 200; r++) pipeline.predictRecords(record);
  const singleMs = (performance.now() - t2) / 200;
  const y = encodeTarget(test, meta.target, meta.task, { classes: pipeline.classes }).y;
  const kiln = scoreAll(meta.task, y, meta.task === 'regression' ? { predicted: out.values } : { proba: out.probabilities, nClasses: pipeline.classes!.length }) as Record<string, number>;

  const ref = spawnSync('/usr/bin/python3', [
    path.join(SHARED, 'bench', 'reference.py'),
    '--train', path.join(dir, 'train.csv'),
    '--test', path.join(dir, 'test.csv'),
    '--target', meta.target,
    '--task', meta.task,
    ...(meta.drop?.length ? ['--drop', meta.drop.join(',')] : []),
    '--models', meta.task === 'regression' ? 'ridge' : 'logistic_regression',
  ], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (ref.status !== 0) throw new Error(`reference.py failed on ${dataset}: ${ref.stderr}`);
  const reference = JSON.parse(ref.stdout.trim().split('\n').pop()!) as Record<string, number>;
  return {
    dataset,
    task: meta.task,
    metric: meta.metric,
    kiln,
    reference,
    kilnFitS: fitS,
    referenceFitS: reference.fit_s,
    kilnPredictS: predictS,
    referencePredictS: reference.predict_s,
    kilnSingleRowMs: singleMs,
    referenceSingleRowMs: reference.single_row_ms,
    features: pipeline.chain.features.length,
    iterations: (pipeline.model as { info?: { iterations?: unknown } }).info?.iterations,
  };
}

export async function run(args: string[]): Promise<void> {
  const wanted = option(args, 'datasets')?.split(',') ?? DATASETS;
  const rows: Row[] = [];
  for (const dataset of wanted) {
    if (!existsSync(path.join(SHARED, 'datasets', dataset, 'train.csv'))) {
      console.error(`skipping ${dataset}: no train.csv`);
      continue;
    }
    process.stderr.write(`${dataset}… `);
    rows.push(await runOne(dataset));
    process.stderr.write('done\n');
  }
  const fmt = (v: number | undefined, digits = 4) => (v === undefined ? '—' : v.toFixed(digits));
  const header = ['dataset', 'metric', 'kiln', 'sklearn', 'Δ (better +)', 'fit s kiln', 'fit s sk', 'fit ratio', '1-row ms kiln', '1-row ms sk'];
  const table = rows.map((r) => {
    const sign = METRICS[r.metric].higherIsBetter ? 1 : -1;
    const k = r.kiln[r.metric];
    const s = r.reference[r.metric];
    return [r.dataset, r.metric, fmt(k), fmt(s), fmt(sign * (k - s), 4), fmt(r.kilnFitS, 2), fmt(r.referenceFitS, 2), `${(r.kilnFitS / r.referenceFitS).toFixed(2)}×`, fmt(r.kilnSingleRowMs, 3), fmt(r.referenceSingleRowMs, 3)];
  });
  const widths = header.map((h, j) => Math.max(h.length, ...table.map((t) => t[j].length)));
  const line = (cells: string[]) => cells.map((c, j) => (j < 2 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  ');
  console.log(line(header));
  for (const t of table) console.log(line(t));
  console.log('\nall metrics (kiln | scikit-learn):');
  for (const r of rows) {
    const names = Object.keys(r.kiln).filter((m) => r.reference[m] !== undefined);
    console.log(`  ${r.dataset} (${r.features} features, ${String(r.iterations)} iterations): ${names.map((m) => `${m} ${fmt(r.kiln[m])} | ${fmt(r.reference[m])}`).join(', ')}`);
  }
  const out = path.join(ROOT, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'linear.json'), JSON.stringify({ suite: 'linear', date: new Date().toISOString(), note: 'measured on a shared machine', rows }, null, 2));
  console.log(`\nwrote bench/results/linear.json`);
}
