// Metrics parity with scikit-learn on fixed random inputs, including tied scores, weights, probabilities of
// exactly 0 and 1, and a class never predicted. Tolerance 1e-9 absolute: both sides compute the same
// formulas in float64, and only the order of summation differs (numpy sums pairwise), which moves results by
// ~1e-15 for these sizes.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../src/core/rng.js';
import {
  accuracy,
  averagePrecision,
  balancedAccuracy,
  binaryScores,
  calibrationBins,
  confusionMatrix,
  f1Macro,
  logLoss,
  mae,
  precisionRecallCurve,
  r2,
  rmse,
  rocAuc,
  rocAucOvr,
  rocCurve,
} from '../../src/train/metrics/index.js';
import { runPython, sklearnOnly } from './sklearn-bridge.js';

const TOL = 1e-9;

function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= TOL, `${what}: kiln ${actual} vs scikit-learn ${expected}`);
}
function closeArrays(actual: ArrayLike<number>, expected: number[], what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) close(actual[i], expected[i], `${what}[${i}]`);
}

const rng = new Rng(7);
const n = 600;
// binary labels correlated with a score rounded to 0.05, so many scores tie
const yBin = new Float64Array(n);
const score = new Float64Array(n);
const weights = new Float64Array(n);
for (let i = 0; i < n; i++) {
  yBin[i] = rng.next() < 0.3 ? 1 : 0;
  const raw = Math.min(1, Math.max(0, 0.35 * yBin[i] + 0.65 * rng.next()));
  score[i] = Math.round(raw * 20) / 20; // includes exact 0 and 1
  weights[i] = 0.5 + rng.int(4);
}
const predBin = Float64Array.from(score, (s) => (s >= 0.5 ? 1 : 0));
const probaBin = new Float64Array(2 * n);
for (let i = 0; i < n; i++) {
  probaBin[2 * i] = 1 - score[i];
  probaBin[2 * i + 1] = score[i];
}
// multiclass: 4 classes, class 3 is never predicted
const k = 4;
const yMulti = new Float64Array(n);
const probaMulti = new Float64Array(n * k);
for (let i = 0; i < n; i++) {
  yMulti[i] = rng.int(k);
  let s = 0;
  for (let c = 0; c < k; c++) {
    const v = rng.next() + (c === yMulti[i] ? 0.8 : 0);
    probaMulti[i * k + c] = c === 3 ? v * 0.2 : v;
    s += probaMulti[i * k + c];
  }
  for (let c = 0; c < k; c++) probaMulti[i * k + c] /= s;
}
const predMulti = new Float64Array(n);
for (let i = 0; i < n; i++) {
  let best = 0;
  for (let c = 1; c < k; c++) if (probaMulti[i * k + c] > probaMulti[i * k + best]) best = c;
  predMulti[i] = best;
}
// regression
const yReg = Float64Array.from({ length: n }, () => rng.normal() * 10 + 3);
const predReg = Float64Array.from(yReg, (v) => v + rng.normal() * 4);

