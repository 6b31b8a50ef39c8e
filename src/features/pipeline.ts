// The Pipeline: what is registered, served and shipped to browsers. It holds, as data, the cleaning recipe, the
// fitted feature chain, the model, the label decoding and the input signature, and turns raw rows (a Frame or
// JSON records) into decoded predictions. Isomorphic: it reaches models only through the core registry of
// model kinds, so whoever loads a pipeline must have imported the model families it may contain.

import { decodeArtifact, encodeArtifact, nestArtifact, unnestArtifact, type Artifact, type Json } from '../core/artifact.js';
import { KilnError, ModelFormatError } from '../core/errors.js';
import type { Frame } from '../core/frame.js';
import { throwIfAborted, type Learner, type Matrix, type Model, type Task } from '../core/learner.js';
import { modelFromArtifact } from '../core/model-kinds.js';
import type { Rng } from '../core/rng.js';
import { type ChainParams, FeatureChain, fitFeatureChain } from './chain.js';
import { applyCleaning, type CleaningRecipe, recipeColumns, recipeFromJSON, typedInput } from './pipeline-recipe.js';
import { checkFrame, conformFrame, inferSignature, recordsToFrame, type RecordsOptions, type Signature, signatureFromJSON } from './signature.js';
import { encodeTarget } from './tabular-encoder.js';
import { argmaxAt } from '../core/argmax.js';

export const PIPELINE_KIND = 'kiln.pipeline';
/** the layout of a pipeline artifact's meta; bump when it changes incompatibly */
export const PIPELINE_FORMAT = 1;

export interface PipelineParts {
  readonly task: Task;
  /** the target column's name */
  readonly target: string;
  readonly signature: Signature;
  /** applied to incoming rows before the feature chain (predict mode: no row is dropped), or null */
  readonly recipe: CleaningRecipe | null;
  readonly chain: FeatureChain;
  readonly model: Model;
  /** classification: class names in the model's index order (binary: the positive class at index 1) */
  readonly classes?: readonly string[];
  /** binary: predict classes[1] when its probability is >= threshold; null or absent: the likeliest class */
  readonly threshold?: number | null;
  /** free JSON kept with the pipeline (metrics, run id...) */
  readonly info?: { readonly [key: string]: Json };
}

export interface PipelinePrediction {
  readonly task: Task;
  /** decoded: class names for classification, numbers for regression */
  readonly predictions: readonly (string | number)[];
  /** classification: the class index per row; regression: the predicted values */
  readonly values: Float64Array;
  /** classification: (nRows, nClasses) row-major, columns in `classes` order */
  readonly probabilities?: Float64Array;
  readonly classes?: readonly string[];
}

export interface FitPipelineOptions {
  readonly target: string;
  readonly task: Task;
  readonly learner: Learner;
  /** feature chain settings; the kind defaults to 'dense' */
  readonly chain?: Partial<ChainParams>;
  /** columns never used as features (identifiers, leaks); the recipe's identifiers are added */
  readonly drop?: readonly string[];
  /** binary: the positive class (index 1) */
  readonly positive?: string;
  /** a cleaning recipe fitted on the same rows, applied before the chain */
  readonly recipe?: CleaningRecipe | null;
  readonly threshold?: number | null;
  /** per-row weights aligned with `frame` */
  readonly sampleWeight?: Float64Array;
  readonly rng?: Rng;
  readonly signal?: AbortSignal;
  readonly info?: { readonly [key: string]: Json };
}

export class Pipeline {
  readonly task: Task;
  readonly target: string;
  readonly signature: Signature;
  readonly recipe: CleaningRecipe | null;
  readonly chain: FeatureChain;
  readonly model: Model;
  readonly classes?: readonly string[];
  readonly threshold: number | null;
  readonly info: { readonly [key: string]: Json };

  constructor(parts: PipelineParts) {
    const { model, chain, task } = parts;
    if (model.features.length !== chain.features.length || model.features.some((f, j) => f.name !== chain.features[j].name))
      throw new ModelFormatError('pipeline: the model was not fitted on this feature chain (feature names differ)');
    if (task !== 'regression') {
      if (!parts.classes || parts.classes.length < 2) throw new ModelFormatError('pipeline: a classifier needs its class names');
      if (model.nClasses !== parts.classes.length) throw new ModelFormatError(`pipeline: the model has ${model.nClasses} classes, the label decoding ${parts.classes.length}`);
      if (!model.predictProba) throw new ModelFormatError(`pipeline: model kind "${model.kind}" gives no class probabilities`);
    }
    const threshold = parts.threshold ?? null;
    if (threshold !== null && (task !== 'binary' || !(threshold >= 0 && threshold <= 1) || Number.isNaN(threshold)))
      throw new ModelFormatError(`pipeline: a decision threshold (${threshold}) needs a binary task and a value in [0, 1]`);
    this.task = task;
    this.target = parts.target;
    this.signature = parts.signature;
    this.recipe = parts.recipe;
    this.chain = chain;
    this.model = model;
    this.classes = parts.classes ? Object.freeze([...parts.classes]) : undefined;
    this.threshold = threshold;
    this.info = Object.freeze({ ...(parts.info ?? {}) });
  }

