// Benchmark: the tree, forest, neighbours, naive Bayes and MLP families against their scikit-learn counterparts on
// each tabular shared dataset's fixed train/test split, in the same run. Both sides fit the same encoded matrices
// (test/models/tree/sklearn_reference.py encodes them once, as ../shared/bench/reference.py does: ordinal codes +
// median imputation for trees, imputation + scaling + one-hot for the others), so the figures compare the models
// alone. Settings follow reference.py (decision tree min_samples_leaf 5, forests of 200 trees on 2 threads, kNN
// k = 15, MLP 64-64 with early stopping). Prints test metrics, fit/predict seconds and ratios; writes
// bench/results/families.json.
//   npm run bench -- families [--datasets adult,telco_churn] [--models tree,random_forest,extra_trees,knn,gaussian_nb,mlp]

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Learner, Model, TrainSet } from '../../src/core/learner.js';
import { GaussianNB } from '../../src/models/bayes/index.js';
import { ExtraTreesClassifier, ExtraTreesRegressor, RandomForestClassifier, RandomForestRegressor } from '../../src/models/forest/index.js';
import { KNeighborsClassifier, KNeighborsRegressor } from '../../src/models/neighbors/index.js';
import { MLPClassifier, MLPRegressor } from '../../src/models/nn/index.js';
import { DecisionTreeClassifier, DecisionTreeRegressor } from '../../src/models/tree/index.js';
import { METRICS, scoreMetric, type MetricName } from '../../src/train/metrics/index.js';
import { runReference, type ReferenceJob, type ReferenceModelSpec } from '../../test/models/tree/sklearn-reference.js';
import { SHARED_DIR } from '../../test/helpers/shared.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SHARED = SHARED_DIR;
const DATASETS = ['adult', 'bank_marketing', 'telco_churn', 'creditcard_fraud', 'covertype_kaggle', 'california_housing'];

interface Family {
  readonly encoding: ReferenceJob['encoding'];
  readonly classificationOnly?: boolean;
  readonly sklearn: (clf: boolean) => Omit<ReferenceModelSpec, 'name'>;
  readonly kiln: (clf: boolean) => Learner;
}

const FAMILIES: Record<string, Family> = {
  tree: {
    encoding: 'ordinal_imputed',
    sklearn: (clf) => ({ class: `sklearn.tree.DecisionTree${clf ? 'Classifier' : 'Regressor'}`, params: { min_samples_leaf: 5, random_state: 42 } }),
    kiln: (clf) => (clf ? new DecisionTreeClassifier({ minSamplesLeaf: 5 }) : new DecisionTreeRegressor({ minSamplesLeaf: 5 })),
  },
  random_forest: {
    encoding: 'ordinal_imputed',
    sklearn: (clf) => ({ class: `sklearn.ensemble.RandomForest${clf ? 'Classifier' : 'Regressor'}`, params: { n_estimators: 200, n_jobs: 2, random_state: 42 } }),
    kiln: (clf) => (clf ? new RandomForestClassifier({ nEstimators: 200, nThreads: 2 }) : new RandomForestRegressor({ nEstimators: 200, nThreads: 2 })),
  },
  extra_trees: {
    encoding: 'ordinal_imputed',
    sklearn: (clf) => ({ class: `sklearn.ensemble.ExtraTrees${clf ? 'Classifier' : 'Regressor'}`, params: { n_estimators: 200, n_jobs: 2, random_state: 42 } }),
    kiln: (clf) => (clf ? new ExtraTreesClassifier({ nEstimators: 200, nThreads: 2 }) : new ExtraTreesRegressor({ nEstimators: 200, nThreads: 2 })),
  },
  knn: {
    encoding: 'dense',
    sklearn: (clf) => ({ class: `sklearn.neighbors.KNeighbors${clf ? 'Classifier' : 'Regressor'}`, params: { n_neighbors: 15 } }),
    kiln: (clf) => (clf ? new KNeighborsClassifier({ nNeighbors: 15 }) : new KNeighborsRegressor({ nNeighbors: 15 })),
  },
  gaussian_nb: {
    encoding: 'dense',
    classificationOnly: true,
    sklearn: () => ({ class: 'sklearn.naive_bayes.GaussianNB' }),
    kiln: () => new GaussianNB(),
  },
  mlp: {
    encoding: 'dense',
    sklearn: (clf) => ({
      class: `sklearn.neural_network.MLP${clf ? 'Classifier' : 'Regressor'}`,
      params: { hidden_layer_sizes: [64, 64], early_stopping: true, random_state: 42 },
    }),
    kiln: (clf) => (clf ? new MLPClassifier({ hiddenLayerSizes: [64, 64] }) : new MLPRegressor({ hiddenLayerSizes: [64, 64] })),
  },
};

