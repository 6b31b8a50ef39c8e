// LogisticRegression and Ridge against scikit-learn on slices of the shared datasets, on the very same design
// matrix (numeric columns; scikit-learn gets them through StandardScaler, which is what our `standardize` does
// inside the fit). Both sides minimise the same strictly convex objective, so they must agree up to the
// optimisers' stopping rules; each tolerance below says which rule bounds it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TrainSet } from '../../src/core/learner.js';
import { frameToTrainSet } from '../../src/features/tabular-encoder.js';
import { LogisticRegression, Ridge, type LinearModel } from '../../src/models/linear/index.js';
import { datasetAvailable, readMeta, readSplit } from './datasets.js';
import { runPython, sklearnOnly } from './sklearn-bridge.js';

async function numericTrainSet(name: string, rows: number): Promise<TrainSet> {
  const meta = readMeta(name);
  const frame = await readSplit(name, 'train', rows);
  // numeric columns without gaps (imputation is the feature chain's job, tested on its own)
  const keep = frame.names.filter((n) => n !== meta.target && !(meta.drop ?? []).includes(n) && frame.column(n).kind === 'number' && !(frame.column(n) as { values: Float64Array }).values.some(Number.isNaN));
  const ts = frameToTrainSet(frame.select([...keep, meta.target]), meta.target, meta.task, { positive: meta.positive === undefined ? undefined : String(meta.positive) });
  return { x: ts.x, features: ts.features, y: ts.target.y, nClasses: ts.target.classes?.length };
}

const SCRIPT = `
import json, sys, warnings
import numpy as np
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.preprocessing import StandardScaler
warnings.simplefilter('ignore')
d = json.load(sys.stdin)
X = StandardScaler().fit_transform(np.array(d['x']).reshape(d['p'], d['n']).T)
y = np.array(d['y'])
w = np.array(d['w']) if d.get('w') else None
m = eval(d['model']).fit(X, y, sample_weight=w)
out = {'coef': np.atleast_2d(m.coef_).ravel().tolist(), 'intercept': np.atleast_1d(m.intercept_).tolist()}
out['pred'] = (m.predict_proba(X) if hasattr(m, 'predict_proba') else m.predict(X)).ravel().tolist()
json.dump(out, sys.stdout)
`;

interface Ref {
  coef: number[];
  pred: number[];
}

function compare(data: TrainSet, model: LinearModel, pred: Float64Array, sklearnModel: string, weights?: Float64Array): { coef: number; pred: number } {
  const ref = runPython<Ref>(SCRIPT, { x: [...data.x.data], n: data.x.nRows, p: data.x.nCols, y: [...data.y], w: weights ? [...weights] : null, model: sklearnModel });
  // scikit-learn saw standardised columns: its coefficients are ours times each column's standard deviation
  const p = data.x.nCols;
  let coef = 0;
  for (let i = 0; i < ref.coef.length; i++) coef = Math.max(coef, Math.abs(model.coef[i] * model.featureScale[i % p] - ref.coef[i]));
  let maxPred = 0;
  for (let i = 0; i < pred.length; i++) maxPred = Math.max(maxPred, Math.abs(pred[i] - ref.pred[i]));
  return { coef, pred: maxPred };
}

const need = (name: string) => (datasetAvailable(name) ? sklearnOnly() : { skip: `dataset ${name} is not available` });

test('binary L2 logistic regression on adult (2,000 rows) matches scikit-learn', need('adult'), async () => {
  const data = await numericTrainSet('adult', 2000);
  const model = await new LogisticRegression({ C: 1, tol: 1e-10 }).fit(data);
  // newton-cg at tol 1e-10 converges quadratically, so both sides sit at the optimum to ~1e-9: coefficients
  // agree to 1e-6 and probabilities (whose gradient w.r.t. coefficients is below 1) to 1e-7
  const d = compare(data, model, model.predictProba(data.x), "LogisticRegression(C=1.0, solver='newton-cg', tol=1e-10, max_iter=1000)");
  assert.ok(d.coef < 1e-6, `coef diff ${d.coef}`);
  assert.ok(d.pred < 1e-7, `probability diff ${d.pred}`);
});

