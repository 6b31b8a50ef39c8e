// Reliability (calibration) bins for a report: in each bin of predicted probability, the mean prediction
// against the observed fraction of positives. Same binning as scikit-learn's `calibration_curve`.

import { checkLabels, checkLength, checkNotEmpty, metricError } from './inputs.js';

export interface CalibrationBins {
  /** (nBins + 1) bin edges; bin b holds predictions p with edges[b] < p <= edges[b + 1] (the first also holds edges[0]) */
  readonly edges: Float64Array;
  /** (nBins) rows in each bin */
  readonly count: Float64Array;
  /** (nBins) mean predicted probability per bin, NaN for an empty bin */
  readonly meanPredicted: Float64Array;
  /** (nBins) observed fraction of positives per bin, NaN for an empty bin */
  readonly fractionPositive: Float64Array;
}

/**
 * `strategy: 'uniform'` cuts [0, 1] into equal widths; `'quantile'` puts about as many rows in each bin
 * (edges at the empirical quantiles, linear interpolation as numpy's default percentile).
 */
export function calibrationBins(yTrue: ArrayLike<number>, probability: ArrayLike<number>, options: { nBins?: number; strategy?: 'uniform' | 'quantile' } = {}): CalibrationBins {
  const n = yTrue.length;
  const nBins = options.nBins ?? 10;
  checkNotEmpty('calibration', n);
  checkLength('calibration', 'probabilities', probability, n);
  checkLabels('calibration', yTrue, 2);
  if (!(Number.isInteger(nBins) && nBins >= 1)) metricError('calibration', `nBins = ${nBins}: must be an integer >= 1`);
  for (let i = 0; i < n; i++) {
    const p = probability[i];
    if (!(p >= 0 && p <= 1)) metricError('calibration', `probabilities[${i}] = ${p} is outside [0, 1]`);
  }
  const edges = new Float64Array(nBins + 1);
  if (options.strategy === 'quantile') {
    const sorted = Float64Array.from(probability).sort();
    // numpy: percentile(p, linspace(0, 1, nBins + 1) * 100), each q divided back by 100
    for (let b = 0; b <= nBins; b++) edges[b] = quantileLinear(sorted, (b * (1 / nBins) * 100) / 100);
  } else {
    for (let b = 0; b < nBins; b++) edges[b] = b * (1 / nBins);
    edges[nBins] = 1;
  }
  const count = new Float64Array(nBins);
  const sumPredicted = new Float64Array(nBins);
  const sumPositive = new Float64Array(nBins);
  for (let i = 0; i < n; i++) {
    const b = binOf(edges, probability[i]);
    count[b]++;
    sumPredicted[b] += probability[i];
    sumPositive[b] += yTrue[i];
  }
  const meanPredicted = new Float64Array(nBins);
  const fractionPositive = new Float64Array(nBins);
  for (let b = 0; b < nBins; b++) {
    meanPredicted[b] = count[b] ? sumPredicted[b] / count[b] : NaN;
    fractionPositive[b] = count[b] ? sumPositive[b] / count[b] : NaN;
  }
  return { edges, count, meanPredicted, fractionPositive };
}

/** the number of inner edges strictly below p (numpy's searchsorted, side "left", on edges[1..nBins-1]) */
function binOf(edges: Float64Array, p: number): number {
  let lo = 1;
  let hi = edges.length - 1; // search edges[1 .. length-2]
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid] < p) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** numpy's default ("linear") quantile of sorted values, with its rounding-stable interpolation */
export function quantileLinear(sorted: ArrayLike<number>, q: number): number {
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const t = position - below;
  const a = sorted[below];
  const b = sorted[above];
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}
