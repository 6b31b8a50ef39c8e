// Feature chains: the fitted sequence of transforms that turns a Frame into the Matrix a learner reads.
//   dense  (linear, kNN, neural nets): date parts → impute numbers (+ "was missing" columns) → impute categories
//          → target-encode high-cardinality categories (out-of-fold) → one-hot the rest → standardise numbers
//   tree   (gradient boosting, forests): date parts → target-encode categories too wide for native splits →
//          pass-through, categories as native codes (TabularEncoder), gaps as NaN for the learner to route
// Text columns are not read (text vectorisers make their own features). Fitted on training rows only.

import type { Json } from '../core/artifact.js';
import { KilnError, ModelFormatError } from '../core/errors.js';
import type { Frame } from '../core/frame.js';
import type { FeatureInfo, Matrix, Task } from '../core/learner.js';
import { constraints as c, mergeParams, type ParamTable, validateParams } from '../core/params.js';
import type { Rng } from '../core/rng.js';
import { DatetimeParts } from './datetime-parts.js';
import { SimpleImputer } from './imputer.js';
import { levelCounts, OneHotEncoder } from './one-hot.js';
import { StandardScaler } from './scaler.js';
import { TabularEncoder, type TabularEncoderJson } from './tabular-encoder.js';
import { TargetEncoder } from './target-encoder.js';
import type { FittedTransform } from './transform.js';
import { transformFromJSON } from './transforms.js';

export type ChainKind = 'dense' | 'tree';

export interface ChainParams {
  /** 'dense' for linear/kNN/NN models, 'tree' for tree ensembles. Default 'dense'. */
  kind: ChainKind;
  /** dense: a category with more frequent levels than this is target-encoded (one-hot otherwise). Default 50. */
  maxOneHotLevels: number;
  /** dense: one-hot levels seen fewer times than this share an "(other)" column. Default 5 (as the reference). */
  minFrequency: number;
  /** dense: gaps in categories become their own level 'constant' (default) or the most frequent one */
  categoryImpute: 'constant' | 'most-frequent';
  /** dense: gaps in numbers become the training 'median' (default) or 'mean' */
  numericImpute: 'median' | 'mean';
  /** dense: add a 0/1 "<name>__missing" column for each number column with gaps in training. Default true. */
  missingIndicators: boolean;
  /** tree: a category with more levels than this is target-encoded rather than split natively. Default 255. */
  maxNativeLevels: number;
  /** folds of the out-of-fold target encoding. Default 5. */
  targetFolds: number;
  /** target encoding smoothing: 'auto' (empirical Bayes) or an m-estimate weight >= 0. Default 'auto'. */
  targetSmoothing: 'auto' | number;
}

export const CHAIN_PARAMS: ParamTable<ChainParams> = {
  kind: { default: 'dense', doc: 'dense (linear/kNN/NN) or tree (tree ensembles)', check: c.oneOf('dense', 'tree') },
  maxOneHotLevels: { default: 50, doc: 'wider categories are target-encoded', check: c.int(1) },
  minFrequency: { default: 5, doc: 'rarer one-hot levels are grouped', check: c.int(1) },
  categoryImpute: { default: 'constant', doc: 'category gaps: own level or most frequent', check: c.oneOf('constant', 'most-frequent') },
  numericImpute: { default: 'median', doc: 'number gaps: median or mean', check: c.oneOf('median', 'mean') },
  missingIndicators: { default: true, doc: 'add "was missing" columns', check: c.boolean },
  maxNativeLevels: { default: 255, doc: 'wider categories are target-encoded in the tree chain', check: c.int(2) },
  targetFolds: { default: 5, doc: 'folds of the out-of-fold target encoding', check: c.int(2, 255) },
  targetSmoothing: { default: 'auto', doc: '"auto" or an m-estimate weight', check: (v) => (v === 'auto' || (typeof v === 'number' && v >= 0 && Number.isFinite(v)) ? null : 'must be "auto" or a number >= 0') },
};

export interface FitChainOptions extends Partial<ChainParams> {
  /** columns never read (the target, identifiers, dropped columns) */
  readonly exclude?: readonly string[];
  /** the training target, for target encoding; without it wide categories are one-hot encoded with grouping */
  readonly target?: { readonly y: Float64Array; readonly task: Task; readonly nClasses?: number };
  /** fold assignment of the target encoding */
  readonly rng?: Rng;
}

export interface FeatureChainJson {
  kind: ChainKind;
  inputs: string[];
  steps: Json[];
  encoder: TabularEncoderJson;
}

export class FeatureChain {
  readonly kind: ChainKind;
  /** the input columns read, in order (what a request must provide) */
  readonly inputs: readonly string[];
  readonly steps: readonly FittedTransform[];
  readonly encoder: TabularEncoder;

  constructor(kind: ChainKind, inputs: readonly string[], steps: readonly FittedTransform[], encoder: TabularEncoder) {
    this.kind = kind;
    this.inputs = Object.freeze([...inputs]);
    this.steps = Object.freeze([...steps]);
    this.encoder = encoder;
  }

  /** what the learner sees: one entry per matrix column */
  get features(): readonly FeatureInfo[] {
    return this.encoder.features;
  }

