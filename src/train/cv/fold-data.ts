// Feature matrices per fold, fitted inside the fold: each fold's chain (imputation, scaling, one-hot, target
// encoding) learns from that fold's training rows only, then transforms its validation rows and the holdout.
// Every candidate of the same chain kind reads the same fitted chain, so matrices are built once per fold and
// kept while they fit in the memory allowance (beyond it they are rebuilt on demand, with the same seed).

import type { Matrix } from '../../core/learner.js';
import { Rng } from '../../core/rng.js';
import { type ChainParams, type FeatureChain, fitFeatureChain } from '../../features/index.js';
import type { PreparedData, RowSet } from './prepare.js';

export interface FoldMatrices {
  readonly chain: FeatureChain;
  readonly xTrain: Matrix;
  readonly yTrain: Float64Array;
  /** absent for the final fit on all rows */
  readonly xValid?: Matrix;
  readonly xHoldout?: Matrix;
}

/** matrices kept in memory at most (bytes); a typical run needs a small fraction of this */
const CACHE_BYTES = 768 * 1024 * 1024;

/** the fold index meaning "all search rows" */
export const ALL_ROWS = -1;

export class FoldData {
  private readonly cache = new Map<string, FoldMatrices>();
  private readonly finalCache = new Map<string, FoldMatrices>();
  private cachedBytes = 0;

  constructor(
    private readonly data: PreparedData,
    private readonly seed: number,
  ) {}

  /** a chain fitted on the final rows (every labelled row: see finalRows), and their matrix */
  final(rows: RowSet, kind: ChainParams['kind'], params: Partial<ChainParams> = {}): FoldMatrices {
    const key = `final:${kind}:${JSON.stringify(params)}`;
    const hit = this.finalCache.get(key);
    if (hit) return hit;
    const rng = new Rng(this.seed * 1009 + 5);
    const { chain, x } = fitFeatureChain(rows.frame, { ...params, kind, target: { y: rows.y, task: this.data.task, nClasses: this.data.nClasses || undefined }, rng });
    const made = { chain, xTrain: x, yTrain: rows.y };
    this.finalCache.set(key, made);
    return made;
  }

  get(fold: number, kind: ChainParams['kind'], params: Partial<ChainParams> = {}): FoldMatrices {
    const key = `${fold}:${kind}:${JSON.stringify(params)}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const made = this.build(fold, kind, params);
    const bytes = 8 * (made.xTrain.data.length + (made.xValid?.data.length ?? 0) + (made.xHoldout?.data.length ?? 0));
    if (this.cachedBytes + bytes <= CACHE_BYTES) {
      this.cache.set(key, made);
      this.cachedBytes += bytes;
    }
    return made;
  }

  private build(fold: number, kind: ChainParams['kind'], params: Partial<ChainParams>): FoldMatrices {
    const d = this.data;
    const trainRows = fold === ALL_ROWS ? null : d.folds[fold].train;
    const trainFrame = trainRows ? d.frame.take(trainRows) : d.frame;
    const yTrain = trainRows ? Float64Array.from(trainRows, (i) => d.y[i]) : d.y;
    // the same seed for a given fold, whatever order candidates arrive in: runs stay reproducible
    const rng = new Rng(this.seed * 1009 + fold + 7);
    const { chain, x } = fitFeatureChain(trainFrame, { ...params, kind, target: { y: yTrain, task: d.task, nClasses: d.nClasses || undefined }, rng });
    return {
      chain,
      xTrain: x,
      yTrain,
      xValid: trainRows ? chain.transform(d.frame.take(d.folds[fold].valid)) : undefined,
      xHoldout: d.holdout ? chain.transform(d.holdout.frame) : undefined,
    };
  }
}
