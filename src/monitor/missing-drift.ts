// Missing-value drift: has the share of missing values of a column changed? A chi-square test on the 2 × 2
// table (missing, present) × (reference, current), flagged only when the change is also large enough to matter
// (with many rows a tiny, harmless change is "significant").

import type { Frame } from '../core/frame.js';
import { constraints, mergeParams, validateParams, type ParamTable } from '../core/params.js';
import { asSource, type ColumnSource } from './column-values.js';
import { stringList } from './drift-options.js';
import { chiSquareHomogeneity } from './stats/chi-square.js';

export interface MissingDriftOptions {
  /** columns to check; null = every column present in both */
  columns: readonly string[] | null;
  exclude: readonly string[];
  /** significance level of the chi-square test */
  alpha: number;
  /** smallest absolute change in the missing share that counts (0.02 = two percentage points) */
  minChange: number;
}

const MISSING_OPTIONS: ParamTable<MissingDriftOptions> = {
  columns: { default: null, doc: 'columns to check', check: constraints.nullable(stringList) },
  exclude: { default: [], doc: 'columns not checked', check: stringList },
  alpha: { default: 0.05, doc: 'significance level', check: constraints.range(0, 1) },
  minChange: { default: 0.02, doc: 'smallest change in missing share that counts', check: constraints.range(0, 1) },
};

export interface ColumnMissingDrift {
  readonly column: string;
  readonly referenceShare: number;
  readonly currentShare: number;
  readonly pValue: number;
  readonly drifted: boolean;
}

export interface MissingDrift {
  readonly columns: readonly ColumnMissingDrift[];
  readonly nDrifted: number;
}

export function missingValueDrift(reference: Frame | ColumnSource, current: Frame | ColumnSource, options: Partial<MissingDriftOptions> = {}): MissingDrift {
  const opts = mergeParams(MISSING_OPTIONS, options);
  validateParams(MISSING_OPTIONS, opts, 'missing-value drift options');
  const ref = asSource(reference);
  const cur = asSource(current);
  const exclude = new Set(opts.exclude);
  const names = (opts.columns ?? ref.names.filter((n) => cur.kindOf(n) !== undefined)).filter((n) => !exclude.has(n));
  const columns = names.map((column): ColumnMissingDrift => {
    const r = ref.missing(column);
    const c = cur.missing(column);
    const referenceShare = r.nRows ? r.nMissing / r.nRows : 0;
    const currentShare = c.nRows ? c.nMissing / c.nRows : 0;
    const { pValue } = chiSquareHomogeneity([r.nMissing, r.nRows - r.nMissing], [c.nMissing, c.nRows - c.nMissing]);
    const drifted = pValue < opts.alpha && Math.abs(currentShare - referenceShare) >= opts.minChange;
    return { column, referenceShare, currentShare, pValue, drifted };
  });
  return { columns, nDrifted: columns.filter((c) => c.drifted).length };
}