  /** the frame after every step, before it becomes a matrix (for inspection and explanations) */
  transformFrame(frame: Frame): Frame {
    const missing = this.inputs.filter((name) => !frame.has(name));
    if (missing.length)
      throw new KilnError('E_DATA_SCHEMA', `column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing`, {
        hint: 'the model was trained with them; supply them (null when unknown)',
      });
    let f = frame.select(this.inputs);
    for (const step of this.steps) f = step.transform(f);
    return f;
  }

  transform(frame: Frame): Matrix {
    return this.encoder.transform(this.transformFrame(frame));
  }

  toJSON(): FeatureChainJson {
    return { kind: this.kind, inputs: [...this.inputs], steps: this.steps.map((s) => s.toJSON() as Json), encoder: this.encoder.toJSON() };
  }

  static fromJSON(json: unknown): FeatureChain {
    const j = json as Partial<FeatureChainJson> | null;
    if (!j || (j.kind !== 'dense' && j.kind !== 'tree') || !Array.isArray(j.inputs) || !j.inputs.every((s) => typeof s === 'string') || !Array.isArray(j.steps))
      throw new ModelFormatError('feature chain: malformed description');
    return new FeatureChain(j.kind, j.inputs, j.steps.map(transformFromJSON), TabularEncoder.fromJSON(j.encoder as TabularEncoderJson));
  }
}

/**
 * Fit a chain on training rows. Returns the chain and the training matrix, in which target-encoded columns hold
 * out-of-fold values (the chain itself encodes new rows with the encoding fitted on all training rows).
 */
export function fitFeatureChain(frame: Frame, options: FitChainOptions = {}): { chain: FeatureChain; x: Matrix } {
  const { exclude, target, rng, ...given } = options;
  const params = mergeParams(CHAIN_PARAMS, given);
  validateParams(CHAIN_PARAMS, params, 'feature chain');
  if (target && target.y.length !== frame.nRows) throw new KilnError('E_DATA_SCHEMA', `feature chain: ${target.y.length} targets for ${frame.nRows} rows`);
  const skip = new Set(exclude ?? []);
  const inputs = frame.names.filter((n) => !skip.has(n) && frame.column(n).kind !== 'text');
  let f = frame.select(inputs);
  const steps: FittedTransform[] = [];
  const add = (step: FittedTransform, next?: Frame): void => {
    steps.push(step);
    f = next ?? step.transform(f);
  };
  const ofKind = (kind: string): string[] => f.names.filter((n) => f.column(n).kind === kind);

  if (ofKind('datetime').length) add(DatetimeParts.fit(f));
  const targetOptions = target && { task: target.task, nClasses: target.nClasses, folds: params.targetFolds, smoothing: params.targetSmoothing, rng };

  if (params.kind === 'tree') {
    const wide = ofKind('category').filter((n) => levelCounts(f.column(n), f.nRows).size > params.maxNativeLevels);
    if (wide.length && targetOptions) {
      const r = TargetEncoder.fitTransform(f, target.y, { ...targetOptions, columns: wide });
      add(r.encoder, r.frame);
    }
    const encoder = TabularEncoder.fit(f);
    return { chain: new FeatureChain('tree', inputs, steps, encoder), x: encoder.transform(f) };
  }

  const numbers = ofKind('number');
  if (numbers.length) add(SimpleImputer.fit(f, { columns: numbers, numeric: params.numericImpute, indicators: params.missingIndicators }));
  const indicators = new Set(f.names.filter((n) => !numbers.includes(n) && f.column(n).kind === 'number'));
  const categories = ofKind('category');
  if (categories.length) add(SimpleImputer.fit(f, { columns: categories, category: params.categoryImpute }));
  // a category is "wide" when it has more levels frequent enough for their own column than one-hot allows
  const wide = categories.filter((n) => {
    let frequent = 0;
    for (const count of levelCounts(f.column(n), f.nRows).values()) if (count >= params.minFrequency) frequent++;
    return frequent > params.maxOneHotLevels;
  });
  const encodedByTarget = targetOptions ? wide : [];
  if (encodedByTarget.length && targetOptions) {
    const r = TargetEncoder.fitTransform(f, target.y, { ...targetOptions, columns: encodedByTarget });
    add(r.encoder, r.frame);
  }
  const oneHotColumns = categories.filter((n) => !encodedByTarget.includes(n));
  let oneHotOutputs = new Set<string>();
  if (oneHotColumns.length) {
    // without a target, wide categories keep their most frequent levels and group the rest
    const oneHot = OneHotEncoder.fit(f, { columns: oneHotColumns, minFrequency: params.minFrequency, maxCategories: encodedByTarget.length || !wide.length ? null : params.maxOneHotLevels + 1 });
    oneHotOutputs = new Set(oneHot.outputNames);
    add(oneHot);
  }
  // one-hot and indicator columns stay 0/1, as in scikit-learn's usual ColumnTransformer
  const toScale = f.names.filter((n) => f.column(n).kind === 'number' && !oneHotOutputs.has(n) && !indicators.has(n));
  if (toScale.length) add(StandardScaler.fit(f, { columns: toScale }));
  const encoder = TabularEncoder.fit(f);
  return { chain: new FeatureChain('dense', inputs, steps, encoder), x: encoder.transform(f) };
}