  /**
   * Fit everything on the rows of `frame` (raw, as read): the recipe is applied, rows without a target are
   * left out, the chain is fitted on the rest, then the learner.
   */
  static async fit(frame: Frame, options: FitPipelineOptions): Promise<Pipeline> {
    const { target, task } = options;
    if (!frame.has(target)) throw new KilnError('E_DATA_SCHEMA', `the target column "${target}" is not in the data`, { hint: `columns are: ${frame.names.slice(0, 30).join(', ')}` });
    if (options.sampleWeight && options.sampleWeight.length !== frame.nRows)
      throw new KilnError('E_DATA_SCHEMA', `${options.sampleWeight.length} sample weights for ${frame.nRows} rows`);
    const cleaned = options.recipe ? applyCleaning(options.recipe, frame, 'data') : frame;
    if (options.sampleWeight && cleaned.nRows !== frame.nRows)
      throw new KilnError('E_DATA_SCHEMA', 'sample weights cannot be used with a recipe that drops rows', { hint: 'clean the data first, then weight the cleaned rows' });
    const encoded = encodeTarget(cleaned, target, task, { positive: options.positive });
    // rows without a target cannot teach anything
    const keep: number[] = [];
    for (let i = 0; i < encoded.y.length; i++) if (!Number.isNaN(encoded.y[i])) keep.push(i);
    const all = keep.length === cleaned.nRows;
    const rows = all ? cleaned : cleaned.take(keep);
    const y = all ? encoded.y : Float64Array.from(keep, (i) => encoded.y[i]);
    if (rows.nRows === 0) throw new KilnError('E_DATA_EMPTY', `no rows with a value in "${target}" to learn from`);
    const sw = options.sampleWeight;
    const weights = sw && (all ? sw : Float64Array.from(keep, (i) => sw[i]));
    const identifiers = options.recipe ? recipeColumns(options.recipe, 'identifier') : [];
    const nClasses = encoded.classes?.length;
    const { chain, x } = fitFeatureChain(rows, {
      ...options.chain,
      exclude: [target, ...(options.drop ?? []), ...identifiers],
      target: { y, task, nClasses },
      rng: options.rng?.fork(),
    });
    throwIfAborted(options.signal);
    const model = await options.learner.fit({ x, features: chain.features, y, nClasses, sampleWeight: weights }, { rng: options.rng, signal: options.signal });
    // the signature describes rows as clients send them: before cleaning, typed as the recipe reads them; the
    // recipe needs each of its feature columns even when the chain ends up not reading one
    const input = options.recipe ? typedInput(options.recipe, frame) : frame;
    const features = options.recipe ? [...new Set([...recipeColumns(options.recipe, 'feature'), ...chain.inputs])].filter((n) => frame.has(n)) : chain.inputs;
    const signature = inferSignature(input, { features, target: { name: target, task, classes: encoded.classes } });
    return new Pipeline({ task, target, signature, recipe: options.recipe ?? null, chain, model, classes: encoded.classes, threshold: options.threshold, info: options.info });
  }

  /** rows as read → checked against the signature → cleaned by the recipe → the feature matrix */
  private matrix(frame: Frame): Matrix {
    // with a recipe, kinds are the recipe's to fix (it reads numbers stored as text, as at training)
    checkFrame(this.signature, frame, { kinds: this.recipe === null });
    const conformed = conformFrame(this.signature, frame);
    const cleaned = this.recipe ? applyCleaning(this.recipe, conformed, 'predict') : conformed;
    return this.chain.transform(cleaned);
  }

