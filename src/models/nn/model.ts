// Fitted multi-layer perceptrons: the network (network.ts) plus what turns inputs into its inputs (per-column
// mean and scale; a missing value becomes the column mean) and its outputs into predictions (class probabilities,
// or the de-standardised target). Isomorphic (no Node imports).

import { requireArray, type Artifact, type Json } from '../../core/artifact.js';
import { ModelFormatError } from '../../core/errors.js';
import type { FeatureInfo, Matrix, Model } from '../../core/learner.js';
import { registerModelKind } from '../../core/model-kinds.js';
import { checkPredictMatrix, featuresFromJson, featuresToJson, toRowMajor } from '../tree/checks.js';
import { forward, layout, OUT_IDENTITY, OUT_SIGMOID, OUT_SOFTMAX, type NetworkShape, type OutputKind } from './network.js';
import type { Activation } from './params.js';
import { argmaxRows } from '../../core/argmax.js';

export const MLP_CLASSIFIER_KIND = 'nn.mlp.classifier';
export const MLP_REGRESSOR_KIND = 'nn.mlp.regressor';

/** rows per forward pass at prediction (bounds the activation buffers) */
const PREDICT_BLOCK_ROWS = 256;

export interface MLPParts {
  readonly features: readonly FeatureInfo[];
  readonly shape: NetworkShape;
  readonly params: Float64Array;
  /** per input column: subtract the mean, divide by the scale (0 and 1 for columns left as they are) */
  readonly inputMean: Float64Array; // (nInputs)
  readonly inputScale: Float64Array; // (nInputs)
  /** regressors: prediction = output · targetScale + targetMean */
  readonly targetMean: number;
  readonly targetScale: number;
  /** fit-time facts (epochs, losses, params) as plain JSON */
  readonly info: { [key: string]: Json };
}

abstract class MLPModel implements Model {
  abstract readonly kind: string;
  abstract readonly nClasses?: number;
  readonly features: readonly FeatureInfo[];
  readonly info: Readonly<{ [key: string]: Json }>;
  protected readonly parts: MLPParts;

  constructor(parts: MLPParts) {
    this.parts = parts;
    this.features = Object.freeze(parts.features.map((f) => Object.freeze({ ...f })));
    this.info = Object.freeze(parts.info);
  }

  abstract predict(x: Matrix): Float64Array;

  /** network outputs after the output activation, (nRows, nOutputs) row-major */
  protected outputs(x: Matrix): Float64Array {
    checkPredictMatrix(x, this.features, this.kind);
    const { shape, params, inputMean, inputScale } = this.parts;
    const { nRows, nCols } = x;
    const nOut = shape.sizes[shape.sizes.length - 1];
    const out = new Float64Array(nRows * nOut);
    const block = new Float64Array(Math.min(nRows, PREDICT_BLOCK_ROWS) * nCols); // (blockRows, nCols)
    const acts = shape.sizes.map((u) => new Float64Array(Math.min(nRows, PREDICT_BLOCK_ROWS) * u));
    for (let start = 0; start < nRows; start += PREDICT_BLOCK_ROWS) {
      const n = Math.min(PREDICT_BLOCK_ROWS, nRows - start);
      toRowMajor(x, start, start + n, block);
      standardizeRows(block, n, nCols, inputMean, inputScale);
      out.set(forward(shape, params, block, n, acts).subarray(0, n * nOut), start * nOut);
    }
    return out;
  }

  toArtifact(): Artifact {
    const { shape, params, inputMean, inputScale, targetMean, targetScale } = this.parts;
    return {
      kind: this.kind,
      meta: {
        features: featuresToJson(this.features),
        nClasses: this.nClasses ?? null,
        sizes: [...shape.sizes],
        activation: shape.activation,
        output: shape.output,
        targetMean,
        targetScale,
        info: this.info as { [key: string]: Json },
      },
      arrays: { params, inputMean, inputScale },
    };
  }
}

