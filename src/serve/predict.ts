// One prediction request, whatever route it came by: records → Frame (validated and typed by the model's
// signature) → Pipeline.predict, plus notes on category labels the model never saw in training. Those are not
// errors: the pipeline treats them as it was trained to (one-hot: no level; trees: missing), and the note lets
// the client and the monitoring layer see it happened.

import { ValidationError } from '../core/errors.js';
import type { Frame } from '../core/frame.js';
import { recordsToFrame, type Pipeline, type PipelinePrediction } from '../features/index.js';
import { decoderFor } from './record-decoder.js';
import { SingleRecordPath } from './single-record.js';

export interface PredictionWarning {
  /** record index and column, e.g. [0, 'Contract'] */
  path: (string | number)[];
  message: string;
}

export interface PredictionOutcome {
  /** the validated records as a Frame; null when one record took the shortcut (ask for `frame` to always get it) */
  frame: Frame | null;
  result: PipelinePrediction;
  warnings: PredictionWarning[];
  /** milliseconds spent turning records into a validated Frame, and predicting it (the single-record shortcut
   * checks and encodes as it goes: its time is all predictMs, validateMs 0) */
  validateMs: number;
  predictMs: number;
}

const MAX_WARNINGS = 100;

/** category feature columns with a list of training labels, per pipeline (computed once) */
const knownLabels = new WeakMap<Pipeline, { name: string; labels: ReadonlySet<string> }[]>();

function labelSets(pipeline: Pipeline): { name: string; labels: ReadonlySet<string> }[] {
  let sets = knownLabels.get(pipeline);
  if (!sets) {
    sets = pipeline.signature.columns
      .filter((c) => c.role === 'feature' && c.type === 'category' && c.categories !== undefined)
      .map((c) => ({ name: c.name, labels: new Set(c.categories) }));
    knownLabels.set(pipeline, sets);
  }
  return sets;
}

/** Labels of category features that training never saw, per record (bounded). */
export function unseenLabelWarnings(pipeline: Pipeline, frame: Frame): PredictionWarning[] {
  const warnings: PredictionWarning[] = [];
  for (const { name, labels } of labelSets(pipeline)) {
    const col = frame.column(name);
    if (col.kind !== 'category') continue;
    // check each dictionary entry once; most requests have none unseen and stop here
    let unseen: Int8Array | null = null;
    for (let k = 0; k < col.dictionary.length; k++) {
      if (!labels.has(col.dictionary[k])) (unseen ??= new Int8Array(col.dictionary.length))[k] = 1;
    }
    if (!unseen) continue;
    for (let i = 0; i < col.codes.length && warnings.length < MAX_WARNINGS; i++) {
      const code = col.codes[i];
      if (code >= 0 && unseen[code]) {
        warnings.push({ path: [i, name], message: `category ${JSON.stringify(col.dictionary[code])} was not seen in training; the model treats it as it was trained to (as an unknown level)` });
      }
    }
  }
  return warnings;
}

/**
 * Validate and predict; throws a ValidationError (paths [record, column]) for bad input. One record goes
 * straight to the model when it can (single-record.ts), unless the caller needs the Frame (explanations).
 */
export function predictRecords(pipeline: Pipeline, records: readonly unknown[], options: { frame?: boolean } = {}): PredictionOutcome {
  const t0 = performance.now();
  if (records.length === 1 && !options.frame) {
    const result = SingleRecordPath.for(pipeline)?.predict(records[0]);
    if (result) return { frame: null, result, warnings: [], validateMs: 0, predictMs: performance.now() - t0 };
  }
  // the fast decoder agrees with recordsToFrame on valid input; on anything else recordsToFrame names every issue
  const frame = decoderFor(pipeline.signature).decode(records) ?? recordsToFrame(pipeline.signature, records);
  const t1 = performance.now();
  const result = pipeline.predict(frame);
  const t2 = performance.now();
  return { frame, result, warnings: unseenLabelWarnings(pipeline, frame), validateMs: t1 - t0, predictMs: t2 - t1 };
}

/** Records must be a non-empty list (the body forms guarantee it; the runtime and V2 call this too). */
export function requireRecords(records: unknown): asserts records is unknown[] {
  if (!Array.isArray(records) || records.length === 0)
    throw new ValidationError('there are no records to predict', [{ path: [], expected: 'at least one record', received: Array.isArray(records) ? 'an empty list' : typeof records }]);
}