const SCRIPT = `
import json, sys
import numpy as np
from sklearn import metrics
from sklearn.calibration import calibration_curve
d = json.load(sys.stdin)
yb, s, w, pb = np.array(d['yBin']), np.array(d['score']), np.array(d['weights']), np.array(d['predBin'])
ym, pm, qm = np.array(d['yMulti']), np.array(d['probaMulti']).reshape(-1, 4), np.array(d['predMulti'])
yr, pr = np.array(d['yReg']), np.array(d['predReg'])
out = {}
out['roc_auc'] = metrics.roc_auc_score(yb, s)
out['roc_auc_w'] = metrics.roc_auc_score(yb, s, sample_weight=w)
out['ap'] = metrics.average_precision_score(yb, s)
out['ap_w'] = metrics.average_precision_score(yb, s, sample_weight=w)
fpr, tpr, _ = metrics.roc_curve(yb, s)
out['roc_fpr'], out['roc_tpr'] = fpr.tolist(), tpr.tolist()
p, r, t = metrics.precision_recall_curve(yb, s)
out['pr_p'], out['pr_r'], out['pr_t'] = p.tolist(), r.tolist(), t.tolist()
out['log_loss_bin'] = metrics.log_loss(yb, s)
out['log_loss_bin_w'] = metrics.log_loss(yb, s, sample_weight=w)
out['acc'] = metrics.accuracy_score(yb, pb)
out['acc_w'] = metrics.accuracy_score(yb, pb, sample_weight=w)
out['f1'] = metrics.f1_score(yb, pb)
out['prec'] = metrics.precision_score(yb, pb)
out['rec'] = metrics.recall_score(yb, pb)
out['f1_w'] = metrics.f1_score(yb, pb, sample_weight=w)
out['bal_bin'] = metrics.balanced_accuracy_score(yb, pb)
out['cm_bin'] = metrics.confusion_matrix(yb, pb).ravel().tolist()
pt, pp = calibration_curve(yb, s, n_bins=10)
out['cal_u'] = [pt.tolist(), pp.tolist()]
pt, pp = calibration_curve(yb, s, n_bins=7, strategy='quantile')
out['cal_q'] = [pt.tolist(), pp.tolist()]
out['log_loss_multi'] = metrics.log_loss(ym, pm, labels=[0, 1, 2, 3])
out['acc_multi'] = metrics.accuracy_score(ym, qm)
out['f1_macro'] = metrics.f1_score(ym, qm, average='macro')
out['f1_macro_w'] = metrics.f1_score(ym, qm, average='macro', sample_weight=w)
out['bal_multi'] = metrics.balanced_accuracy_score(ym, qm)
out['bal_multi_w'] = metrics.balanced_accuracy_score(ym, qm, sample_weight=w)
out['auc_ovr'] = metrics.roc_auc_score(ym, pm, multi_class='ovr')
out['cm_multi'] = metrics.confusion_matrix(ym, qm, labels=[0, 1, 2, 3]).ravel().tolist()
out['rmse'] = float(np.sqrt(metrics.mean_squared_error(yr, pr)))
out['rmse_w'] = float(np.sqrt(metrics.mean_squared_error(yr, pr, sample_weight=w)))
out['mae'] = metrics.mean_absolute_error(yr, pr)
out['mae_w'] = metrics.mean_absolute_error(yr, pr, sample_weight=w)
out['r2'] = metrics.r2_score(yr, pr)
out['r2_w'] = metrics.r2_score(yr, pr, sample_weight=w)
out['auc_const'] = metrics.roc_auc_score(yb, np.full(len(yb), 0.3))
out['ap_const'] = metrics.average_precision_score(yb, np.full(len(yb), 0.3))
json.dump({k: (float(v) if np.isscalar(v) else v) for k, v in out.items()}, sys.stdout)
`;

