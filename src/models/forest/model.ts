// Fitted forests are tree-set models (see ../tree/model.ts): the mean of their trees' outputs. This file registers
// the forest kinds with the same loader. Isomorphic (no Node imports).

import { registerModelKind } from '../../core/model-kinds.js';
import { loadTreeModel } from '../tree/model.js';

export { TreeClassifierModel as ForestClassifierModel, TreeRegressorModel as ForestRegressorModel } from '../tree/model.js';

export const RANDOM_FOREST_CLASSIFIER_KIND = 'forest.random.classifier';
export const RANDOM_FOREST_REGRESSOR_KIND = 'forest.random.regressor';
export const EXTRA_TREES_CLASSIFIER_KIND = 'forest.extra.classifier';
export const EXTRA_TREES_REGRESSOR_KIND = 'forest.extra.regressor';

for (const kind of [RANDOM_FOREST_CLASSIFIER_KIND, RANDOM_FOREST_REGRESSOR_KIND, EXTRA_TREES_CLASSIFIER_KIND, EXTRA_TREES_REGRESSOR_KIND])
  registerModelKind(kind, loadTreeModel);
