// Decision-tree hyper-parameters, declared once (doc + default + constraint), and their resolution into GrowParams.
// The forest family reuses the shared specs below so a name means the same thing in a tree and in a forest.

import { ParamError } from '../../core/errors.js';
import { constraints as c, type ParamSpec, type ParamTable } from '../../core/params.js';
import { CLASSIFICATION_CRITERIA, REGRESSION_CRITERIA, type CriterionId } from './criterion.js';
import type { GrowParams } from './builder.js';

export type MaxFeatures = 'sqrt' | 'log2' | number | null;
/** as in the linear and GBDT families: null, "balanced", or weights by class index ({ "1": 10 }; unlisted classes weigh 1) */
export type ClassWeight = 'balanced' | Readonly<Record<string, number>> | null;

interface TreeShapeParams {
  /** deepest level a node may sit at (root = 0); null grows until leaves are pure or too small */
  maxDepth: number | null;
  /** a node with fewer rows is not split */
  minSamplesSplit: number;
  /** each child of a split keeps at least this many rows */
  minSamplesLeaf: number;
  /** a split must lower the weighted impurity by at least this much (scikit-learn's definition) */
  minImpurityDecrease: number;
  /** features inspected per node: "sqrt", "log2", a fraction of all features, or null for all */
  maxFeatures: MaxFeatures;
  /** at most this many bins per feature for the 'best' splitter (features with fewer distinct values are exact) */
  maxBins: number;
  /**
   * nodes with at most this many rows search the features that have more distinct values than maxBins exactly, on
   * sorted raw values; null = every node (exact CART, as scikit-learn), 0 = none (histograms only, fastest)
   */
  exactRows: number | null;
  /** seed for feature sampling and random thresholds when no rng is given to fit */
  seed: number;
}

export interface DecisionTreeClassifierParams extends TreeShapeParams {
  /** split quality: "gini", "entropy" (or its alias "log_loss") */
  criterion: 'gini' | 'entropy' | 'log_loss';
  /** "best" threshold per feature (CART) or one "random" threshold per feature (extra-trees style) */
  splitter: 'best' | 'random';
  /** per-class weight multipliers: "balanced" (n / (nClasses · count)), weights by class index ({ "1": 10 }), or null */
  classWeight: ClassWeight;
}

export interface DecisionTreeRegressorParams extends TreeShapeParams {
  /** split quality: "squared_error" (variance reduction) */
  criterion: 'squared_error';
  splitter: 'best' | 'random';
}

const maxFeaturesCheck = (v: unknown): string | null =>
  v === null || v === 'sqrt' || v === 'log2' || (typeof v === 'number' && v > 0 && v <= 1)
    ? null
    : 'must be "sqrt", "log2", a fraction in (0, 1] or null (all features)';

export const classWeightCheck =
  (...named: string[]) =>
  (v: unknown): string | null => {
    if (v === null || (typeof v === 'string' && named.includes(v))) return null;
    const expected = `must be null, ${named.map((n) => JSON.stringify(n)).join(', ')} or { classIndex: weight > 0 }`;
    if (typeof v !== 'object' || Array.isArray(v)) return expected;
    for (const [key, w] of Object.entries(v as Record<string, unknown>))
      if (!/^\d+$/.test(key) || typeof w !== 'number' || !(w > 0) || !Number.isFinite(w)) return expected;
    return null;
  };

/** Specs shared by trees and forests; the defaults of maxFeatures and exactRows differ between them. */
export function shapeSpecs(maxFeaturesDefault: MaxFeatures, exactRowsDefault: number | null): ParamTable<TreeShapeParams> {
  return {
    maxDepth: { default: null, doc: 'deepest level a node may sit at (root = 0); null = unlimited', check: c.nullable(c.int(1, 1000)) },
    minSamplesSplit: { default: 2, doc: 'a node with fewer rows is not split', check: c.int(2) },
    minSamplesLeaf: { default: 1, doc: 'each child of a split keeps at least this many rows', check: c.int(1) },
    minImpurityDecrease: { default: 0, doc: 'a split must lower the weighted impurity by at least this much', check: c.ge(0) },
    maxFeatures: {
      default: maxFeaturesDefault,
      doc: 'features inspected per node: "sqrt", "log2", a fraction in (0, 1], or null for all',
      check: maxFeaturesCheck as ParamSpec<MaxFeatures>['check'],
    },
    maxBins: { default: 255, doc: 'bins per feature for the best splitter (exact below this many distinct values)', check: c.int(2, 255) },
    exactRows: {
      default: exactRowsDefault,
      doc: 'nodes with at most this many rows split features with more than maxBins values exactly; null = all nodes, 0 = none',
      check: c.nullable(c.int(0)),
    },
    seed: { default: 42, doc: 'seed for feature sampling and random thresholds when fit gets no rng', check: c.int(0) },
  };
}

