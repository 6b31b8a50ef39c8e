// Feature importance of a boosted ensemble: total split gain per feature ('gain', LightGBM's and XGBoost's
// total_gain) or the number of splits on it ('split'). Isomorphic: no Node imports.

import type { TreeEnsemble } from './ensemble.js';

export type ImportanceType = 'gain' | 'split';

/** One value per feature; `normalize` scales them to sum to 1 (all zero when no tree splits). */
export function featureImportance(e: TreeEnsemble, type: ImportanceType = 'gain', normalize = false): Float64Array {
  const out = new Float64Array(e.nFeatures);
  for (let n = 0; n < e.feature.length; n++) {
    const f = e.feature[n];
    if (f >= 0) out[f] += type === 'gain' ? e.gain[n] : 1;
  }
  if (normalize) {
    let total = 0;
    for (let j = 0; j < out.length; j++) total += out[j];
    if (total > 0) for (let j = 0; j < out.length; j++) out[j] /= total;
  }
  return out;
}
