// Dataset drift: test every feature column of the current data against the reference and call the dataset
// drifted when the share of drifted columns reaches `driftShare` (0.5 by default, as Evidently).

import { KilnError } from '../core/errors.js';
import type { Frame } from '../core/frame.js';
import { columnDrift, type ColumnDrift } from './column-drift.js';
import { asSource, type ColumnSource } from './column-values.js';
import { type DriftOptions, resolveDriftOptions } from './drift-options.js';

export interface DatasetDrift {
  readonly columns: readonly ColumnDrift[];
  /** columns actually tested (not skipped) */
  readonly nTested: number;
  readonly nDrifted: number;
  /** nDrifted / nTested (0 when nothing could be tested) */
  readonly share: number;
  readonly driftShare: number;
  readonly drifted: boolean;
  readonly referenceRows: number;
  readonly currentRows: number;
  /** reference feature columns the current data lacks (only when columns were not named explicitly) */
  readonly absentColumns: readonly string[];
}

/** Compare `current` with `reference` column by column. Either side may be a Frame or a ColumnSource (a sketch). */
export function detectDrift(reference: Frame | ColumnSource, current: Frame | ColumnSource, options: Partial<DriftOptions> = {}): DatasetDrift {
  const opts = resolveDriftOptions(options);
  const ref = asSource(reference);
  const cur = asSource(current);
  if (cur.nRows === 0) throw new KilnError('E_DATA_EMPTY', 'the current data has no rows to compare with the reference');
  const { names, absent } = columnsToTest(ref, cur, opts);
  const columns: ColumnDrift[] = [];
  for (const name of names) {
    const r = ref.values(name);
    const c = cur.values(name);
    if (!r || !c)
      throw new KilnError('E_DATA_SCHEMA', `column "${name}" is ${ref.kindOf(name)} in the reference but ${cur.kindOf(name)} in the current data`, {
        hint: 'monitor data must be read with the same column types as the training data',
      });
    columns.push(columnDrift(name, r, c, opts));
  }
  return summarise(columns, opts.driftShare, ref.nRows, cur.nRows, absent);
}

/** Share of drifted columns and the dataset decision, from per-column results. */
export function summarise(columns: readonly ColumnDrift[], driftShare: number, referenceRows: number, currentRows: number, absentColumns: readonly string[] = []): DatasetDrift {
  const tested = columns.filter((c) => !c.skipped);
  const nDrifted = tested.filter((c) => c.drifted).length;
  const share = tested.length ? nDrifted / tested.length : 0;
  return {
    columns,
    nTested: tested.length,
    nDrifted,
    share,
    driftShare,
    drifted: tested.length > 0 && share >= driftShare,
    referenceRows,
    currentRows,
    absentColumns,
  };
}

const TESTABLE = new Set(['number', 'category']);

function columnsToTest(ref: ColumnSource, cur: ColumnSource, opts: Readonly<DriftOptions>): { names: string[]; absent: string[] } {
  const exclude = new Set(opts.exclude);
  if (opts.columns) {
    const problems: string[] = [];
    for (const name of opts.columns) {
      const kind = ref.kindOf(name);
      if (kind === undefined || cur.kindOf(name) === undefined)
        problems.push(`"${name}" is missing from the ${kind === undefined ? 'reference' : 'current'} data`);
      else if (!TESTABLE.has(kind)) problems.push(`"${name}" is a ${kind} column (only number and category columns are tested)`);
    }
    if (problems.length) throw new KilnError('E_DATA_SCHEMA', `cannot test drift: ${problems.join('; ')}`);
    return { names: opts.columns.filter((n) => !exclude.has(n)), absent: [] };
  }
  const names: string[] = [];
  const absent: string[] = [];
  for (const name of ref.names) {
    const kind = ref.kindOf(name);
    if (exclude.has(name) || kind === undefined || !TESTABLE.has(kind)) continue;
    if (cur.kindOf(name) === undefined) absent.push(name);
    else names.push(name);
  }
  return { names, absent };
}
