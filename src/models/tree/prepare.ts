// Turns a checked TrainSet into the TreeData every tree of a fit reads: binned features when the 'best' splitter is
// used, labels as class indices or the target as numbers. Done once per fit, shared by all trees of a forest.

import type { TrainSet } from '../../core/learner.js';
import { binMatrix, fitBinning } from './binning.js';
import type { TreeData } from './builder.js';
import type { CheckedTrainSet } from './checks.js';

export function prepareTreeData(data: TrainSet, checked: CheckedTrainSet, options: { bins: boolean; maxBins: number }): TreeData {
  const binning = options.bins ? fitBinning(data.x, options.maxBins) : null;
  return {
    nRows: checked.nRows,
    nCols: checked.nCols,
    x: data.x.data,
    bins: binning ? binMatrix(data.x, binning) : null,
    binning,
    yClass: checked.yClass,
    yValue: checked.yClass ? null : data.y,
    nClasses: checked.yClass ? checked.nClasses : 0,
  };
}
