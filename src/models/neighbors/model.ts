// Fitted k-nearest-neighbour models: the training rows themselves (row-major, missing values filled with the
// training column means, unit length for the cosine metric) and their labels. Predicting searches the k nearest
// rows (search.ts) and lets them vote (classifier) or averages them (regressor). Isomorphic (no Node imports).

import { requireArray, type Artifact } from '../../core/artifact.js';
import { ModelFormatError } from '../../core/errors.js';
import type { FeatureInfo, Matrix, Model } from '../../core/learner.js';
import { registerModelKind } from '../../core/model-kinds.js';
import { checkPredictMatrix, featuresFromJson, featuresToJson, toRowMajor } from '../tree/checks.js';
import { COSINE, METRICS, normalizeRows, type MetricId } from './distance.js';
import type { KNeighborsParams } from './params.js';
import { buildIndex, kNearest, type NeighborIndex } from './search.js';
import { argmaxRows } from '../../core/argmax.js';

export const KNN_CLASSIFIER_KIND = 'neighbors.knn.classifier';
export const KNN_REGRESSOR_KIND = 'neighbors.knn.regressor';

/** queries handled per block (bounds the row-major copy and the neighbour lists) */
const PREDICT_BLOCK_ROWS = 1024;

export interface KNeighborsParts {
  readonly features: readonly FeatureInfo[];
  readonly params: Readonly<KNeighborsParams>;
  /** prepared training rows */
  readonly train: Float64Array; // (nTrain, nCols) row-major
  /** training column means, put in place of missing values */
  readonly fill: Float64Array; // (nCols)
  /** class index per training row (classifier) */
  readonly labels: Int32Array | null; // (nTrain)
  /** target per training row (regressor) */
  readonly targets: Float64Array | null; // (nTrain)
  /** each training row's sample weight (multiplies its vote) */
  readonly rowWeight: Float64Array; // (nTrain)
  readonly nClasses?: number;
}

abstract class KNeighborsModel implements Model {
  abstract readonly kind: string;
  readonly features: readonly FeatureInfo[];
  readonly params: Readonly<KNeighborsParams>;
  protected readonly parts: KNeighborsParts;
  protected readonly index: NeighborIndex;
  protected readonly k: number;

  constructor(parts: KNeighborsParts) {
    this.parts = parts;
    this.features = Object.freeze(parts.features.map((f) => Object.freeze({ ...f })));
    this.params = Object.freeze({ ...parts.params });
    const nCols = parts.features.length;
    const nTrain = parts.rowWeight.length;
    const metric: MetricId = METRICS[parts.params.metric];
    this.index = buildIndex(metric, parts.train, nTrain, nCols);
    this.k = Math.min(parts.params.nNeighbors, nTrain);
  }

  abstract predict(x: Matrix): Float64Array;

  /**
   * Visit the neighbours of every row of x: `each(row, indices, distances, weights, offset)` gets the k neighbour
   * rows (nearest first) with their vote weights (distance weighting × sample weight).
   */
  protected neighbours(x: Matrix, each: (row: number, indices: Int32Array, weights: Float64Array, offset: number) => void): void {
    checkPredictMatrix(x, this.features, this.kind);
    const { nRows, nCols } = x;
    const k = this.k;
    const block = new Float64Array(Math.min(nRows, PREDICT_BLOCK_ROWS) * nCols); // (blockRows, nCols)
    const indices = new Int32Array(PREDICT_BLOCK_ROWS * k); // (blockRows, k)
    const distances = new Float64Array(PREDICT_BLOCK_ROWS * k);
    const weights = new Float64Array(PREDICT_BLOCK_ROWS * k);
    const { fill, rowWeight } = this.parts;
    const byDistance = this.params.weights === 'distance';
    for (let start = 0; start < nRows; start += PREDICT_BLOCK_ROWS) {
      const n = Math.min(PREDICT_BLOCK_ROWS, nRows - start);
      toRowMajor(x, start, start + n, block);
      for (let i = 0; i < n * nCols; i++) if (block[i] !== block[i]) block[i] = fill[i % nCols];
      if (this.index.metric === COSINE) normalizeRows(block, n, nCols);
      kNearest(this.index, block, n, k, indices, distances);
      for (let q = 0; q < n; q++) {
        const o = q * k;
        // with distance weights an exact match (distance 0) takes the whole vote, as in scikit-learn
        const exact = byDistance && distances[o] === 0;
        for (let r = 0; r < k; r++) {
          const d = distances[o + r];
          const w = !byDistance ? 1 : exact ? (d === 0 ? 1 : 0) : 1 / d;
          weights[o + r] = w * rowWeight[indices[o + r]];
        }
        each(start + q, indices, weights, o);
      }
    }
  }

