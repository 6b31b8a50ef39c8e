// Simulations that say how much to trust the drift alarm on a given data set:
//  - falseAlarmRate: how often the dataset-drift decision fires on seeded resamples that did NOT drift;
//  - rowsToDetectShift: how many current rows it takes to flag a shift of k standard deviations in one column.
// Both are pure (Frames in, numbers out) and seeded, so a figure quoted in a report can be reproduced.

import { KilnError } from '../core/errors.js';
import { Frame, numberColumn } from '../core/frame.js';
import { constraints, mergeParams, validateParams, type ParamTable } from '../core/params.js';
import { Rng } from '../core/rng.js';
import { asSource, type ColumnSource } from './column-values.js';
import { detectDrift } from './dataset-drift.js';
import type { DriftOptions } from './drift-options.js';

export interface SimulationOptions {
  /** seeded resamples per setting */
  trials: number;
  /** rows in each simulated current window */
  currentRows: number;
  /** when no fixed reference is given: rows split off as the reference in each trial */
  referenceRows: number;
  seed: number;
}

const SIMULATION_OPTIONS: ParamTable<SimulationOptions> = {
  trials: { default: 20, doc: 'seeded resamples', check: constraints.int(1, 100_000) },
  currentRows: { default: 1000, doc: 'rows per current window', check: constraints.int(1) },
  referenceRows: { default: 5000, doc: 'rows split off as the reference per trial', check: constraints.int(1) },
  seed: { default: 1, doc: 'seed of the resamples', check: constraints.number },
};

export interface FalseAlarmResult {
  readonly trials: number;
  /** trials in which the dataset was declared drifted */
  readonly datasetAlarms: number;
  readonly rate: number;
  /** per column: trials in which that column alone was flagged */
  readonly columns: readonly { readonly column: string; readonly test: string; readonly alarms: number; readonly rate: number }[];
  readonly referenceRows: number;
  readonly currentRows: number;
}

/**
 * Run the drift check on `trials` undrifted resamples of `data`. With `reference` given (the training data or
 * its sketch), each current window is a seeded sample of `data` (rows held out from the same distribution);
 * without it, each trial splits a fresh permutation of `data` into a disjoint reference and current window.
 */
export function falseAlarmRate(
  data: Frame,
  options: Partial<SimulationOptions> & { reference?: Frame | ColumnSource; drift?: Partial<DriftOptions> } = {},
): FalseAlarmResult {
  const { reference, drift = {}, ...rest } = options;
  const opts = resolve(rest, data, reference === undefined);
  const rng = new Rng(opts.seed);
  const columnAlarms = new Map<string, { test: string; alarms: number }>();
  let datasetAlarms = 0;
  let referenceRows = 0;
  for (let t = 0; t < opts.trials; t++) {
    const { ref, current } = draw(data, reference, opts, rng.fork());
    const result = detectDrift(ref, current, drift);
    referenceRows = result.referenceRows;
    if (result.drifted) datasetAlarms++;
    for (const c of result.columns) {
      const entry = columnAlarms.get(c.column) ?? { test: c.test, alarms: 0 };
      if (c.drifted) entry.alarms++;
      columnAlarms.set(c.column, entry);
    }
  }
  return {
    trials: opts.trials,
    datasetAlarms,
    rate: datasetAlarms / opts.trials,
    columns: [...columnAlarms].map(([column, e]) => ({ column, test: e.test, alarms: e.alarms, rate: e.alarms / opts.trials })),
    referenceRows,
    currentRows: opts.currentRows,
  };
}

export interface DetectionResult {
  readonly column: string;
  /** the shift added, in the column's units (shiftStd × the reference's standard deviation) */
  readonly shift: number;
  readonly referenceStd: number;
  /** detection rate per current window size, sizes ascending */
  readonly bySize: readonly { readonly rows: number; readonly detectionRate: number; readonly test: string }[];
  /** smallest window size whose detection rate reaches `power`; null when none does */
  readonly rowsNeeded: number | null;
  readonly power: number;
}

