// The fitted gradient-boosting model: an immutable TreeEnsemble plus the link from raw scores to predictions.
// Saves to and loads from the artifact format (arrays + JSON meta; loading validates every index, runs no code).
// Isomorphic: no Node imports, no worker threads (the browser runtime loads the same file).

import { requireArray, type Artifact, type Json } from '../../core/artifact.js';
import { ModelFormatError } from '../../core/errors.js';
import type { FeatureInfo, Matrix, Model } from '../../core/learner.js';
import { registerModelKind } from '../../core/model-kinds.js';
import { checkPredictMatrix, featuresFromJson, featuresToJson } from '../tree/checks.js';
import { validateEnsemble, type TreeEnsemble } from './ensemble.js';
import { featureImportance, type ImportanceType } from './importance.js';
import type { Link } from './loss.js';
import { buildEvaluator, rawScores, rawScoresOfRow, type Evaluator } from './predict.js';
import { TreeShap } from './shap.js';

export const GBDT_CLASSIFIER_KIND = 'gbdt.classifier';
export const GBDT_REGRESSOR_KIND = 'gbdt.regressor';
const FORMAT = 1;

export interface GbdtModelParts {
  readonly kind: typeof GBDT_CLASSIFIER_KIND | typeof GBDT_REGRESSOR_KIND;
  readonly features: readonly FeatureInfo[];
  readonly ensemble: TreeEnsemble;
  readonly link: Link;
  /** classifiers: the number of classes */
  readonly nClasses?: number;
  /** fit-time facts kept with the model (params, rounds kept, best validation score) as plain JSON */
  readonly info: { [key: string]: Json };
}

/** The regressor model, and the base of the classifier model. */
export class GbdtModel implements Model {
  readonly kind: GbdtModelParts['kind'];
  readonly features: readonly FeatureInfo[];
  readonly ensemble: TreeEnsemble;
  readonly link: Link;
  readonly nClasses?: number;
  readonly info: Readonly<{ [key: string]: Json }>;
  /** single-row scratch: raw scores of one row */
  private readonly rowRaw: Float64Array;
  /** the traversal layout, derived from the ensemble on first use */
  private evaluator: Evaluator | null = null;

  constructor(parts: GbdtModelParts) {
    this.kind = parts.kind;
    this.features = Object.freeze(parts.features.map((f) => Object.freeze({ ...f })));
    this.ensemble = parts.ensemble;
    this.link = parts.link;
    if (parts.nClasses !== undefined) this.nClasses = parts.nClasses;
    this.info = Object.freeze(parts.info);
    this.rowRaw = new Float64Array(parts.ensemble.nOutputs);
  }

  private get ev(): Evaluator {
    this.evaluator ??= buildEvaluator(this.ensemble);
    return this.evaluator;
  }

  /** Number of boosting rounds kept. */
  get rounds(): number {
    return this.ensemble.nTrees / this.ensemble.nOutputs;
  }

  /** Raw scores (margins), n × nOutputs row-major: log-odds (binary), per-class scores (multiclass), or the log mean (Poisson). */
  predictRaw(x: Matrix): Float64Array {
    checkPredictMatrix(x, this.features, this.kind);
    return rawScores(this.ev, x.data, x.nRows);
  }

  /** Regression: the prediction; classification: the most probable class index. */
  predict(x: Matrix): Float64Array {
    const raw = this.predictRaw(x);
    const n = x.nRows;
    const k = this.ensemble.nOutputs;
    const out = new Float64Array(n);
    if (this.nClasses === undefined) {
      for (let i = 0; i < n; i++) out[i] = this.link === 'exp' ? Math.exp(raw[i]) : raw[i];
    } else if (k === 1) {
      for (let i = 0; i < n; i++) out[i] = raw[i] > 0 ? 1 : 0;
    } else {
      for (let i = 0; i < n; i++) {
        let best = 0;
        for (let j = 1; j < k; j++) if (raw[i * k + j] > raw[i * k + best]) best = j;
        out[i] = best;
      }
    }
    return out;
  }

  /**
   * One row (nFeatures values in the training column order) into `out`: the prediction in out[0] for a regressor,
   * the class probabilities in out[0..nClasses) for a classifier. Allocates nothing: use it on serving hot paths.
   */
  predictRowInto(row: Float64Array, out: Float64Array): void {
    rawScoresOfRow(this.ev, row, 0, this.rowRaw, 0);
    if (this.nClasses === undefined) out[0] = this.link === 'exp' ? Math.exp(this.rowRaw[0]) : this.rowRaw[0];
    else this.probabilities(this.rowRaw, 0, out, 0);
  }

  /** Raw scores of one row into out[0..nOutputs). Allocates nothing. */
  rawRowInto(row: Float64Array, out: Float64Array): void {
    rawScoresOfRow(this.ev, row, 0, out, 0);
  }

  protected probabilities(raw: Float64Array, r: number, out: Float64Array, o: number): void {
    const k = this.ensemble.nOutputs;
    if (k === 1) {
      const p = 1 / (1 + Math.exp(-raw[r]));
      out[o] = 1 - p;
      out[o + 1] = p;
      return;
    }
    let max = -Infinity;
    for (let j = 0; j < k; j++) if (raw[r + j] > max) max = raw[r + j];
    let sum = 0;
    for (let j = 0; j < k; j++) sum += out[o + j] = Math.exp(raw[r + j] - max);
    for (let j = 0; j < k; j++) out[o + j] /= sum;
  }

