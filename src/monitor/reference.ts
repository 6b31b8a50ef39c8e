// The monitoring reference of a model version: a ReferenceSketch of the rows it was trained on (or of any
// reference the user picks) holding its input columns plus its own outputs on those rows, the column that
// prediction drift compares. Built once (at registration, or on first use) and stored as an artifact, so
// monitoring never needs the training file again. Pure: Frames and a Pipeline in, an artifact out.
//
//   const ref = buildMonitoringReference(trainingFrame, pipeline, { source: 'training data (train.csv)' });
//   const bytes = referenceToBytes(ref);  …  referenceFromBytes(bytes)

import { type Artifact, type Json, decodeArtifact, encodeArtifact, nestArtifact, unnestArtifact } from '../core/artifact.js';
import { KilnError, ModelFormatError } from '../core/errors.js';
import { type Column, type Frame, categoryColumn, numberColumn } from '../core/frame.js';
import type { Task } from '../core/learner.js';
import type { Pipeline, PipelinePrediction } from '../features/pipeline.js';
import { ReferenceSketch } from './sketch.js';

export const REFERENCE_KIND = 'monitor.reference';
const REFERENCE_FORMAT = 1;
/** the sketch column that holds the model's outputs (no input column can be named so: parentheses) */
export const PREDICTION_COLUMN = '(prediction)';

export interface MonitoringReference {
  readonly sketch: ReferenceSketch;
  /** the model's input columns, as its signature names them */
  readonly features: readonly string[];
  readonly task: Task;
  /** where the rows came from, in words */
  readonly source: string;
  /** ISO-8601 */
  readonly createdAt: string;
}

/** The input columns a pipeline reads (its signature's features). */
export function featureColumns(pipeline: Pipeline): string[] {
  return pipeline.signature.columns.filter((c) => c.role === 'feature').map((c) => c.name);
}

/**
 * The column prediction drift compares: P(positive) for a binary classifier, the value for a regressor, the
 * predicted label for a multiclass classifier.
 */
export function predictionColumnOf(task: Task, result: PipelinePrediction): Column {
  if (task === 'regression') return numberColumn(result.values);
  if (task === 'binary' && result.probabilities) {
    const n = result.values.length;
    const score = new Float64Array(n);
    for (let i = 0; i < n; i++) score[i] = result.probabilities[2 * i + 1];
    return numberColumn(score);
  }
  return categoryColumn(Int32Array.from(result.values), result.classes ?? []);
}

/**
 * Sketch the reference rows with the model's outputs on them. `frame` holds rows as read (extra columns such as
 * the target are left out); every input column of the pipeline must be present.
 */
export function buildMonitoringReference(frame: Frame, pipeline: Pipeline, options: { sampleSize?: number; seed?: number; source?: string; createdAt?: Date } = {}): MonitoringReference {
  const features = featureColumns(pipeline);
  const missing = features.filter((f) => !frame.has(f));
  if (missing.length) throw new KilnError('E_DATA_SCHEMA', `the reference data lacks the model's input columns ${missing.join(', ')}`, { hint: 'use the data the model was trained on, or rows with the same columns' });
  if (frame.nRows === 0) throw new KilnError('E_DATA_EMPTY', 'the reference data has no rows');
  const inputs = frame.select(features);
  const prediction = predictionColumnOf(pipeline.task, pipeline.predict(inputs));
  const sketch = ReferenceSketch.build(inputs.withColumn(PREDICTION_COLUMN, prediction), { sampleSize: options.sampleSize ?? 5000, seed: options.seed ?? 42 });
  return { sketch, features, task: pipeline.task, source: options.source ?? 'training data', createdAt: (options.createdAt ?? new Date()).toISOString() };
}

export function referenceToArtifact(ref: MonitoringReference): Artifact {
  const nested = nestArtifact('sketch', ref.sketch.toArtifact());
  return { kind: REFERENCE_KIND, meta: { format: REFERENCE_FORMAT, features: [...ref.features], task: ref.task, source: ref.source, createdAt: ref.createdAt, sketch: nested.entry }, arrays: nested.arrays };
}

export function referenceFromArtifact(artifact: Artifact): MonitoringReference {
  if (artifact.kind !== REFERENCE_KIND) throw new ModelFormatError(`expected a monitoring reference, got an artifact of kind "${artifact.kind}"`);
  const m = artifact.meta;
  if (m.format !== REFERENCE_FORMAT) throw new ModelFormatError(`monitoring reference format ${JSON.stringify(m.format)} is not supported (this Kiln reads ${REFERENCE_FORMAT})`);
  const features = m.features;
  if (!Array.isArray(features) || !features.every((f) => typeof f === 'string')) throw new ModelFormatError('monitoring reference: malformed feature list');
  if (m.task !== 'binary' && m.task !== 'multiclass' && m.task !== 'regression') throw new ModelFormatError('monitoring reference: unknown task');
  const sketch = ReferenceSketch.fromArtifact(unnestArtifact(artifact, m.sketch as Json));
  return { sketch, features: features as string[], task: m.task, source: typeof m.source === 'string' ? m.source : 'unknown', createdAt: typeof m.createdAt === 'string' ? m.createdAt : '' };
}

export const referenceToBytes = (ref: MonitoringReference): Uint8Array => encodeArtifact(referenceToArtifact(ref));
export const referenceFromBytes = (bytes: Uint8Array, source = 'monitoring reference'): MonitoringReference => referenceFromArtifact(decodeArtifact(bytes, source));