test('multinomial L2 logistic regression on covertype (1,500 rows, 7 classes) matches scikit-learn', need('covertype_kaggle'), async () => {
  const data = await numericTrainSet('covertype_kaggle', 1500);
  const model = await new LogisticRegression({ C: 0.5, tol: 1e-9 }).fit(data);
  // 378 parameters, some on near-constant one-hot soil columns with tiny curvature: the flat directions move
  // coefficients more than predictions, hence 1e-5 on coefficients and 1e-6 on probabilities
  const d = compare(data, model, model.predictProba(data.x), "LogisticRegression(C=0.5, solver='newton-cg', tol=1e-10, max_iter=1000)");
  assert.ok(d.coef < 1e-5, `coef diff ${d.coef}`);
  assert.ok(d.pred < 1e-6, `probability diff ${d.pred}`);
});

test('L1 and elastic-net on creditcard (1,000 rows) match scikit-learn saga, zeros included', need('creditcard_fraud'), async () => {
  const data = await numericTrainSet('creditcard_fraud', 1000);
  for (const [params, sk] of [
    [{ penalty: 'l1', C: 0.05 }, "LogisticRegression(penalty='l1', C=0.05, solver='saga', tol=1e-12, max_iter=100000)"],
    [{ penalty: 'elasticnet', l1Ratio: 0.3, C: 0.1 }, "LogisticRegression(penalty='elasticnet', l1_ratio=0.3, C=0.1, solver='saga', tol=1e-12, max_iter=100000)"],
  ] as const) {
    const model = await new LogisticRegression({ ...params, tol: 1e-10 }).fit(data);
    const ref = runPython<Ref>(SCRIPT, { x: [...data.x.data], n: data.x.nRows, p: data.x.nCols, y: [...data.y], model: sk });
    const ours = [...model.coef].map((w, j) => w * model.featureScale[j]);
    // same sparsity pattern: a coefficient is exactly 0 on one side iff it is on the other
    assert.deepEqual(ours.map((v) => v === 0), ref.coef.map((v) => v === 0), `zeros differ for ${JSON.stringify(params)}`);
    // saga is stochastic-average gradient run to tol 1e-12 on the coefficient change; it stops within ~1e-7
    const d = compare(data, model, model.predictProba(data.x), sk);
    assert.ok(d.coef < 1e-5, `${JSON.stringify(params)} coef diff ${d.coef}`);
    assert.ok(d.pred < 1e-6, `${JSON.stringify(params)} probability diff ${d.pred}`);
  }
});

test('class weights and sample weights on creditcard match scikit-learn', need('creditcard_fraud'), async () => {
  const data = await numericTrainSet('creditcard_fraud', 1000);
  const weights = Float64Array.from({ length: data.x.nRows }, (_, i) => 0.5 + (i % 4));
  const model = await new LogisticRegression({ classWeight: 'balanced', tol: 1e-10 }).fit({ ...data, sampleWeight: weights });
  const d = compare(data, model, model.predictProba(data.x), "LogisticRegression(class_weight='balanced', solver='newton-cg', tol=1e-10, max_iter=1000)", weights);
  assert.ok(d.coef < 1e-5, `coef diff ${d.coef}`);
  assert.ok(d.pred < 1e-6, `probability diff ${d.pred}`);
});

test('Ridge on california housing (2,000 rows) with sample weights matches scikit-learn to rounding', need('california_housing'), async () => {
  const data = await numericTrainSet('california_housing', 2000);
  const weights = Float64Array.from({ length: data.x.nRows }, (_, i) => 1 + (i % 5));
  for (const solver of ['cholesky', 'cg'] as const) {
    const model = await new Ridge({ alpha: 3, solver, tol: 1e-14 }).fit({ ...data, sampleWeight: weights });
    // both sides solve the same normal equations directly (condition number ~1e3 after scaling): predictions
    // of ~2e5 agree to 1e-6 absolute, i.e. ~1e-11 relative
    const d = compare(data, model, model.predict(data.x), 'Ridge(alpha=3.0)', weights);
    assert.ok(d.coef < 1e-6, `${solver}: coef diff ${d.coef}`);
    assert.ok(d.pred < 1e-6, `${solver}: prediction diff ${d.pred}`);
  }
});
