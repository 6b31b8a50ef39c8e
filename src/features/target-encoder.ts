// TargetEncoder for high-cardinality categories: each level becomes the mean target of its training rows, shrunk
// towards the overall mean when the level is rare (scikit-learn's empirical-Bayes "auto" smoothing, or an
// m-estimate). Regression and binary give one column, multiclass one column per class (one-vs-rest shares).
// Training rows are encoded out-of-fold: a row's value comes from the other folds only, so a model fitted on
// them does not learn from its own label; new data uses the encoding fitted on all training rows.

import type { Json } from '../core/artifact.js';
import { KilnError, ModelFormatError } from '../core/errors.js';
import { type Column, Frame, numberColumn } from '../core/frame.js';
import type { Task } from '../core/learner.js';
import { Rng } from '../core/rng.js';
import { levelCounts } from './one-hot.js';
import { codeMapper, expectArray, expectNumber, expectString, expectStrings, type FittedTransform, freshName, replaceColumns, requireColumn, sortLabels, type TransformJson } from './transform.js';

export interface TargetEncoderOptions {
  /** columns to encode; default every category column */
  readonly columns?: readonly string[];
  readonly task: Task;
  /** classification: the number of classes (labels are 0..nClasses-1) */
  readonly nClasses?: number;
  /** 'auto' (default): shrink by the level's own variance; a number m: (sum + m × prior) / (count + m) */
  readonly smoothing?: 'auto' | number;
  /** folds for the out-of-fold training encoding; default 5 */
  readonly folds?: number;
  /** fold assignment randomness; default a generator seeded with 42 */
  readonly rng?: Rng;
}

interface TargetColumn {
  readonly name: string;
  /** training levels, sorted */
  readonly levels: readonly string[];
  /** (nLevels, nOutputs) row-major encodings */
  readonly encodings: readonly number[];
  readonly outputs: readonly string[];
}

const OWNER = 'target encoder';

export class TargetEncoder implements FittedTransform {
  readonly type = 'target' as const;
  readonly columns: readonly TargetColumn[];
  readonly inputs: readonly string[];
  /** (nOutputs) the encoding of an unseen level or a gap: the training mean target */
  readonly prior: readonly number[];
  private readonly lookups: readonly Map<string, number>[];

  private constructor(columns: readonly TargetColumn[], prior: readonly number[]) {
    this.columns = Object.freeze(columns.map((c) => Object.freeze({ name: c.name, levels: [...c.levels], encodings: [...c.encodings], outputs: [...c.outputs] })));
    this.inputs = Object.freeze(columns.map((c) => c.name));
    this.prior = Object.freeze([...prior]);
    this.lookups = columns.map((c) => new Map(c.levels.map((l, i) => [l, i])));
  }

  get nOutputs(): number {
    return this.prior.length;
  }

  /**
   * Fit on all rows (the encoder for new data) and encode the same rows out-of-fold (the training features).
   * `y`: regression targets, or class indices.
   */
  static fitTransform(frame: Frame, y: Float64Array, options: TargetEncoderOptions): { encoder: TargetEncoder; frame: Frame } {
    const setup = prepare(frame, y, options);
    const folds = options.folds ?? 5;
    if (!(Number.isInteger(folds) && folds >= 2)) throw new KilnError('E_PARAM', `${OWNER}: folds = ${folds}: must be an integer >= 2`);
    const fold = assignFolds(y, options.task, folds, options.rng ?? new Rng(42));
    const n = frame.nRows;
    const encoder = TargetEncoder.fitPrepared(setup, null, -1);
    const replacements = new Map<string, (readonly [string, Column])[]>();
    const outs = setup.columns.map(() => Array.from({ length: setup.nOut }, () => new Float64Array(n)));
    for (let f = 0; f < folds; f++) {
      // statistics from the rows outside fold f, applied to the rows inside it
      const partial = TargetEncoder.fitPrepared(setup, fold, f);
      setup.columns.forEach((c, j) => {
        const enc = partial.columns[j].encodings;
        const levelOf = c.levelOf;
        for (let i = 0; i < n; i++) {
          if (fold[i] !== f) continue;
          const l = levelOf[i];
          for (let o = 0; o < setup.nOut; o++) outs[j][o][i] = l >= 0 ? enc[l * setup.nOut + o] : partial.prior[o];
        }
      });
    }
    encoder.columns.forEach((c, j) =>
      replacements.set(
        c.name,
        c.outputs.map((name, o) => [name, numberColumn(outs[j][o])] as const),
      ),
    );
    return { encoder, frame: replaceColumns(frame, replacements) };
  }

