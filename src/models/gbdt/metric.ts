// Validation metrics for early stopping, on raw scores: the training loss, ROC AUC (binary), error rate, RMSE, MAE.
// Fit-time only; the full metric catalogue for reports lives in train/metrics.

import type { EarlyStoppingMetric } from './params.js';
import { lossOutputs, lossValue, type LossConfig } from './loss.js';

export type StopMetric = Exclude<EarlyStoppingMetric, 'auto'>;

export const higherIsBetter = (m: StopMetric): boolean => m === 'auc';

export function stopMetricValue(metric: StopMetric, loss: LossConfig, y: Float64Array, raw: Float64Array, weight: Float64Array | null): number {
  const n = y.length;
  const k = lossOutputs(loss);
  const w = (i: number): number => (weight ? weight[i] : 1);
  switch (metric) {
    case 'loss':
      return lossValue(loss, y, raw, weight);
    case 'auc':
      return rocAuc(y, raw, weight);
    case 'error': {
      let wrong = 0;
      let total = 0;
      for (let i = 0; i < n; i++) {
        let pred: number;
        if (k === 1) pred = raw[i] > 0 ? 1 : 0;
        else {
          pred = 0;
          for (let j = 1; j < k; j++) if (raw[i * k + j] > raw[i * k + pred]) pred = j;
        }
        if (pred !== y[i]) wrong += w(i);
        total += w(i);
      }
      return wrong / total;
    }
    case 'rmse':
    case 'mae': {
      let s = 0;
      let total = 0;
      for (let i = 0; i < n; i++) {
        const p = loss.kind === 'poisson' ? Math.exp(raw[i]) : raw[i];
        const e = p - y[i];
        s += (metric === 'rmse' ? e * e : Math.abs(e)) * w(i);
        total += w(i);
      }
      return metric === 'rmse' ? Math.sqrt(s / total) : s / total;
    }
  }
}

/** Weighted ROC AUC of scores against 0/1 labels (ties count half). */
export function rocAuc(y: Float64Array, score: Float64Array, weight: Float64Array | null): number {
  const n = y.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => score[a] - score[b]);
  let negBelow = 0;
  let area = 0;
  let pos = 0;
  let neg = 0;
  for (let i = 0; i < n; ) {
    let wp = 0;
    let wn = 0;
    let j = i;
    for (; j < n && score[order[j]] === score[order[i]]; j++) {
      const w = weight ? weight[order[j]] : 1;
      if (y[order[j]] === 1) wp += w;
      else wn += w;
    }
    area += wp * negBelow + 0.5 * wp * wn;
    negBelow += wn;
    pos += wp;
    neg += wn;
    i = j;
  }
  return pos > 0 && neg > 0 ? area / (pos * neg) : 0.5;
}
