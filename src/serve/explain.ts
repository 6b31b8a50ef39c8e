// Per-feature contributions for `?explain=true`, through Pipeline.explain: a model offers them as
// `contributions(x)` (linear: coef_j × (x_j − training mean_j), method "linear") or, for tree ensembles, as
// TreeSHAP values `shap(x)` (method "tree-shap"); both are laid out (nRows, nOutputs, nCols + 1) with the base
// value last, and each row adds up to the model's raw output (log-odds for classifiers, the value for regressors).
// The model sees encoded columns (one-hot levels, "was missing" flags, date parts); contributions are summed back
// onto the input column each encoded column came from, so a client reads them per field it sent.

import { KilnError } from '../core/errors.js';
import type { Frame } from '../core/frame.js';
import type { Matrix, Model } from '../core/learner.js';
import { Pipeline } from '../features/index.js';

export type ExplainMethod = 'linear' | 'tree-shap';

/** One row's explanation. Binary and regression: one output; multiclass: one output per class. */
export interface Explanation {
  method: ExplainMethod;
  /** what the numbers add up to, e.g. 'log-odds of "Yes"' */
  output: string;
  /** the model's output when every contribution is zero (the training average) */
  base: number | Record<string, number>;
  /** input column → contribution (multiclass: class → input column → contribution) */
  contributions: Record<string, number> | Record<string, Record<string, number>>;
}

export interface Explainer {
  readonly method: ExplainMethod;
  explain(frame: Frame): Explanation[];
}

interface ShapModel extends Model {
  shap(x: Matrix): Float64Array;
}

const hasContributions = (model: Model): boolean => typeof (model as { contributions?: unknown }).contributions === 'function';
const hasShap = (model: Model): model is ShapModel => typeof (model as Partial<ShapModel>).shap === 'function';

/**
 * A pipeline whose model answers `contributions` (what Pipeline.explain asks for): the pipeline itself, or for a
 * model that only offers TreeSHAP, the same parts with a model that forwards `contributions` to `shap`.
 */
function explainable(pipeline: Pipeline): { pipeline: Pipeline; method: ExplainMethod } | null {
  const model = pipeline.model;
  if (hasContributions(model)) return { pipeline, method: model.kind.startsWith('linear.') ? 'linear' : 'tree-shap' };
  if (!hasShap(model)) return null;
  const forwarding = Object.assign(Object.create(model) as ShapModel, { contributions: (x: Matrix) => model.shap(x) });
  const { task, target, signature, recipe, chain, classes, threshold, info } = pipeline;
  return { pipeline: new Pipeline({ task, target, signature, recipe, chain, model: forwarding, classes, threshold, info }), method: 'tree-shap' };
}

/** The separators the feature transforms put between an input name and what they derive from it. */
const DERIVED = ['=', '.', '__missing', '#'];

/**
 * For each encoded column, the index of the input column it comes from: the same name, or the longest input name
 * followed by a separator the transforms use (`Contract=One year`, `TotalCharges__missing`, `signup.month`).
 */
export function featureOrigins(inputs: readonly string[], features: readonly string[]): Int32Array {
  const byLength = inputs.map((name, index) => ({ name, index })).sort((a, b) => b.name.length - a.name.length);
  const exact = new Map(inputs.map((n, i) => [n, i]));
  const origins = new Int32Array(features.length).fill(-1);
  features.forEach((f, j) => {
    const same = exact.get(f);
    if (same !== undefined) {
      origins[j] = same;
      return;
    }
    for (const { name, index } of byLength) {
      if (f.startsWith(name) && DERIVED.some((sep) => f.startsWith(sep, name.length))) {
        origins[j] = index;
        return;
      }
    }
  });
  return origins;
}

/** The explainer for a pipeline's model; a 400 when the model offers no contributions. */
export function explainerFor(pipeline: Pipeline): Explainer {
  const found = explainable(pipeline);
  if (!found) {
    throw new KilnError('E_VALIDATION', `model kind "${pipeline.model.kind}" does not offer per-feature contributions`, {
      hint: 'ask without ?explain=true; linear models and gradient-boosted trees explain their predictions',
    });
  }
  const { method } = found;
  const inputs = pipeline.chain.inputs;
  const origins = featureOrigins(inputs, pipeline.chain.features.map((f) => f.name));
  const classes = pipeline.classes;
  const output = pipeline.task === 'regression' ? 'the predicted value' : pipeline.task === 'multiclass' ? 'log-odds per class (softmax logits)' : `log-odds of ${JSON.stringify(classes![1])}`;

  return {
    method,
    explain(frame: Frame): Explanation[] {
      const explained = found.pipeline.explain(frame);
      if (!explained) throw new KilnError('E_INTERNAL', `model kind "${pipeline.model.kind}" gave no contributions`, { status: 500 });
      const { values: raw, nOutputs: k } = explained;
      const p = origins.length;
      const n = raw.length / (k * (p + 1));
      const perOutput = (i: number, o: number): { base: number; byInput: Record<string, number> } => {
        const row = (i * k + o) * (p + 1);
        const sums = new Float64Array(inputs.length);
        let unmatched = 0;
        for (let j = 0; j < p; j++) {
          if (origins[j] >= 0) sums[origins[j]] += raw[row + j];
          else unmatched += raw[row + j];
        }
        const byInput: Record<string, number> = {};
        inputs.forEach((name, c) => (byInput[name] = sums[c]));
        if (unmatched !== 0) byInput['(other)'] = unmatched;
        return { base: raw[row + p], byInput };
      };
      const out: Explanation[] = [];
      for (let i = 0; i < n; i++) {
        if (classes && k === classes.length && k > 1) {
          const base: Record<string, number> = {};
          const contributions: Record<string, Record<string, number>> = {};
          classes.forEach((c, o) => {
            const r = perOutput(i, o);
            base[c] = r.base;
            contributions[c] = r.byInput;
          });
          out.push({ method, output, base, contributions });
        } else {
          const r = perOutput(i, 0);
          out.push({ method, output, base: r.base, contributions: r.byInput });
        }
      }
      return out;
    },
  };
}
