// `kiln evaluate` as a library call: score a trained pipeline on new labelled rows with the metrics training
// used (every default metric of the task; label metrics follow the pipeline's decision threshold), plus the
// confusion matrix for classifiers.

import { KilnError } from '../core/errors.js';
import type { Frame } from '../core/frame.js';
import { encodeTarget, type Pipeline } from '../features/index.js';
import { confusionMatrix, type MetricName, scoreAll } from './metrics/index.js';

export interface Evaluation {
  readonly task: Pipeline['task'];
  readonly rows: number;
  /** rows left out because their label was missing (or a class the model never saw) */
  readonly skipped: number;
  readonly metrics: Partial<Record<MetricName, number>>;
  /** classification: counts[true][predicted], classes in the pipeline's order */
  readonly confusion?: { readonly classes: readonly string[]; readonly counts: number[][] };
}

export function evaluate(pipeline: Pipeline, frame: Frame): Evaluation {
  const target = pipeline.target;
  if (!frame.has(target)) throw new KilnError('E_DATA_SCHEMA', `the data has no "${target}" column to score against`, { hint: 'evaluate needs labelled rows: the target column with known values' });
  const y = encodeTarget(frame, target, pipeline.task, { classes: pipeline.classes }).y;
  const keep: number[] = [];
  for (let i = 0; i < y.length; i++) if (!Number.isNaN(y[i])) keep.push(i);
  if (!keep.length) throw new KilnError('E_DATA_EMPTY', `no row has a usable value in "${target}"`, { hint: pipeline.classes ? `known classes: ${pipeline.classes.join(', ')}` : undefined });
  const rows = keep.length === frame.nRows ? frame : frame.take(keep);
  const yKept = keep.length === frame.nRows ? y : Float64Array.from(keep, (i) => y[i]);
  const out = pipeline.predict(rows);
  if (pipeline.task === 'regression') return { task: pipeline.task, rows: rows.nRows, skipped: frame.nRows - rows.nRows, metrics: scoreAll('regression', yKept, { predicted: out.values }) };
  const k = pipeline.classes!.length;
  const metrics = scoreAll(pipeline.task, yKept, { proba: out.probabilities, predicted: out.values, nClasses: k });
  const cm = confusionMatrix(yKept, out.values, { nClasses: k });
  const counts = Array.from({ length: k }, (_, t) => Array.from({ length: k }, (_, p) => cm.counts[t * k + p]));
  return { task: pipeline.task, rows: rows.nRows, skipped: frame.nRows - rows.nRows, metrics, confusion: { classes: pipeline.classes!, counts } };
}
