// Grows a forest's trees from their seeds. A tree's bootstrap sample and its feature sampling come from its own seed
// only, so the trees do not depend on which thread grows them or in what order: 1 thread and N threads give the same
// forest. Fit-time only (no Node imports, so it can run in a worker or on the calling thread alike).

import { Rng } from '../../core/rng.js';
import { TreeBuilder, type GrowParams, type TreeData } from '../tree/builder.js';
import type { GrownTree } from '../tree/grown-tree.js';

export interface ForestPlan {
  readonly data: TreeData;
  readonly grow: GrowParams;
  /** sample weights × class weights (except balanced_subsample, applied per tree) */
  readonly baseWeight: Float64Array; // (nRows)
  readonly bootstrap: boolean;
  /** rows drawn with replacement per tree (bootstrap only) */
  readonly nDraws: number;
  /** re-balance classes on each bootstrap sample ("balanced_subsample") */
  readonly balancedSubsample: boolean;
}

/** Bootstrap draw counts for one tree: counts[i] = how often row i was drawn. The first use of the tree's rng. */
export function drawBootstrap(rng: Rng, nRows: number, nDraws: number, counts: Float64Array): void {
  counts.fill(0);
  for (let d = 0; d < nDraws; d++) counts[rng.int(nRows)]++;
}

/**
 * One tree's row weights: base weights times bootstrap draw counts (times the per-sample class balance for
 * "balanced_subsample"), or the base weights as they are without bootstrap. Consumes the tree's rng first.
 */
export function prepareBootstrapWeights(
  plan: ForestPlan,
  rng: Rng,
  weight: Float64Array,
  scratch: { counts: Float64Array; classFactor: Float64Array },
): void {
  const { data, baseWeight } = plan;
  const n = data.nRows;
  if (!plan.bootstrap) {
    weight.set(baseWeight);
    return;
  }
  drawBootstrap(rng, n, plan.nDraws, scratch.counts);
  for (let i = 0; i < n; i++) weight[i] = baseWeight[i] * scratch.counts[i];
  if (plan.balancedSubsample && data.yClass) balanceOnSample(data.yClass, scratch.counts, weight, scratch.classFactor);
}

/** Grow one tree per seed, in order, on this thread; `afterTree(i)` runs after each (progress, abort checks). */
export function growTrees(plan: ForestPlan, seeds: ArrayLike<number>, afterTree?: (i: number) => void): GrownTree[] {
  const n = plan.data.nRows;
  const builder = new TreeBuilder(plan.data, plan.grow);
  const weight = new Float64Array(n); // (nRows) this tree's row weights
  const scratch = { counts: new Float64Array(n), classFactor: new Float64Array(Math.max(1, plan.data.nClasses)) };
  const trees: GrownTree[] = [];
  for (let t = 0; t < seeds.length; t++) {
    const rng = new Rng(seeds[t]);
    prepareBootstrapWeights(plan, rng, weight, scratch);
    trees.push(builder.grow(weight, rng));
    afterTree?.(t);
  }
  return trees;
}

/** scikit-learn's "balanced_subsample": class k of the drawn rows gets nDrawn / (nPresent · drawn_k). */
function balanceOnSample(y: Int32Array, counts: Float64Array, weight: Float64Array, classFactor: Float64Array): void {
  classFactor.fill(0);
  let drawn = 0;
  for (let i = 0; i < y.length; i++) {
    classFactor[y[i]] += counts[i];
    drawn += counts[i];
  }
  let present = 0;
  for (let k = 0; k < classFactor.length; k++) if (classFactor[k] > 0) present++;
  for (let k = 0; k < classFactor.length; k++) classFactor[k] = classFactor[k] > 0 ? drawn / (present * classFactor[k]) : 0;
  for (let i = 0; i < y.length; i++) weight[i] *= classFactor[y[i]];
}