test('metrics match scikit-learn to 1e-9 on fixed inputs with ties, weights and an unpredicted class', sklearnOnly(), () => {
  const ref = runPython<Record<string, number & number[] & number[][]>>(SCRIPT, {
    yBin: [...yBin], score: [...score], weights: [...weights], predBin: [...predBin],
    yMulti: [...yMulti], probaMulti: [...probaMulti], predMulti: [...predMulti],
    yReg: [...yReg], predReg: [...predReg],
  });
  close(rocAuc(yBin, score), ref.roc_auc, 'roc_auc');
  close(rocAuc(yBin, score, weights), ref.roc_auc_w, 'roc_auc weighted');
  close(averagePrecision(yBin, score), ref.ap, 'average precision');
  close(averagePrecision(yBin, score, weights), ref.ap_w, 'average precision weighted');
  const roc = rocCurve(yBin, score);
  closeArrays(roc.fpr, ref.roc_fpr, 'roc fpr');
  closeArrays(roc.tpr, ref.roc_tpr, 'roc tpr');
  const pr = precisionRecallCurve(yBin, score);
  closeArrays(pr.precision, ref.pr_p, 'pr precision');
  closeArrays(pr.recall, ref.pr_r, 'pr recall');
  closeArrays(pr.thresholds, ref.pr_t, 'pr thresholds');
  close(logLoss(yBin, probaBin, 2), ref.log_loss_bin, 'log_loss binary (with p = 0 and 1 clipped)');
  close(logLoss(yBin, probaBin, 2, { weights }), ref.log_loss_bin_w, 'log_loss binary weighted');
  close(accuracy(yBin, predBin), ref.acc, 'accuracy');
  close(accuracy(yBin, predBin, weights), ref.acc_w, 'accuracy weighted');
  const b = binaryScores(yBin, predBin);
  close(b.f1, ref.f1, 'f1');
  close(b.precision, ref.prec, 'precision');
  close(b.recall, ref.rec, 'recall');
  close(binaryScores(yBin, predBin, weights).f1, ref.f1_w, 'f1 weighted');
  close(balancedAccuracy(yBin, predBin), ref.bal_bin, 'balanced accuracy binary');
  assert.deepEqual([...confusionMatrix(yBin, predBin).counts], ref.cm_bin);
  const nonEmpty = (c: ReturnType<typeof calibrationBins>): [number[], number[]] => {
    const t: number[] = [];
    const p: number[] = [];
    c.count.forEach((m, i) => {
      if (m > 0) {
        t.push(c.fractionPositive[i]);
        p.push(c.meanPredicted[i]);
      }
    });
    return [t, p];
  };
  const cu = nonEmpty(calibrationBins(yBin, score, { nBins: 10 }));
  closeArrays(cu[0], ref.cal_u[0], 'calibration uniform fraction positive');
  closeArrays(cu[1], ref.cal_u[1], 'calibration uniform mean predicted');
  const cq = nonEmpty(calibrationBins(yBin, score, { nBins: 7, strategy: 'quantile' }));
  closeArrays(cq[0], ref.cal_q[0], 'calibration quantile fraction positive');
  closeArrays(cq[1], ref.cal_q[1], 'calibration quantile mean predicted');
  close(logLoss(yMulti, probaMulti, k), ref.log_loss_multi, 'log_loss multiclass');
  close(accuracy(yMulti, predMulti), ref.acc_multi, 'accuracy multiclass');
  close(f1Macro(yMulti, predMulti), ref.f1_macro, 'f1_macro (class 3 never predicted)');
  close(f1Macro(yMulti, predMulti, { weights }), ref.f1_macro_w, 'f1_macro weighted');
  close(balancedAccuracy(yMulti, predMulti), ref.bal_multi, 'balanced accuracy multiclass');
  close(balancedAccuracy(yMulti, predMulti, { weights }), ref.bal_multi_w, 'balanced accuracy multiclass weighted');
  close(rocAucOvr(yMulti, probaMulti, k), ref.auc_ovr, 'roc_auc one-vs-rest');
  assert.deepEqual([...confusionMatrix(yMulti, predMulti, { nClasses: k }).counts], ref.cm_multi);
  close(rmse(yReg, predReg), ref.rmse, 'rmse');
  close(rmse(yReg, predReg, weights), ref.rmse_w, 'rmse weighted');
  close(mae(yReg, predReg), ref.mae, 'mae');
  close(mae(yReg, predReg, weights), ref.mae_w, 'mae weighted');
  close(r2(yReg, predReg), ref.r2, 'r2');
  close(r2(yReg, predReg, weights), ref.r2_w, 'r2 weighted');
  const constant = new Float64Array(n).fill(0.3);
  close(rocAuc(yBin, constant), ref.auc_const, 'roc_auc of a constant score');
  close(averagePrecision(yBin, constant), ref.ap_const, 'average precision of a constant score');
});