  /** Fit on all rows without out-of-fold encoding (for when the training rows are not fed to a model). */
  static fit(frame: Frame, y: Float64Array, options: TargetEncoderOptions): TargetEncoder {
    return TargetEncoder.fitPrepared(prepare(frame, y, options), null, -1);
  }

  private static fitPrepared(setup: Setup, fold: Uint8Array | null, heldOut: number): TargetEncoder {
    const { nOut, targets, smoothing } = setup;
    const n = targets.length / nOut;
    const inFit = (i: number): boolean => fold === null || fold[i] !== heldOut;
    // prior: mean and variance of each output over the fitted rows
    const mean = new Float64Array(nOut);
    const variance = new Float64Array(nOut);
    let count = 0;
    for (let i = 0; i < n; i++) {
      if (!inFit(i)) continue;
      count++;
      for (let o = 0; o < nOut; o++) mean[o] += targets[i * nOut + o];
    }
    for (let o = 0; o < nOut; o++) mean[o] /= count;
    for (let i = 0; i < n; i++) {
      if (!inFit(i)) continue;
      for (let o = 0; o < nOut; o++) variance[o] += (targets[i * nOut + o] - mean[o]) ** 2;
    }
    for (let o = 0; o < nOut; o++) variance[o] /= count;
    const columns = setup.columns.map((c) => {
      const L = c.levels.length;
      const sum = new Float64Array(L * nOut);
      const sumSq = new Float64Array(L * nOut);
      const levelCount = new Float64Array(L);
      for (let i = 0; i < n; i++) {
        const l = c.levelOf[i];
        if (l < 0 || !inFit(i)) continue;
        levelCount[l]++;
        for (let o = 0; o < nOut; o++) {
          const t = targets[i * nOut + o];
          sum[l * nOut + o] += t;
          sumSq[l * nOut + o] += t * t;
        }
      }
      const encodings = new Array<number>(L * nOut);
      for (let l = 0; l < L; l++)
        for (let o = 0; o < nOut; o++) encodings[l * nOut + o] = smooth(sum[l * nOut + o], sumSq[l * nOut + o], levelCount[l], mean[o], variance[o], smoothing);
      return { name: c.name, levels: c.levels, encodings, outputs: c.outputs };
    });
    return new TargetEncoder(columns, [...mean]);
  }

  transform(frame: Frame): Frame {
    const n = frame.nRows;
    const k = this.nOutputs;
    const replacements = new Map<string, (readonly [string, Column])[]>();
    this.columns.forEach((c, j) => {
      const position = codeMapper(requireColumn(OWNER, frame, c.name, ['category', 'text']), this.lookups[j]);
      const outs = c.outputs.map(() => new Float64Array(n));
      for (let i = 0; i < n; i++) {
        const l = position(i);
        for (let o = 0; o < k; o++) outs[o][i] = l >= 0 ? c.encodings[l * k + o] : this.prior[o];
      }
      replacements.set(
        c.name,
        c.outputs.map((name, o) => [name, numberColumn(outs[o])] as const),
      );
    });
    return replaceColumns(frame, replacements);
  }

  toJSON(): TransformJson {
    return { type: 'target', prior: [...this.prior], columns: this.columns.map((c) => ({ name: c.name, levels: [...c.levels], encodings: [...c.encodings], outputs: [...c.outputs] }) as Json) };
  }

  static fromJSON(json: TransformJson): TargetEncoder {
    const prior = expectArray(OWNER, json.prior, 'prior').map((v, i) => expectNumber(OWNER, v, `prior[${i}]`));
    const columns = expectArray(OWNER, json.columns, 'columns').map((raw, i) => {
      const c = raw as Record<string, unknown>;
      const levels = expectStrings(OWNER, c?.levels, `columns[${i}].levels`);
      const outputs = expectStrings(OWNER, c.outputs, `columns[${i}].outputs`);
      const encodings = expectArray(OWNER, c.encodings, `columns[${i}].encodings`).map((v, e) => expectNumber(OWNER, v, `columns[${i}].encodings[${e}]`));
      if (outputs.length !== prior.length || encodings.length !== levels.length * prior.length) throw new ModelFormatError(`${OWNER}: columns[${i}] has inconsistent sizes`);
      return { name: expectString(OWNER, c.name, `columns[${i}].name`), levels, encodings, outputs };
    });
    return new TargetEncoder(columns, prior);
  }
}