/** (v − mean) / scale in place; a missing value becomes 0, i.e. the training mean. */
export function standardizeRows(rows: Float64Array, n: number, p: number, mean: Float64Array, scale: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const o = i * p;
    for (let j = 0; j < p; j++) {
      const v = rows[o + j];
      rows[o + j] = v === v ? (v - mean[j]) / scale[j] : 0;
    }
  }
}

export class MLPClassifierModel extends MLPModel {
  readonly kind = MLP_CLASSIFIER_KIND;
  readonly nClasses: number;

  constructor(parts: MLPParts, nClasses: number) {
    super(parts);
    this.nClasses = nClasses;
  }

  /** class probabilities, n × nClasses row-major */
  predictProba(x: Matrix): Float64Array {
    const o = this.outputs(x);
    if (this.parts.shape.output !== OUT_SIGMOID) return o;
    // binary: one sigmoid unit gives P(class 1)
    const out = new Float64Array(x.nRows * 2);
    for (let i = 0; i < x.nRows; i++) {
      out[2 * i] = 1 - o[i];
      out[2 * i + 1] = o[i];
    }
    return out;
  }

  predict(x: Matrix): Float64Array {
    const proba = this.predictProba(x);
    const k = this.nClasses;
    return argmaxRows(proba, k);
  }
}

export class MLPRegressorModel extends MLPModel {
  readonly kind = MLP_REGRESSOR_KIND;
  readonly nClasses = undefined;

  predict(x: Matrix): Float64Array {
    const o = this.outputs(x);
    const { targetMean, targetScale } = this.parts;
    for (let i = 0; i < o.length; i++) o[i] = o[i] * targetScale + targetMean;
    return o;
  }
}

function loadMLP(artifact: Artifact): MLPClassifierModel | MLPRegressorModel {
  const { kind, meta } = artifact;
  const fail = (why: string): never => {
    throw new ModelFormatError(`${kind}: ${why}`);
  };
  const features = featuresFromJson(meta.features, kind);
  const sizes = meta.sizes;
  if (!Array.isArray(sizes) || sizes.length < 2 || !sizes.every((u) => Number.isInteger(u) && (u as number) >= 1)) fail('layer sizes are malformed');
  const sz = sizes as number[];
  if (sz[0] !== features.length) fail('the input layer does not match the features');
  const activation = meta.activation;
  if (!['relu', 'tanh', 'logistic', 'identity'].includes(activation as string)) fail('unknown activation');
  const output = meta.output;
  if (output !== OUT_IDENTITY && output !== OUT_SIGMOID && output !== OUT_SOFTMAX) fail('unknown output kind');
  const { targetMean, targetScale } = meta;
  if (typeof targetMean !== 'number' || typeof targetScale !== 'number' || !(targetScale > 0)) fail('target scaling is malformed');
  const info = meta.info;
  if (typeof info !== 'object' || info === null || Array.isArray(info)) fail('info must be an object');
  const shape: NetworkShape = { sizes: sz, activation: activation as Activation, output: output as OutputKind };
  const nOut = sz[sz.length - 1];
  const parts: MLPParts = {
    features,
    shape,
    params: requireArray(artifact, 'params', Float64Array, layout(sz).total),
    inputMean: requireArray(artifact, 'inputMean', Float64Array, features.length),
    inputScale: requireArray(artifact, 'inputScale', Float64Array, features.length),
    targetMean: targetMean as number,
    targetScale: targetScale as number,
    info: info as { [key: string]: Json },
  };
  if (kind === MLP_CLASSIFIER_KIND) {
    const nClasses = meta.nClasses;
    const expected = output === OUT_SIGMOID ? 2 : nOut;
    if (output === OUT_IDENTITY || nClasses !== expected || (output === OUT_SIGMOID && nOut !== 1)) fail('outputs do not match nClasses');
    return new MLPClassifierModel(parts, nClasses as number);
  }
  if (output !== OUT_IDENTITY || nOut !== 1) fail('a regressor has one identity output');
  return new MLPRegressorModel(parts);
}

registerModelKind(MLP_CLASSIFIER_KIND, loadMLP);
registerModelKind(MLP_REGRESSOR_KIND, loadMLP);