/**
 * For each window size, draw `trials` undrifted current windows as in `falseAlarmRate`, add `shiftStd` reference
 * standard deviations to `column`, and count how often that column is flagged (criterion 'column') or the whole
 * dataset drifts (criterion 'dataset'). `rowsNeeded` is the smallest size detected in at least `power` of trials.
 */
export function rowsToDetectShift(
  data: Frame,
  column: string,
  options: Partial<Omit<SimulationOptions, 'currentRows'>> & {
    reference?: Frame | ColumnSource;
    drift?: Partial<DriftOptions>;
    shiftStd?: number;
    sizes?: readonly number[];
    power?: number;
    criterion?: 'column' | 'dataset';
  } = {},
): DetectionResult {
  const { reference, drift = {}, shiftStd = 0.5, sizes = [25, 50, 100, 200, 300, 500, 750, 1000, 2000, 5000], power = 0.9, criterion = 'column', ...rest } = options;
  if (data.column(column).kind !== 'number') throw new KilnError('E_PARAM', `column "${column}" must be numeric to be shifted`);
  const sorted = [...sizes].sort((a, b) => a - b);
  const bySize: { rows: number; detectionRate: number; test: string }[] = [];
  let referenceStd = NaN;
  for (const rows of sorted) {
    const opts = resolve({ ...rest, currentRows: rows }, data, reference === undefined);
    const rng = new Rng(opts.seed);
    let detected = 0;
    let test = '';
    for (let t = 0; t < opts.trials; t++) {
      const { ref, current } = draw(data, reference, opts, rng.fork());
      const refValues = asSource(ref).values(column);
      if (!refValues || refValues.kind !== 'numeric') throw new KilnError('E_PARAM', `the reference has no numeric column "${column}"`);
      referenceStd = refValues.std;
      const shifted = current.withColumn(column, numberColumn(addShift(current, column, shiftStd * refValues.std)));
      const result = detectDrift(ref, shifted, criterion === 'column' ? { ...drift, columns: [column], exclude: [] } : drift);
      const c = result.columns.find((x) => x.column === column);
      test = c?.test ?? test;
      if (criterion === 'column' ? c?.drifted : result.drifted) detected++;
    }
    bySize.push({ rows, detectionRate: detected / opts.trials, test });
  }
  const hit = bySize.find((s) => s.detectionRate >= power);
  return { column, shift: shiftStd * referenceStd, referenceStd, bySize, rowsNeeded: hit ? hit.rows : null, power };
}

function resolve(given: Partial<SimulationOptions>, data: Frame, split: boolean): Readonly<SimulationOptions> {
  const opts = mergeParams(SIMULATION_OPTIONS, given);
  validateParams(SIMULATION_OPTIONS, opts, 'drift simulation');
  const needed = opts.currentRows + (split ? opts.referenceRows : 0);
  if (needed > data.nRows)
    throw new KilnError('E_PARAM', `the simulation needs ${needed} rows per trial (${split ? `referenceRows ${opts.referenceRows} + ` : ''}currentRows ${opts.currentRows}) but the data has ${data.nRows}`);
  return opts;
}

/** one trial's reference and current window, drawn without replacement */
function draw(data: Frame, reference: Frame | ColumnSource | undefined, opts: Readonly<SimulationOptions>, rng: Rng): { ref: Frame | ColumnSource; current: Frame } {
  if (reference !== undefined) return { ref: reference, current: data.take(rng.sample(data.nRows, opts.currentRows)) };
  const order = rng.permutation(data.nRows);
  return { ref: data.take(order.subarray(0, opts.referenceRows)), current: data.take(order.subarray(opts.referenceRows, opts.referenceRows + opts.currentRows)) };
}

function addShift(frame: Frame, column: string, shift: number): Float64Array {
  const col = frame.column(column);
  if (col.kind !== 'number') throw new KilnError('E_PARAM', `column "${column}" must be numeric to be shifted`);
  return Float64Array.from(col.values, (v) => v + shift); // NaN stays NaN: missing values are not moved
}
