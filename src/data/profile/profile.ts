// The data-quality profile of a data set: per-column statistics, dataset warnings and, with a target,
// class balance and each column's predictive power (for suspected leakage). Plain JSON-able data.

import { KilnError } from '../../core/errors.js';
import type { Column, Frame } from '../../core/frame.js';
import type { Dataset, SourceReport } from '../read-options.js';
import { countDuplicates } from '../row-hash.js';
import type { ColumnInfo } from '../schema.js';
import { type ColumnProfile, profileColumn } from './column-profile.js';
import { type ColumnPower, type EncodedTarget, scoreColumns, type TargetTask } from './predictive-power.js';
import { badRowsWarning, columnWarnings, type DataWarning, duplicateWarning, imbalanceWarning, leakageWarnings } from './warnings.js';

export interface ProfileOptions {
  /** the column to predict: adds class balance and leakage checks */
  target?: string;
}

export interface DataProfile {
  source: SourceReport;
  rows: number;
  columns: number;
  duplicateRows: number;
  /** share of all cells that are missing */
  missingShare: number;
  target: { name: string; task: TargetTask } | null;
  columnProfiles: ColumnProfile[];
  /** each feature's single-column predictive power, strongest first (with a target) */
  predictivePower: ColumnPower[];
  warnings: DataWarning[];
}

/** Targets with at most this many distinct whole-number values are treated as classes. */
const MAX_NUMERIC_CLASSES = 10;

export function profileDataset(dataset: Dataset, options: ProfileOptions = {}): DataProfile {
  const { frame, schema } = dataset;
  const infos = schema.columns;
  const columnProfiles = infos.map((info) => profileColumn(frame.column(info.name), info));
  const duplicateRows = countDuplicates(frame);
  let missing = 0;
  for (const p of columnProfiles) missing += p.missing;
  const target = options.target ?? null;
  if (target !== null && !frame.has(target)) {
    throw new KilnError('E_DATA_SCHEMA', `no column "${target}" to use as the target`, { hint: `columns are: ${frame.names.slice(0, 30).join(', ')}` });
  }
  const warnings: DataWarning[] = [
    ...badRowsWarning(dataset.source.badRows.count, dataset.source.badRows.examples),
    ...duplicateWarning(duplicateRows, frame.nRows),
    ...columnWarnings(columnProfiles, infos, target),
  ];
  let predictivePower: ColumnPower[] = [];
  let targetInfo: DataProfile['target'] = null;
  if (target !== null) {
    const targetProfile = columnProfiles[infos.findIndex((c) => c.name === target)];
    const encoded = encodeTarget(frame.column(target), targetProfile);
    targetInfo = { name: target, task: encoded.task };
    warnings.push(...imbalanceWarning(targetProfile, encoded.task));
    const candidates = featureColumns(frame, infos, target);
    predictivePower = scoreColumns(candidates, encoded, frame.nRows).sort((a, b) => b.strength - a.strength);
    warnings.push(...leakageWarnings(predictivePower, target, encoded.task));
  }
  return {
    source: dataset.source,
    rows: frame.nRows,
    columns: frame.nCols,
    duplicateRows,
    missingShare: frame.nRows && frame.nCols ? missing / (frame.nRows * frame.nCols) : 0,
    target: targetInfo,
    columnProfiles,
    predictivePower,
    warnings,
  };
}

// Identifiers, free text and constant columns cannot leak in a useful sense; everything else is scored.
function featureColumns(frame: Frame, infos: readonly ColumnInfo[], target: string): { name: string; column: Column }[] {
  return infos
    .filter((c) => c.name !== target && c.type !== 'identifier' && c.type !== 'text')
    .map((c) => ({ name: c.name, column: frame.column(c.name) }));
}

function encodeTarget(column: Column, profile: ColumnProfile): EncodedTarget {
  const isClasses =
    column.kind === 'category' ||
    column.kind === 'text' ||
    (column.kind === 'number' && profile.distinct <= MAX_NUMERIC_CLASSES && profile.histogram.labels.every((l) => Number.isInteger(Number(l))));
  if (!isClasses) {
    const values = column.kind === 'number' || column.kind === 'datetime' ? column.values : new Float64Array(0);
    return { task: 'regression', values };
  }
  // classes in sorted label order, so the encoding does not depend on row order
  const labels = labelsOf(column);
  const order = [...new Set(labels.filter((l): l is string => l !== null))].sort();
  const index = new Map(order.map((l, k) => [l, k]));
  const classes = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) classes[i] = labels[i] === null ? -1 : (index.get(labels[i] as string) as number);
  return { task: 'classification', classes, nClasses: order.length };
}

function labelsOf(column: Column): (string | null)[] {
  switch (column.kind) {
    case 'category':
      return Array.from(column.codes, (c) => (c < 0 ? null : column.dictionary[c]));
    case 'text':
      return [...column.values];
    default:
      return Array.from(column.values, (v) => (Number.isNaN(v) ? null : String(v)));
  }
}
