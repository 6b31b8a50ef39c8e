// k-nearest-neighbour hyper-parameters, declared once (doc + default + constraint), in scikit-learn's terms.

import { constraints as c, type ParamTable } from '../../core/params.js';

export interface KNeighborsParams {
  /** neighbours that vote (or are averaged); more than the training rows means all of them */
  nNeighbors: number;
  /** "uniform": every neighbour counts the same; "distance": weight 1/distance (an exact match takes the whole vote) */
  weights: 'uniform' | 'distance';
  /** "euclidean", "manhattan" or "cosine" (1 − cosine similarity) */
  metric: 'euclidean' | 'manhattan' | 'cosine';
}

export const KNEIGHBORS_PARAMS: ParamTable<KNeighborsParams> = {
  nNeighbors: { default: 5, doc: 'neighbours that vote or are averaged', check: c.int(1, 100000) },
  weights: { default: 'uniform', doc: '"uniform" or "distance" (1/distance; exact matches take the whole vote)', check: c.oneOf('uniform', 'distance') },
  metric: { default: 'euclidean', doc: '"euclidean", "manhattan" or "cosine"', check: c.oneOf('euclidean', 'manhattan', 'cosine') },
};