interface Row {
  dataset: string;
  model: string;
  metric: MetricName;
  kiln: number;
  sklearn: number;
  kilnFitS: number;
  sklearnFitS: number;
  kilnPredictS: number;
  sklearnPredictS: number;
  trainRows: number;
  testRows: number;
  features: number;
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

function score(metric: MetricName, task: 'binary' | 'multiclass' | 'regression', y: Float64Array, out: Float64Array, nClasses: number): number {
  return scoreMetric(metric, task, y, task === 'regression' ? { predicted: out } : { proba: out, nClasses });
}

async function runDataset(dataset: string, models: string[]): Promise<Row[]> {
  const meta = JSON.parse(readFileSync(path.join(SHARED, 'datasets', dataset, 'meta.json'), 'utf8')) as { metric: MetricName; task: string };
  const clf = meta.task !== 'regression';
  const rows: Row[] = [];
  for (const encoding of ['ordinal_imputed', 'dense'] as const) {
    const names = models.filter((m) => FAMILIES[m].encoding === encoding && (clf || !FAMILIES[m].classificationOnly));
    if (!names.length) continue;
    process.stderr.write(`${dataset} (${encoding}): scikit-learn… `);
    const ref = runReference({ dataset, nTrain: 0, nTest: 0, encoding, models: names.map((name) => ({ name, ...FAMILIES[name].sklearn(clf) })) });
    const train: TrainSet = ref.train;
    const k = train.nClasses ?? 0;
    for (const name of names) {
      process.stderr.write(`${name} `);
      const t0 = performance.now();
      const model: Model = await FAMILIES[name].kiln(clf).fit(train);
      const fitS = (performance.now() - t0) / 1000;
      const t1 = performance.now();
      const out = clf ? (model.predictProba as (x: typeof ref.test.x) => Float64Array).call(model, ref.test.x) : model.predict(ref.test.x);
      const predictS = (performance.now() - t1) / 1000;
      const sk = ref.sklearn[name];
      rows.push({
        dataset,
        model: name,
        metric: meta.metric,
        kiln: score(meta.metric, ref.task, ref.test.y, out, k),
        sklearn: score(meta.metric, ref.task, ref.test.y, sk.output, k),
        kilnFitS: fitS,
        sklearnFitS: sk.fitSeconds,
        kilnPredictS: predictS,
        sklearnPredictS: sk.predictSeconds,
        trainRows: train.x.nRows,
        testRows: ref.test.x.nRows,
        features: train.x.nCols,
      });
    }
    process.stderr.write('done\n');
  }
  return rows;
}

export async function run(args: string[]): Promise<void> {
  const datasets = option(args, 'datasets')?.split(',') ?? DATASETS;
  const models = option(args, 'models')?.split(',') ?? Object.keys(FAMILIES);
  for (const m of models) if (!FAMILIES[m]) throw new Error(`unknown model "${m}" (known: ${Object.keys(FAMILIES).join(', ')})`);
  const rows: Row[] = [];
  for (const dataset of datasets) rows.push(...(await runDataset(dataset, models)));

  const fmt = (v: number, digits = 4) => (Number.isFinite(v) ? v.toFixed(digits) : '—');
  const header = ['dataset', 'model', 'metric', 'kiln', 'sklearn', 'Δ (better +)', 'fit s kiln', 'fit s sk', 'fit ×', 'pred s kiln', 'pred s sk', 'pred ×'];
  const table = rows.map((r) => {
    const sign = METRICS[r.metric].higherIsBetter ? 1 : -1;
    const digits = r.metric === 'rmse' ? 0 : 4;
    return [
      r.dataset,
      r.model,
      r.metric,
      fmt(r.kiln, digits),
      fmt(r.sklearn, digits),
      fmt(sign * (r.kiln - r.sklearn), digits),
      fmt(r.kilnFitS, 2),
      fmt(r.sklearnFitS, 2),
      `${(r.kilnFitS / r.sklearnFitS).toFixed(2)}×`,
      fmt(r.kilnPredictS, 3),
      fmt(r.sklearnPredictS, 3),
      `${(r.kilnPredictS / r.sklearnPredictS).toFixed(2)}×`,
    ];
  });
  const widths = header.map((h, j) => Math.max(h.length, ...table.map((t) => t[j].length)));
  const line = (cells: string[]) => cells.map((c, j) => (j < 3 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  ');
  console.log(line(header));
  for (const t of table) console.log(line(t));
  const out = path.join(ROOT, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    path.join(out, 'families.json'),
    JSON.stringify({ suite: 'families', date: new Date().toISOString(), note: 'measured on a shared machine; ratios are Kiln / scikit-learn', rows }, null, 2),
  );
  console.log('\nwrote bench/results/families.json (measured on a shared machine: timings are noisy)');
}