interface Setup {
  readonly nOut: number;
  /** (nRows, nOut) row-major: the target, or one 0/1 indicator per class (binary: of class 1) */
  readonly targets: Float64Array;
  readonly smoothing: 'auto' | number;
  readonly columns: readonly { name: string; levels: string[]; outputs: string[]; levelOf: Int32Array }[];
}

function prepare(frame: Frame, y: Float64Array, options: TargetEncoderOptions): Setup {
  const n = frame.nRows;
  if (y.length !== n) throw new KilnError('E_DATA_SCHEMA', `${OWNER}: ${y.length} targets for ${n} rows`);
  const smoothing = options.smoothing ?? 'auto';
  if (smoothing !== 'auto' && !(typeof smoothing === 'number' && smoothing >= 0 && Number.isFinite(smoothing)))
    throw new KilnError('E_PARAM', `${OWNER}: smoothing = ${String(smoothing)}: must be "auto" or a number >= 0`);
  const k = options.task === 'regression' ? 0 : (options.nClasses ?? 2);
  const nOut = k > 2 ? k : 1;
  const targets = new Float64Array(n * nOut);
  for (let i = 0; i < n; i++) {
    const v = y[i];
    const ok = k === 0 ? Number.isFinite(v) : Number.isInteger(v) && v >= 0 && v < k;
    if (!ok) throw new KilnError('E_DATA_SCHEMA', `${OWNER}: target ${v} at row ${i} is ${k === 0 ? 'not a finite number' : `not a class index in 0..${k - 1}`}`);
    if (nOut === 1) targets[i] = v;
    else targets[i * nOut + v] = 1;
  }
  const names = options.columns ?? frame.names.filter((c) => frame.column(c).kind === 'category');
  const taken = new Set(frame.names.filter((c) => !names.includes(c)));
  const columns = names.map((name) => {
    const col = requireColumn(OWNER, frame, name, ['category', 'text']);
    const levels = sortLabels(levelCounts(col, n).keys());
    const position = codeMapper(col, new Map(levels.map((l, i) => [l, i])));
    const levelOf = new Int32Array(n);
    for (let i = 0; i < n; i++) levelOf[i] = Math.max(-1, position(i));
    const outputs = nOut === 1 ? [freshName(name, taken)] : Array.from({ length: nOut }, (_, c) => freshName(`${name}=class${c}`, taken));
    return { name, levels, outputs, levelOf };
  });
  return { nOut, targets, smoothing, columns };
}

/**
 * The encoding of one level. 'auto' is scikit-learn's empirical-Bayes blend: λ = n·σ² / (n·σ² + σ²_level), so a
 * level whose own rows vary as much as the whole target is pulled halfway to the prior after one row.
 */
function smooth(sum: number, sumSq: number, count: number, prior: number, priorVariance: number, smoothing: 'auto' | number): number {
  if (count === 0) return prior;
  if (smoothing !== 'auto') return (sum + smoothing * prior) / (count + smoothing);
  const levelMean = sum / count;
  const levelVariance = Math.max(0, sumSq / count - levelMean * levelMean);
  const denominator = priorVariance * count + levelVariance;
  if (!(denominator > 0)) return prior;
  const lambda = (priorVariance * count) / denominator;
  return lambda * levelMean + (1 - lambda) * prior;
}

/** fold of each row: classification stratified by class (round-robin within each shuffled class), else shuffled */
function assignFolds(y: Float64Array, task: Task, folds: number, rng: Rng): Uint8Array {
  if (folds > 255) throw new KilnError('E_PARAM', `${OWNER}: folds = ${folds}: at most 255`);
  const n = y.length;
  const fold = new Uint8Array(n);
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const key = task === 'regression' ? 0 : y[i];
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(i);
  }
  let offset = 0;
  for (const key of [...groups.keys()].sort((a, b) => a - b)) {
    const rows = groups.get(key)!;
    rng.shuffle(rows);
    // continuing the round-robin across classes keeps fold sizes within one row of each other
    rows.forEach((row, r) => (fold[row] = (offset + r) % folds));
    offset += rows.length;
  }
  return fold;
}
