// kiln/runtime: the in-process predictor. Loads an artifact written by `kiln export` (a Pipeline: cleaning recipe,
// feature chain, model, label decoding, signature) and predicts, in Node or in a browser (ES module). No native
// dependency: it imports only isomorphic code (the artifact format, the pipeline and the model families' fitted
// models), so a bundler can ship it to a web page.
//
//   import { loadModel } from 'kiln/runtime';
//   const model = await loadModel('/models/churn.kiln');        // a URL (fetched), bytes, an ArrayBuffer or a Response
//   const { predictions, probabilities } = model.predict({ tenure: 3, Contract: 'Month-to-month', ... });
//   model.predict([{...}, {...}])                                 // several records at once
//
// Records are validated by the model's signature exactly as the server validates them (a ValidationError lists
// every bad field); predictions are bit-for-bit the server's, since it is the same code.

import { ModelFormatError, ValidationError } from '../core/errors.js';
import type { Frame } from '../core/frame.js';
import type { Task } from '../core/learner.js';
import { Pipeline } from '../features/pipeline.js';
import type { Signature } from '../features/signature.js';
import '../train/model-kinds.js';

export { ValidationError, ModelFormatError } from '../core/errors.js';
export { KilnError } from '../core/errors.js';
export type { Issue } from '../core/errors.js';
export type { Signature, SignatureColumn } from '../features/signature.js';
export { Pipeline } from '../features/pipeline.js';

/** What predict returns: the same fields as the server's JSON answer. */
export interface RuntimePrediction {
  /** class labels (classification) or numbers (regression), one per record */
  predictions: (string | number)[];
  /** classification: one { class: probability } object per record */
  probabilities?: Record<string, number>[];
}

export interface KilnModel {
  readonly task: Task;
  /** the column the model predicts */
  readonly target: string;
  /** classification: the class labels, positive class last for binary */
  readonly classes?: readonly string[];
  /** the columns a record carries, their types and the categories seen in training */
  readonly signature: Signature;
  /** free facts kept with the model (metrics, run id…) */
  readonly info: Readonly<Record<string, unknown>>;
  /** the underlying pipeline, for Frame input and explanations */
  readonly pipeline: Pipeline;
  /** Predict for one record or a list of records (plain objects, one key per column; null = unknown). */
  predict(records: object | readonly object[]): RuntimePrediction;
  /** Predict for a Frame (typed columns), e.g. rows read by a data layer. */
  predictFrame(frame: Frame): RuntimePrediction;
}

export type ModelSource = Uint8Array | ArrayBuffer | URL | string | Response;

function answer(result: ReturnType<Pipeline['predict']>): RuntimePrediction {
  const out: RuntimePrediction = { predictions: [...result.predictions] };
  if (result.probabilities && result.classes) {
    const k = result.classes.length;
    const n = result.probabilities.length / k;
    out.probabilities = new Array<Record<string, number>>(n);
    for (let i = 0; i < n; i++) {
      const row: Record<string, number> = {};
      for (let c = 0; c < k; c++) row[result.classes[c]] = result.probabilities[i * k + c];
      out.probabilities[i] = row;
    }
  }
  return out;
}

/** Wrap a Pipeline as a runtime model. */
export function modelFromPipeline(pipeline: Pipeline): KilnModel {
  return {
    task: pipeline.task,
    target: pipeline.target,
    classes: pipeline.classes,
    signature: pipeline.signature,
    info: pipeline.info,
    pipeline,
    predict(records) {
      const list = Array.isArray(records) ? records : [records];
      if (list.length === 0) throw new ValidationError('there are no records to predict', [{ path: [], expected: 'at least one record', received: 'an empty list' }]);
      return answer(pipeline.predictRecords(list));
    },
    predictFrame(frame) {
      return answer(pipeline.predict(frame));
    },
  };
}

/** Load from the artifact's bytes (checked: magic, version, sizes, sha256; nothing in the file is executed). */
export function loadModelFromBytes(bytes: Uint8Array | ArrayBuffer, source = 'model'): KilnModel {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  return modelFromPipeline(Pipeline.fromBytes(view, source));
}

/** Load from bytes, an ArrayBuffer, a fetch Response, or a URL (fetched with the global fetch). */
export async function loadModel(source: ModelSource, options: { fetch?: typeof fetch } = {}): Promise<KilnModel> {
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) return loadModelFromBytes(source);
  let response: Response;
  let name: string;
  if (typeof Response !== 'undefined' && source instanceof Response) {
    response = source;
    name = source.url || 'response';
  } else {
    const url = source instanceof URL ? source.href : String(source);
    const doFetch = options.fetch ?? globalThis.fetch;
    if (typeof doFetch !== 'function') throw new ModelFormatError('this environment has no fetch: load the model from its bytes with loadModelFromBytes');
    response = await doFetch(url);
    name = url;
  }
  if (!response.ok) throw new ModelFormatError(`fetching ${name} failed: HTTP ${response.status}`, { hint: 'check the URL of the exported .kiln file' });
  return loadModelFromBytes(new Uint8Array(await response.arrayBuffer()), name);
}