const splitterSpec: ParamSpec<'best' | 'random'> = {
  default: 'best',
  doc: '"best" threshold per feature (CART) or one "random" threshold per feature (extra-trees)',
  check: c.oneOf('best', 'random'),
};

export const TREE_CLASSIFIER_PARAMS: ParamTable<DecisionTreeClassifierParams> = {
  criterion: { default: 'gini', doc: 'split quality: "gini" or "entropy" ("log_loss" is an alias)', check: c.oneOf('gini', 'entropy', 'log_loss') },
  splitter: splitterSpec,
  ...shapeSpecs(null, null),
  classWeight: {
    default: null,
    doc: 'per-class weights: "balanced" (n / (nClasses · count)), weights by class index ({ "1": 10 }), or null',
    check: classWeightCheck('balanced') as ParamSpec<ClassWeight>['check'],
  },
};

export const TREE_REGRESSOR_PARAMS: ParamTable<DecisionTreeRegressorParams> = {
  criterion: { default: 'squared_error', doc: 'split quality: "squared_error"', check: c.oneOf('squared_error') },
  splitter: splitterSpec,
  ...shapeSpecs(null, null),
};

/** Features inspected per node for `nCols` features (scikit-learn's rounding: floor, at least 1). */
export function resolveMaxFeatures(v: MaxFeatures, nCols: number): number {
  if (v === null) return nCols;
  if (v === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(nCols)));
  if (v === 'log2') return Math.max(1, Math.floor(Math.log2(nCols)));
  return Math.min(nCols, Math.max(1, Math.floor(v * nCols)));
}

export function resolveCriterion(name: string): CriterionId {
  const all: Record<string, CriterionId> = { ...CLASSIFICATION_CRITERIA, ...REGRESSION_CRITERIA };
  return all[name];
}

export function growParams(
  p: Omit<TreeShapeParams, 'seed' | 'maxBins'> & { criterion: string },
  random: boolean,
  nCols: number,
): GrowParams {
  return {
    criterion: resolveCriterion(p.criterion),
    random,
    maxDepth: p.maxDepth ?? Infinity,
    minSamplesSplit: p.minSamplesSplit,
    minSamplesLeaf: p.minSamplesLeaf,
    minImpurityDecrease: p.minImpurityDecrease,
    maxFeatures: resolveMaxFeatures(p.maxFeatures, nCols),
    exactMaxRows: p.exactRows ?? Infinity,
  };
}

/**
 * Per-row weights: sample weights times class weights. "balanced" gives class k the weight n / (nPresent · count_k)
 * over the rows given (unweighted counts, as scikit-learn does); listed classes get their weight, others 1.
 */
export function rowWeights(
  nRows: number,
  yClass: Int32Array | null,
  nClasses: number,
  sampleWeight: Float64Array | undefined,
  classWeight: ClassWeight,
  owner: string,
): Float64Array {
  const w = sampleWeight ? Float64Array.from(sampleWeight) : new Float64Array(nRows).fill(1);
  if (!yClass || classWeight === null) return w;
  const perClass = classWeightVector(yClass, nClasses, classWeight, owner);
  for (let i = 0; i < nRows; i++) w[i] *= perClass[yClass[i]];
  return w;
}

export function classWeightVector(
  yClass: ArrayLike<number>,
  nClasses: number,
  classWeight: 'balanced' | Readonly<Record<string, number>>,
  owner: string,
): Float64Array {
  const out = new Float64Array(nClasses).fill(1);
  if (classWeight === 'balanced') {
    const counts = new Float64Array(nClasses);
    for (let i = 0; i < yClass.length; i++) counts[yClass[i]]++;
    let present = 0;
    for (let k = 0; k < nClasses; k++) if (counts[k] > 0) present++;
    for (let k = 0; k < nClasses; k++) out[k] = counts[k] > 0 ? yClass.length / (present * counts[k]) : 0;
    return out;
  }
  for (const [key, w] of Object.entries(classWeight)) {
    const k = Number(key);
    if (k >= nClasses) {
      const expected = `class indices 0..${nClasses - 1}`;
      throw new ParamError([{ path: ['classWeight'], expected, received: `class ${k}`, message: `classWeight: class ${k} does not exist (classes are 0..${nClasses - 1})` }], owner);
    }
    out[k] = w;
  }
  return out;
}