  /**
   * TreeSHAP contributions, n × nOutputs × (nFeatures + 1) row-major: per row and output, one value per feature and
   * then the bias; each row's values add up to its raw score (predictRaw).
   */
  shap(x: Matrix): Float64Array {
    checkPredictMatrix(x, this.features, this.kind);
    const { nRows, nCols } = x;
    const width = this.ensemble.nOutputs * (nCols + 1);
    const out = new Float64Array(nRows * width);
    const explainer = new TreeShap(this.ensemble);
    const row = new Float64Array(nCols);
    for (let i = 0; i < nRows; i++) {
      for (let j = 0; j < nCols; j++) row[j] = x.data[j * nRows + i];
      explainer.explainRow(row, 0, out, i * width);
    }
    return out;
  }

  /** Per-feature contributions as Pipeline.explain asks every model for them: the TreeSHAP values of `shap`. */
  contributions(x: Matrix): Float64Array {
    return this.shap(x);
  }

  /** Total split gain ('gain') or number of splits ('split') per feature. */
  featureImportance(type: ImportanceType = 'gain', normalize = false): Float64Array {
    return featureImportance(this.ensemble, type, normalize);
  }

  toArtifact(): Artifact {
    const e = this.ensemble;
    return {
      kind: this.kind,
      meta: {
        format: FORMAT,
        features: featuresToJson(this.features),
        nOutputs: e.nOutputs,
        nTrees: e.nTrees,
        nNodes: e.feature.length,
        nCategoryWords: e.catBits.length,
        link: this.link,
        ...(this.nClasses !== undefined ? { nClasses: this.nClasses } : {}),
        info: this.info as Json,
      },
      arrays: {
        baseScore: e.baseScore,
        treeStart: e.treeStart,
        feature: e.feature,
        flags: e.flags,
        threshold: e.threshold,
        left: e.left,
        catStart: e.catStart,
        catBits: e.catBits,
        cover: e.cover,
        gain: e.gain,
      },
    };
  }

  static fromArtifact(a: Artifact): GbdtModel {
    const kind = a.kind;
    if (kind !== GBDT_CLASSIFIER_KIND && kind !== GBDT_REGRESSOR_KIND) throw new ModelFormatError(`not a gradient-boosting model: ${kind}`);
    const m = a.meta;
    const fail = (why: string): never => {
      throw new ModelFormatError(`${kind}: ${why}`, { hint: 'the model file is damaged or from another version; export it again' });
    };
    if (m.format !== FORMAT) fail(`model format ${String(m.format)} is not supported`);
    const count = (name: string, min: number): number => {
      const v = m[name];
      return typeof v === 'number' && Number.isInteger(v) && v >= min ? v : fail(`meta "${name}" is missing or invalid`);
    };
    const features = featuresFromJson(m.features, kind);
    const nOutputs = count('nOutputs', 1);
    const nTrees = count('nTrees', 0);
    const nNodes = count('nNodes', 0);
    const nWords = count('nCategoryWords', 0);
    const link = m.link;
    if (link !== 'identity' && link !== 'logistic' && link !== 'softmax' && link !== 'exp') fail('meta "link" is invalid');
    let nClasses: number | undefined;
    if (kind === GBDT_CLASSIFIER_KIND) {
      nClasses = count('nClasses', 2);
      if (nOutputs !== (nClasses === 2 ? 1 : nClasses)) fail('nOutputs does not match nClasses');
    }
    if (nTrees % nOutputs !== 0) fail('the tree count is not a multiple of the outputs');
    const info = m.info;
    if (typeof info !== 'object' || info === null || Array.isArray(info)) fail('meta "info" is missing');
    const ensemble: TreeEnsemble = {
      nFeatures: features.length,
      nOutputs,
      nTrees,
      baseScore: requireArray(a, 'baseScore', Float64Array, nOutputs),
      treeStart: requireArray(a, 'treeStart', Int32Array, nTrees + 1),
      feature: requireArray(a, 'feature', Int32Array, nNodes),
      flags: requireArray(a, 'flags', Uint8Array, nNodes),
      threshold: requireArray(a, 'threshold', Float64Array, nNodes),
      left: requireArray(a, 'left', Int32Array, nNodes),
      catStart: requireArray(a, 'catStart', Int32Array, nNodes),
      catBits: requireArray(a, 'catBits', Uint32Array, nWords),
      cover: requireArray(a, 'cover', Float64Array, nNodes),
      gain: requireArray(a, 'gain', Float64Array, nNodes),
      nCategories: Int32Array.from(features, (f) => (f.kind === 'categorical' ? (f.nCategories ?? 0) : 0)),
    };
    validateEnsemble(ensemble, kind);
    const parts: GbdtModelParts = { kind: kind as GbdtModelParts['kind'], features, ensemble, link: link as Link, nClasses, info: info as { [key: string]: Json } };
    return kind === GBDT_CLASSIFIER_KIND ? new GbdtClassifierModel(parts) : new GbdtModel(parts);
  }
}

/** A classifier also gives class probabilities (a regressor has no predictProba at all). */
export class GbdtClassifierModel extends GbdtModel {
  declare readonly nClasses: number;

  /** Classification: probabilities, n × nClasses row-major. */
  predictProba(x: Matrix): Float64Array {
    const raw = this.predictRaw(x);
    const n = x.nRows;
    const out = new Float64Array(n * this.nClasses);
    for (let i = 0; i < n; i++) this.probabilities(raw, i * this.ensemble.nOutputs, out, i * this.nClasses);
    return out;
  }

}

registerModelKind(GBDT_CLASSIFIER_KIND, (a) => GbdtModel.fromArtifact(a));
registerModelKind(GBDT_REGRESSOR_KIND, (a) => GbdtModel.fromArtifact(a));