  /** Predict for rows in a Frame (as read from a file or a table); extra columns are ignored. */
  predict(frame: Frame): PipelinePrediction {
    const x = this.matrix(frame);
    if (this.task === 'regression') {
      const values = this.model.predict(x);
      return { task: this.task, predictions: Array.from(values), values };
    }
    const classes = this.classes!;
    const k = classes.length;
    const probabilities = this.model.predictProba!(x);
    const n = x.nRows;
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (this.threshold !== null) {
        values[i] = probabilities[2 * i + 1] >= this.threshold ? 1 : 0;
        continue;
      }
      values[i] = argmaxAt(probabilities, i, k);
    }
    return { task: this.task, predictions: Array.from(values, (c) => classes[c]), values, probabilities, classes };
  }

  /**
   * Per-feature contributions to each row's raw score, for models that can give them (a `contributions(x)`
   * method returning (nRows, nOutputs, nFeatures + 1) row-major, the last entry being the base value; the
   * linear models' are exact). Features are the chain's output columns (e.g. "plan=pro"); null when the model
   * cannot explain itself.
   */
  explain(frame: Frame): { features: string[]; nOutputs: number; values: Float64Array } | null {
    const model = this.model as Model & { contributions?: (x: Matrix) => Float64Array };
    if (typeof model.contributions !== 'function') return null;
    const x = this.matrix(frame);
    const values = model.contributions(x);
    const p = this.chain.features.length;
    const nOutputs = values.length / (x.nRows * (p + 1));
    if (!Number.isInteger(nOutputs)) throw new KilnError('E_INTERNAL', `model "${model.kind}" returned contributions of an unexpected size`, { status: 500 });
    return { features: [...this.chain.features.map((f) => f.name), '(base)'], nOutputs, values };
  }

  /** Predict for JSON records, validated and typed by the signature (see signature.ts for the rules). */
  predictRecords(records: unknown, options: RecordsOptions = {}): PipelinePrediction {
    return this.predict(recordsToFrame(this.signature, records, options));
  }

  /** A copy with another decision threshold (binary), e.g. one chosen for F1 or a cost matrix. */
  withThreshold(threshold: number | null): Pipeline {
    return new Pipeline({ ...this.parts(), threshold });
  }

  private parts(): PipelineParts {
    return { task: this.task, target: this.target, signature: this.signature, recipe: this.recipe, chain: this.chain, model: this.model, classes: this.classes, threshold: this.threshold, info: this.info };
  }

  toArtifact(): Artifact {
    const nested = nestArtifact('model', this.model.toArtifact());
    return {
      kind: PIPELINE_KIND,
      meta: {
        format: PIPELINE_FORMAT,
        task: this.task,
        target: this.target,
        // the registry copies meta.signature at registration so a server can validate without loading
        signature: this.signature as unknown as Json,
        recipe: this.recipe as unknown as Json,
        chain: this.chain.toJSON() as unknown as Json,
        classes: this.classes ? [...this.classes] : null,
        threshold: this.threshold,
        info: this.info as Json,
        model: nested.entry,
      },
      arrays: nested.arrays,
    };
  }

  static fromArtifact(artifact: Artifact): Pipeline {
    if (artifact.kind !== PIPELINE_KIND) throw new ModelFormatError(`expected a pipeline, got an artifact of kind "${artifact.kind}"`, { hint: 'load bare models with modelFromArtifact' });
    const m = artifact.meta;
    if (m.format !== PIPELINE_FORMAT) throw new ModelFormatError(`pipeline format ${JSON.stringify(m.format)} is not supported (this Kiln reads ${PIPELINE_FORMAT})`);
    if (m.task !== 'binary' && m.task !== 'multiclass' && m.task !== 'regression') throw new ModelFormatError('pipeline: unknown task');
    if (typeof m.target !== 'string') throw new ModelFormatError('pipeline: no target name');
    const classes = m.classes === null ? undefined : m.classes;
    if (classes !== undefined && !(Array.isArray(classes) && classes.every((c) => typeof c === 'string'))) throw new ModelFormatError('pipeline: malformed class names');
    if (m.threshold !== null && typeof m.threshold !== 'number') throw new ModelFormatError('pipeline: malformed threshold');
    if (typeof m.info !== 'object' || m.info === null || Array.isArray(m.info)) throw new ModelFormatError('pipeline: malformed info');
    return new Pipeline({
      task: m.task,
      target: m.target,
      signature: signatureFromJSON(m.signature),
      recipe: m.recipe === null ? null : recipeFromJSON(m.recipe),
      chain: FeatureChain.fromJSON(m.chain),
      model: modelFromArtifact(unnestArtifact(artifact, m.model)),
      classes: classes as string[] | undefined,
      threshold: m.threshold,
      info: m.info,
    });
  }

  /** the encoded artifact (magic, version, sha256): what the registry stores and `kiln export` writes */
  toBytes(): Uint8Array {
    return encodeArtifact(this.toArtifact());
  }

  static fromBytes(bytes: Uint8Array, source = 'pipeline'): Pipeline {
    return Pipeline.fromArtifact(decodeArtifact(bytes, source));
  }
}