  toArtifact(): Artifact {
    const p = this.parts;
    const arrays = {
      train: p.train,
      fill: p.fill,
      rowWeight: p.rowWeight,
      ...(p.labels ? { labels: p.labels } : {}),
      ...(p.targets ? { targets: p.targets } : {}),
    };
    return {
      kind: this.kind,
      meta: { features: featuresToJson(this.features), nClasses: p.nClasses ?? null, params: { ...this.params } },
      arrays,
    };
  }
}

export class KNeighborsClassifierModel extends KNeighborsModel {
  readonly kind = KNN_CLASSIFIER_KIND;
  readonly nClasses: number;

  constructor(parts: KNeighborsParts) {
    super(parts);
    this.nClasses = parts.nClasses as number;
  }

  /** weighted vote shares, n × nClasses row-major */
  predictProba(x: Matrix): Float64Array {
    const kc = this.nClasses;
    const out = new Float64Array(x.nRows * kc);
    const labels = this.parts.labels as Int32Array;
    this.neighbours(x, (row, indices, weights, o) => {
      let total = 0;
      for (let r = 0; r < this.k; r++) {
        out[row * kc + labels[indices[o + r]]] += weights[o + r];
        total += weights[o + r];
      }
      for (let c = 0; c < kc; c++) out[row * kc + c] /= total;
    });
    return out;
  }

  /** the class with the largest vote (the lowest index on ties) */
  predict(x: Matrix): Float64Array {
    const proba = this.predictProba(x);
    const kc = this.nClasses;
    return argmaxRows(proba, kc);
  }
}

export class KNeighborsRegressorModel extends KNeighborsModel {
  readonly kind = KNN_REGRESSOR_KIND;
  readonly nClasses = undefined;

  /** the weighted mean target of the neighbours */
  predict(x: Matrix): Float64Array {
    const out = new Float64Array(x.nRows);
    const targets = this.parts.targets as Float64Array;
    this.neighbours(x, (row, indices, weights, o) => {
      let s = 0;
      let total = 0;
      for (let r = 0; r < this.k; r++) {
        s += weights[o + r] * targets[indices[o + r]];
        total += weights[o + r];
      }
      out[row] = s / total;
    });
    return out;
  }
}

function loadKNeighbors(artifact: Artifact): KNeighborsClassifierModel | KNeighborsRegressorModel {
  const { kind, meta } = artifact;
  const features = featuresFromJson(meta.features, kind);
  const p = meta.params as Partial<KNeighborsParams> | null;
  if (
    !p ||
    !(Number.isInteger(p.nNeighbors) && (p.nNeighbors as number) >= 1) ||
    (p.weights !== 'uniform' && p.weights !== 'distance') ||
    !(typeof p.metric === 'string' && Object.hasOwn(METRICS, p.metric))
  )
    throw new ModelFormatError(`${kind}: params are malformed`);
  const params = { nNeighbors: p.nNeighbors as number, weights: p.weights, metric: p.metric as KNeighborsParams['metric'] };
  const rowWeight = requireArray(artifact, 'rowWeight', Float64Array);
  const nTrain = rowWeight.length;
  if (nTrain < 1) throw new ModelFormatError(`${kind}: no training rows`);
  const common = {
    features,
    params,
    train: requireArray(artifact, 'train', Float64Array, nTrain * features.length),
    fill: requireArray(artifact, 'fill', Float64Array, features.length),
    rowWeight,
  };
  if (kind === KNN_CLASSIFIER_KIND) {
    const nClasses = meta.nClasses;
    if (!(Number.isInteger(nClasses) && (nClasses as number) >= 2)) throw new ModelFormatError(`${kind}: nClasses must be an integer >= 2`);
    const labels = requireArray(artifact, 'labels', Int32Array, nTrain);
    for (const l of labels) if (!(l >= 0 && l < (nClasses as number))) throw new ModelFormatError(`${kind}: a label is out of range`);
    return new KNeighborsClassifierModel({ ...common, labels, targets: null, nClasses: nClasses as number });
  }
  return new KNeighborsRegressorModel({ ...common, labels: null, targets: requireArray(artifact, 'targets', Float64Array, nTrain) });
}

registerModelKind(KNN_CLASSIFIER_KIND, loadKNeighbors);
registerModelKind(KNN_REGRESSOR_KIND, loadKNeighbors);
