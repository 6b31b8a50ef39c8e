// Drift of one column: choose the test the way Evidently does by default, run it, and report
// { column, type, test, score, threshold, drifted }.
//
// The default rule (Evidently's `_get_default_stattest`), with n = present reference values and
// k = distinct present values over reference and current together:
//   n <= 1000 (smallReferenceRows):  numeric with k > 5 → KS;  categorical, or numeric with k <= 5 → chi-square
//   n >  1000:                        numeric with k > 5 → normalised Wasserstein;  otherwise → Jensen–Shannon
// P-value tests drift when p < 0.05; distances when distance >= 0.1. Evidently runs a two-proportion z-test
// when k <= 2; our chi-square on the same 2 × 2 table gives the identical p-value (χ² = z²).

import { KilnError } from '../core/errors.js';
import { alignedCounts, distinctUnion, type ColumnValues, type NumericValues } from './column-values.js';
import { type DriftOptions, type DriftTestName, P_VALUE_TESTS, thresholdFor } from './drift-options.js';
import { countInBins, histogramCounts, quantileEdges, sturgesEdges } from './stats/binning.js';
import { chiSquareHomogeneity } from './stats/chi-square.js';
import { jensenShannonDistance, normalisedWasserstein, populationStabilityIndex } from './stats/distances.js';
import { ksTwoSample } from './stats/ks-two-sample.js';

export interface ColumnDrift {
  readonly column: string;
  readonly type: 'numeric' | 'categorical';
  readonly test: DriftTestName;
  /** the p-value (ks, chi_square) or the distance (wasserstein, jensen_shannon, psi); NaN when skipped */
  readonly score: number;
  readonly threshold: number;
  readonly drifted: boolean;
  /** the test statistic: KS distance D or χ²; equal to `score` for the distance tests */
  readonly statistic: number;
  /** present (non-missing) values compared on each side */
  readonly referenceRows: number;
  readonly currentRows: number;
  /** why the column could not be tested (e.g. no values in the current data) */
  readonly skipped?: string;
}

/** Evidently's default test for a column (see the rule at the top of this file). */
export function defaultTest(reference: ColumnValues, current: ColumnValues, options: Readonly<DriftOptions>): DriftTestName {
  const few = reference.kind === 'categorical' || distinctUnion(reference, current, options.fewValues) <= options.fewValues;
  if (reference.nPresent <= options.smallReferenceRows) return few ? 'chi_square' : 'ks';
  return few ? 'jensen_shannon' : 'wasserstein';
}

/** Test one prepared column against its reference. */
export function columnDrift(column: string, reference: ColumnValues, current: ColumnValues, options: Readonly<DriftOptions>): ColumnDrift {
  if (reference.kind !== current.kind)
    throw new KilnError('E_DATA_SCHEMA', `column "${column}" is ${reference.kind} in the reference but ${current.kind} in the current data`, {
      hint: 'monitor data must be read with the same column types as the training data',
    });
  const type = reference.kind;
  const base = { column, type, referenceRows: reference.nPresent, currentRows: current.nPresent };
  const chosen = options.columnTests[column] ?? options.test;
  if (reference.nPresent === 0 || current.nPresent === 0) {
    const test = chosen ?? (type === 'numeric' ? 'ks' : 'chi_square');
    const side = reference.nPresent === 0 ? 'reference' : 'current';
    return { ...base, test, score: NaN, statistic: NaN, threshold: thresholdFor(options, test), drifted: false, skipped: `no values in the ${side} data` };
  }
  const test = chosen ?? defaultTest(reference, current, options);
  const threshold = thresholdFor(options, test);
  const { score, statistic } = runTest(column, test, reference, current, options);
  const drifted = P_VALUE_TESTS.has(test) ? score < threshold : score >= threshold;
  return { ...base, test, score, statistic, threshold, drifted };
}

function runTest(
  column: string,
  test: DriftTestName,
  reference: ColumnValues,
  current: ColumnValues,
  options: Readonly<DriftOptions>,
): { score: number; statistic: number } {
  switch (test) {
    case 'ks': {
      const [ref, cur] = numericPair(column, test, reference, current);
      const r = ksTwoSample(ref.sorted, cur.sorted);
      return { score: r.pValue, statistic: r.statistic };
    }
    case 'wasserstein': {
      const [ref, cur] = numericPair(column, test, reference, current);
      const d = normalisedWasserstein(ref.sorted, cur.sorted, ref.std);
      return { score: d, statistic: d };
    }
    case 'chi_square': {
      const t = alignedCounts(reference, current);
      const r = chiSquareHomogeneity(t.reference, t.current);
      return { score: r.pValue, statistic: r.statistic };
    }
    case 'jensen_shannon': {
      const [ref, cur] = histogramPair(reference, current, 'sturges', options);
      const d = jensenShannonDistance(ref, cur, options.jensenShannonBase);
      return { score: d, statistic: d };
    }
    case 'psi': {
      const [ref, cur] = histogramPair(reference, current, 'quantile', options);
      const d = populationStabilityIndex(ref, cur);
      return { score: d, statistic: d };
    }
  }
}

function numericPair(column: string, test: DriftTestName, reference: ColumnValues, current: ColumnValues): [NumericValues, NumericValues] {
  if (reference.kind !== 'numeric' || current.kind !== 'numeric')
    throw new KilnError('E_PARAM', `the ${test} test needs a numeric column, but "${column}" is categorical`, {
      hint: 'use chi_square, jensen_shannon or psi for categorical columns',
    });
  return [reference, current];
}

/**
 * The two histograms a binned score compares. Categorical columns, and numeric columns with at most 20
 * distinct reference values, count per value (Evidently's rule); other numeric columns are binned — Sturges
 * equal-width bins over both samples for Jensen–Shannon (as Evidently), reference quantiles for PSI.
 */
function histogramPair(reference: ColumnValues, current: ColumnValues, binning: 'sturges' | 'quantile', options: Readonly<DriftOptions>): [Float64Array, Float64Array] {
  if (reference.kind === 'categorical' || current.kind === 'categorical' || (binning === 'sturges' && reference.distinct)) {
    const t = alignedCounts(reference, current);
    return [t.reference, t.current];
  }
  if (binning === 'sturges') {
    const edges = sturgesEdges(reference.sorted, current.sorted);
    return [histogramCounts(reference.sorted, edges), histogramCounts(current.sorted, edges)];
  }
  const edges = quantileEdges(reference.sorted, options.psiBins);
  return [countInBins(reference.sorted, edges), countInBins(current.sorted, edges)];
}
