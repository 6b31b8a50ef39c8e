// The drift settings, declared once: default, meaning and constraint for each. Defaults reproduce Evidently's
// default data-drift preset (see column-drift.ts for the selection rule).

import { constraints, mergeParams, validateParams, type ParamTable } from '../core/params.js';

export const DRIFT_TESTS = ['ks', 'chi_square', 'wasserstein', 'jensen_shannon', 'psi'] as const;
export type DriftTestName = (typeof DRIFT_TESTS)[number];

/** p-value tests flag drift when p < threshold; distance tests when distance >= threshold */
export const P_VALUE_TESTS: ReadonlySet<DriftTestName> = new Set(['ks', 'chi_square']);

export interface DriftOptions {
  /** columns to test; null = every number and category column present in both data sets, minus `exclude` */
  columns: readonly string[] | null;
  /** columns never tested (target, identifiers, timestamps, prediction columns) */
  exclude: readonly string[];
  /** the dataset drifts when the share of drifted columns is >= this */
  driftShare: number;
  /** references with at most this many present values get the p-value tests (KS, chi-square) */
  smallReferenceRows: number;
  /** a numeric column with at most this many distinct values (reference and current together) is tested as categorical */
  fewValues: number;
  /** one test for every column instead of the default rule (null = the rule) */
  test: DriftTestName | null;
  /** a test per column name, taking precedence over `test` and the rule */
  columnTests: Readonly<Record<string, DriftTestName>>;
  /** thresholds per test; missing entries use DEFAULT_THRESHOLDS */
  thresholds: Readonly<Partial<Record<DriftTestName, number>>>;
  /** number of reference-quantile bins for PSI on numeric columns */
  psiBins: number;
  /** logarithm base of the Jensen–Shannon distance (2 as Evidently: the distance lies in [0, 1]) */
  jensenShannonBase: number;
}

export const DEFAULT_THRESHOLDS: Readonly<Record<DriftTestName, number>> = {
  ks: 0.05,
  chi_square: 0.05,
  wasserstein: 0.1,
  jensen_shannon: 0.1,
  psi: 0.1,
};

/** constraint: a list of column names */
export const stringList = (v: unknown): string | null =>
  Array.isArray(v) && v.every((s) => typeof s === 'string') ? null : 'must be a list of column names';

export const DRIFT_OPTIONS: ParamTable<DriftOptions> = {
  columns: { default: null, doc: 'columns to test (null: all shared number/category columns)', check: constraints.nullable(stringList) },
  exclude: { default: [], doc: 'columns never tested', check: stringList },
  driftShare: { default: 0.5, doc: 'share of drifted columns that makes the dataset drift', check: constraints.fraction },
  smallReferenceRows: { default: 1000, doc: 'reference size up to which p-value tests are used', check: constraints.int(1) },
  fewValues: { default: 5, doc: 'distinct values up to which a numeric column is tested as categorical', check: constraints.int(0) },
  test: { default: null, doc: 'force one test for all columns', check: constraints.nullable(constraints.oneOf(...DRIFT_TESTS)) },
  columnTests: {
    default: {},
    doc: 'test per column',
    check: (v) =>
      typeof v === 'object' && v !== null && Object.values(v).every((t) => (DRIFT_TESTS as readonly string[]).includes(t as string))
        ? null
        : `must map column names to one of ${DRIFT_TESTS.join(', ')}`,
  },
  thresholds: {
    default: {},
    doc: 'threshold per test',
    check: (v) => {
      if (typeof v !== 'object' || v === null) return 'must map test names to numbers';
      for (const [k, t] of Object.entries(v)) {
        if (!(DRIFT_TESTS as readonly string[]).includes(k)) return `has unknown test "${k}" (known: ${DRIFT_TESTS.join(', ')})`;
        if (typeof t !== 'number' || !(t > 0)) return `${k} must be a number > 0`;
      }
      return null;
    },
  },
  psiBins: { default: 10, doc: 'reference-quantile bins for PSI', check: constraints.int(2, 1000) },
  jensenShannonBase: { default: 2, doc: 'log base of the Jensen–Shannon distance', check: constraints.gt(1) },
};

export function resolveDriftOptions(given: Partial<DriftOptions> = {}): Readonly<DriftOptions> {
  const options = mergeParams(DRIFT_OPTIONS, given);
  validateParams(DRIFT_OPTIONS, options, 'drift options');
  return options;
}

export function thresholdFor(options: Readonly<DriftOptions>, test: DriftTestName): number {
  return options.thresholds[test] ?? DEFAULT_THRESHOLDS[test];
}
