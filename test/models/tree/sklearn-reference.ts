// Runs scikit-learn (through sklearn_reference.py) on a slice of a shared dataset and reads back the same encoded
// matrices, so Kiln's learners and scikit-learn's are compared on identical input. Also holds the metrics the
// reference tests score both sides with. Used by the tree, forest, neighbours, naive Bayes and MLP tests and by the
// `families` benchmark.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FeatureInfo, Matrix, TrainSet } from '../../../src/core/learner.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sklearn_reference.py');

export interface ReferenceModelSpec {
  name: string;
  /** dotted class name, e.g. sklearn.ensemble.RandomForestClassifier */
  class: string;
  params?: Record<string, unknown>;
}

export interface ReferenceJob {
  dataset: string;
  /** first rows of train.csv / test.csv; 0 = all */
  nTrain: number;
  nTest: number;
  encoding: 'dense' | 'ordinal' | 'ordinal_imputed' | 'text_counts';
  models: ReferenceModelSpec[];
}

export interface ReferenceRun {
  task: 'binary' | 'multiclass' | 'regression';
  train: TrainSet;
  test: { x: Matrix; y: Float64Array };
  /** per model: test output (probabilities n × k row-major, or values), seconds, extras such as oob_score */
  sklearn: Record<string, { output: Float64Array; fitSeconds: number; predictSeconds: number; extra: Record<string, number> }>;
}

let availability: string | null | undefined;

/** null when python3 with scikit-learn is usable, else the reason (tests skip locally, fail when CI=true). */
export function sklearnUnavailable(): string | null {
  if (availability === undefined) {
    const r = spawnSync(PYTHON, ['-c', 'import sklearn, pandas'], { encoding: 'utf8' });
    availability = r.status === 0 ? null : `scikit-learn is not importable from ${PYTHON}: ${(r.stderr || String(r.error)).trim().slice(0, 200)}`;
    if (availability && process.env.CI === 'true') throw new Error(availability);
  }
  return availability;
}

function readF64(file: string): Float64Array {
  const b = readFileSync(file);
  // copy into a fresh, aligned buffer
  return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

export function runReference(job: ReferenceJob): ReferenceRun {
  const dir = mkdtempSync(path.join(tmpdir(), 'kiln-ref-'));
  try {
    const input = JSON.stringify({
      dataset: job.dataset,
      n_train: job.nTrain,
      n_test: job.nTest,
      encoding: job.encoding,
      out: dir,
      models: job.models,
    });
    const r = spawnSync(PYTHON, [SCRIPT], { input, encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) throw new Error(`sklearn_reference.py failed: ${r.stderr || r.error}`);
    const meta = JSON.parse(readFileSync(path.join(dir, 'meta.json'), 'utf8')) as {
      task: 'binary' | 'multiclass' | 'regression';
      n_train: number;
      n_test: number;
      n_cols: number;
      n_classes: number | null;
      features: FeatureInfo[];
      models: Record<string, { fit_s: number; predict_s: number } & Record<string, number>>;
    };
    const train: TrainSet = {
      x: { nRows: meta.n_train, nCols: meta.n_cols, data: readF64(path.join(dir, 'x_train.f64')) },
      y: readF64(path.join(dir, 'y_train.f64')),
      features: meta.features,
      ...(meta.n_classes ? { nClasses: meta.n_classes } : {}),
    };
    const test = {
      x: { nRows: meta.n_test, nCols: meta.n_cols, data: readF64(path.join(dir, 'x_test.f64')) },
      y: readF64(path.join(dir, 'y_test.f64')),
    };
    const sklearn: ReferenceRun['sklearn'] = {};
    for (const [name, m] of Object.entries(meta.models)) {
      const { fit_s, predict_s, ...extra } = m;
      sklearn[name] = { output: readF64(path.join(dir, `${name}.f64`)), fitSeconds: fit_s, predictSeconds: predict_s, extra };
    }
    return { task: meta.task, train, test, sklearn };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- metrics, computed the same way for both libraries ----

/** accuracy of the argmax of n × k probabilities */
export function accuracyFromProba(proba: Float64Array, y: Float64Array, k: number): number {
  let right = 0;
  for (let i = 0; i < y.length; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (proba[i * k + c] > proba[i * k + best]) best = c;
    if (best === y[i]) right++;
  }
  return right / y.length;
}

/** mean negative log-likelihood, probabilities clipped to [1e-15, 1] as scikit-learn's log_loss does */
export function logLoss(proba: Float64Array, y: Float64Array, k: number): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s -= Math.log(Math.min(1, Math.max(1e-15, proba[i * k + y[i]])));
  return s / y.length;
}

/** ROC AUC of scores for the positive class (ties count one half) */
export function rocAuc(score: ArrayLike<number>, y: Float64Array): number {
  const idx = Array.from({ length: y.length }, (_, i) => i).sort((a, b) => score[a] - score[b]);
  let rankSumPos = 0;
  let nPos = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j < idx.length && score[idx[j]] === score[idx[i]]) j++;
    const rank = (i + j + 1) / 2; // mean 1-based rank of the tie group
    for (let t = i; t < j; t++) if (y[idx[t]] === 1) {
      rankSumPos += rank;
      nPos++;
    }
    i = j;
  }
  const nNeg = y.length - nPos;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/** column c of n × k probabilities */
export function probaColumn(proba: Float64Array, k: number, c: number): Float64Array {
  const out = new Float64Array(proba.length / k);
  for (let i = 0; i < out.length; i++) out[i] = proba[i * k + c];
  return out;
}

export function rmse(pred: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (pred[i] - y[i]) ** 2;
  return Math.sqrt(s / y.length);
}

export function r2(pred: Float64Array, y: Float64Array): number {
  let mean = 0;
  for (let i = 0; i < y.length; i++) mean += y[i];
  mean /= y.length;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < y.length; i++) {
    ssRes += (pred[i] - y[i]) ** 2;
    ssTot += (y[i] - mean) ** 2;
  }
  return 1 - ssRes / ssTot;
}
