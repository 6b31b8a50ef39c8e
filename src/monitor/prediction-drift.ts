// Prediction drift: has the distribution of the model's outputs moved? Binary classifiers are compared on the
// positive-class score, regressors on the predicted value (numeric tests), multiclass classifiers on the
// predicted class (categorical tests) — with the same default rule and thresholds as the feature columns.

import type { Task } from '../core/learner.js';
import { KilnError } from '../core/errors.js';
import type { Column } from '../core/frame.js';
import { columnDrift, type ColumnDrift } from './column-drift.js';
import { columnValues, type ColumnValues } from './column-values.js';
import { type DriftOptions, resolveDriftOptions } from './drift-options.js';

/**
 * `reference` holds the model's outputs on the reference rows (e.g. a sketch's prediction column), `current`
 * those logged in production: a number column of scores/values, or for multiclass a category column of labels.
 */
export function predictionDrift(task: Task, reference: Column | ColumnValues, current: Column | ColumnValues, options: Partial<DriftOptions> = {}): ColumnDrift {
  const ref = prepare(reference);
  const cur = prepare(current);
  const expected = task === 'multiclass' ? 'categorical' : 'numeric';
  for (const [side, v] of [['reference', ref], ['current', cur]] as const)
    if (v.kind !== expected)
      throw new KilnError('E_DATA_SCHEMA', `${task} prediction drift needs ${expected} predictions, but the ${side} ones are ${v.kind}`, {
        hint: task === 'multiclass' ? 'pass the predicted class labels' : 'pass the positive-class probability (binary) or the predicted value (regression)',
      });
  return columnDrift('prediction', ref, cur, resolveDriftOptions(options));
}

function prepare(v: Column | ColumnValues): ColumnValues {
  if (v.kind === 'numeric' || v.kind === 'categorical') return v;
  const prepared = columnValues(v);
  if (!prepared) throw new KilnError('E_DATA_SCHEMA', `predictions must be a number or category column, not ${v.kind}`);
  return prepared;
}
