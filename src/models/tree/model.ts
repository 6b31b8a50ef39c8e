// Fitted tree models: one decision tree or a forest (random forest, extra trees) share this representation, a TreeSet
// whose outputs are averaged. Classifier leaves hold class probabilities, regressor leaves the mean target.
// Isomorphic (no Node imports): the browser runtime loads these through the model-kind registry.

import { requireArray, type Artifact, type Json } from '../../core/artifact.js';
import { ModelFormatError } from '../../core/errors.js';
import type { FeatureInfo, Matrix, Model } from '../../core/learner.js';
import { registerModelKind } from '../../core/model-kinds.js';
import { checkPredictMatrix, featuresFromJson, featuresToJson, toRowMajor } from './checks.js';
import { accumulateTrees, validateTreeSet, type TreeSet } from './tree-set.js';
import { argmaxRows } from '../../core/argmax.js';

/** rows transposed to row-major per block: bounds the scratch memory and keeps a block in cache */
const PREDICT_BLOCK_ROWS = 1024;

export interface TreeModelParts {
  readonly kind: string;
  readonly features: readonly FeatureInfo[];
  readonly trees: TreeSet;
  /** mean decrease in impurity per feature, summing to 1 (all zero when no tree split) */
  readonly featureImportances: Float64Array; // (nCols)
  /** fit-time facts kept with the model (params, out-of-bag score, ...) as plain JSON */
  readonly info: { [key: string]: Json };
}

abstract class TreeEnsembleModel implements Model {
  readonly kind: string;
  readonly features: readonly FeatureInfo[];
  readonly trees: TreeSet;
  readonly featureImportances: Float64Array;
  readonly info: Readonly<{ [key: string]: Json }>;

  constructor(parts: TreeModelParts) {
    this.kind = parts.kind;
    this.features = Object.freeze(parts.features.map((f) => Object.freeze({ ...f })));
    this.trees = parts.trees;
    this.featureImportances = parts.featureImportances;
    this.info = Object.freeze(parts.info);
  }

  abstract predict(x: Matrix): Float64Array;

  /** Averaged tree outputs, n × nOutputs row-major. */
  protected averaged(x: Matrix): Float64Array {
    checkPredictMatrix(x, this.features, this.kind);
    const { nRows, nCols } = x;
    const k = this.trees.nOutputs;
    const out = new Float64Array(nRows * k);
    const block = new Float64Array(Math.min(nRows, PREDICT_BLOCK_ROWS) * nCols); // (blockRows, nCols)
    for (let start = 0; start < nRows; start += PREDICT_BLOCK_ROWS) {
      const end = Math.min(nRows, start + PREDICT_BLOCK_ROWS);
      toRowMajor(x, start, end, block);
      accumulateTrees(this.trees, block, end - start, nCols, out, start * k);
    }
    if (this.trees.nTrees > 1) {
      const scale = 1 / this.trees.nTrees;
      for (let i = 0; i < out.length; i++) out[i] *= scale;
    }
    return out;
  }

  toArtifact(): Artifact {
    const t = this.trees;
    return {
      kind: this.kind,
      meta: {
        features: featuresToJson(this.features),
        nClasses: this.nClasses ?? null,
        nTrees: t.nTrees,
        nOutputs: t.nOutputs,
        info: this.info as { [key: string]: Json },
      },
      arrays: {
        roots: t.roots,
        feature: t.feature,
        threshold: t.threshold,
        missingLeft: t.missingLeft,
        right: t.right,
        value: t.value,
        importance: this.featureImportances,
      },
    };
  }

  abstract readonly nClasses?: number;
}

export class TreeClassifierModel extends TreeEnsembleModel {
  readonly nClasses: number;

  constructor(parts: TreeModelParts) {
    super(parts);
    this.nClasses = parts.trees.nOutputs;
  }

  /** class probabilities, n × nClasses row-major (the mean of the trees' leaf class frequencies) */
  predictProba(x: Matrix): Float64Array {
    return this.averaged(x);
  }

  /** the most probable class index (the lowest index on ties) */
  predict(x: Matrix): Float64Array {
    const proba = this.averaged(x);
    const k = this.nClasses;
    return argmaxRows(proba, k);
  }
}

export class TreeRegressorModel extends TreeEnsembleModel {
  readonly nClasses = undefined;

  predict(x: Matrix): Float64Array {
    return this.averaged(x);
  }
}

/** Rebuild a tree model from an artifact; the same loader serves every tree and forest kind. */
export function loadTreeModel(artifact: Artifact): TreeClassifierModel | TreeRegressorModel {
  const { kind, meta } = artifact;
  const nTrees = meta.nTrees;
  const nOutputs = meta.nOutputs;
  if (!(Number.isInteger(nTrees) && (nTrees as number) >= 1 && Number.isInteger(nOutputs) && (nOutputs as number) >= 1))
    throw new ModelFormatError(`${kind}: nTrees and nOutputs must be positive integers`);
  const features = featuresFromJson(meta.features, kind);
  const isClassifier = meta.nClasses !== null;
  if (isClassifier && (meta.nClasses !== nOutputs || (nOutputs as number) < 2)) throw new ModelFormatError(`${kind}: nClasses does not match the leaf outputs`);
  if (!isClassifier && nOutputs !== 1) throw new ModelFormatError(`${kind}: a regressor has one output`);
  if (isClassifier !== kind.endsWith('.classifier')) throw new ModelFormatError(`${kind}: the kind and the meta disagree on the task`);
  const feature = requireArray(artifact, 'feature', Int32Array);
  const nNodes = feature.length;
  const trees: TreeSet = {
    nTrees: nTrees as number,
    nOutputs: nOutputs as number,
    roots: requireArray(artifact, 'roots', Int32Array, nTrees as number),
    feature,
    threshold: requireArray(artifact, 'threshold', Float64Array, nNodes),
    missingLeft: requireArray(artifact, 'missingLeft', Uint8Array, nNodes),
    right: requireArray(artifact, 'right', Int32Array, nNodes),
    value: requireArray(artifact, 'value', Float64Array),
  };
  validateTreeSet(trees, features.length, kind);
  const info = meta.info;
  if (typeof info !== 'object' || info === null || Array.isArray(info)) throw new ModelFormatError(`${kind}: info must be an object`);
  const parts: TreeModelParts = {
    kind,
    features,
    trees,
    featureImportances: requireArray(artifact, 'importance', Float64Array, features.length),
    info,
  };
  return isClassifier ? new TreeClassifierModel(parts) : new TreeRegressorModel(parts);
}

export const TREE_CLASSIFIER_KIND = 'tree.classifier';
export const TREE_REGRESSOR_KIND = 'tree.regressor';
registerModelKind(TREE_CLASSIFIER_KIND, loadTreeModel);
registerModelKind(TREE_REGRESSOR_KIND, loadTreeModel);
