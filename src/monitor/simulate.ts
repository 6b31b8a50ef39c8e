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
  /**
   * per current window size (ascending): how often the shifted window was flagged, and how often the same
   * window without the shift was flagged (the false alarms at that size)
   */
  readonly bySize: readonly { readonly rows: number; readonly detectionRate: number; readonly falseAlarmRate: number; readonly test: string }[];
  /** smallest size detected in >= `power` of trials with false alarms <= `maxFalseAlarm`; null when none */
  readonly rowsNeeded: number | null;
  readonly power: number;
  readonly maxFalseAlarm: number;
}

/**
 * For each window size, draw `trials` undrifted current windows as in `falseAlarmRate`, add `shiftStd` reference
 * standard deviations to `column`, and count how often that column is flagged (criterion 'column') or the whole
 * dataset drifts (criterion 'dataset'); the unshifted windows give the false alarms at the same size. A size
 * only counts as detecting the shift when it also keeps false alarms low: distance scores (Wasserstein,
 * Jensen–Shannon) of small windows exceed their fixed 0.1 threshold by sampling noise alone, so "detected"
 * there would mean nothing.
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
    maxFalseAlarm?: number;
    criterion?: 'column' | 'dataset';
  } = {},
): DetectionResult {
  const {
    reference,
    drift = {},
    shiftStd = 0.5,
    sizes = [25, 50, 100, 200, 300, 500, 750, 1000, 2000, 5000],
    power = 0.9,
    // a valid 5 %-level test shows <= 2 alarms in 20 trials 92 % of the time: 0.1 tolerates that trial noise
    maxFalseAlarm = 0.1,
    criterion = 'column',
    ...rest
  } = options;
  if (data.column(column).kind !== 'number') throw new KilnError('E_PARAM', `column "${column}" must be numeric to be shifted`);
  const sorted = [...sizes].sort((a, b) => a - b);
  const bySize: { rows: number; detectionRate: number; falseAlarmRate: number; test: string }[] = [];
  const driftOptions = criterion === 'column' ? { ...drift, columns: [column], exclude: [] } : drift;
  let referenceStd = NaN;
  for (const rows of sorted) {
    const opts = resolve({ ...rest, currentRows: rows }, data, reference === undefined);
    const rng = new Rng(opts.seed);
    let detected = 0;
    let falseAlarms = 0;
    let test = '';
    const alarm = (ref: Frame | ColumnSource, current: Frame): boolean => {
      const result = detectDrift(ref, current, driftOptions);
      const c = result.columns.find((x) => x.column === column);
      test = c?.test ?? test;
      return Boolean(criterion === 'column' ? c?.drifted : result.drifted);
    };
    for (let t = 0; t < opts.trials; t++) {
      const { ref, current } = draw(data, reference, opts, rng.fork());
      const refValues = asSource(ref).values(column);
      if (!refValues || refValues.kind !== 'numeric') throw new KilnError('E_PARAM', `the reference has no numeric column "${column}"`);
      referenceStd = refValues.std;
      if (alarm(ref, current)) falseAlarms++;
      if (alarm(ref, current.withColumn(column, numberColumn(addShift(current, column, shiftStd * refValues.std))))) detected++;
    }
    bySize.push({ rows, detectionRate: detected / opts.trials, falseAlarmRate: falseAlarms / opts.trials, test });
  }
  const hit = bySize.find((s) => s.detectionRate >= power && s.falseAlarmRate <= maxFalseAlarm);
  return { column, shift: shiftStd * referenceStd, referenceStd, bySize, rowsNeeded: hit ? hit.rows : null, power, maxFalseAlarm };
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
