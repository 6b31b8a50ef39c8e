// The request path's shortcut for the commonest request, one record: straight from the parsed JSON object to the
// model's one-row input, without building a Frame, checking it, selecting columns and encoding them. It exists
// only for pipelines whose chain is a plain TabularEncoder (tree chain without steps, no cleaning recipe), where
// the Frame route amounts to: numbers pass through, category labels become training codes. Any record it is not
// sure about (a rule broken, a label training never saw) returns null and takes the Frame route, which decides
// validity, warnings and errors; on the records it does take, the tests check it gives the same bits.
//
// Readable form (for a valid record, no unseen label):
//   row[j] = encoder column j is numeric ? record[name] ?? NaN : trainingCode(record[name]) ?? NaN
//   probabilities = model.predictProba(row as a 1-row matrix); then the pipeline's decision (threshold / argmax)

import type { Matrix } from '../core/learner.js';
import type { Pipeline, PipelinePrediction, SignatureColumn } from '../features/index.js';

/** one signature column as the shortcut checks it; `feature` is its matrix column, or -1 when the model ignores it */
interface CheckedColumn {
  readonly name: string;
  readonly type: SignatureColumn['type'];
  readonly required: boolean;
  readonly feature: number;
  /** category features: label → training code of the encoder; labels outside it leave the shortcut */
  readonly codes: ReadonlyMap<string, number> | null;
}

export class SingleRecordPath {
  private readonly columns: readonly CheckedColumn[];
  private readonly known: ReadonlySet<string>;
  private readonly nFeatures: number;
  private readonly classes: readonly string[] | null;

  private constructor(private readonly pipeline: Pipeline) {
    const encoder = pipeline.chain.encoder;
    const featureOf = new Map(encoder.columns.map((c, j) => [c.name, j]));
    this.columns = pipeline.signature.columns.map((c) => {
      const feature = featureOf.get(c.name) ?? -1;
      let codes: Map<string, number> | null = null;
      if (feature >= 0 && c.type === 'category') {
        // a label must be in the encoder's dictionary and, when the signature lists labels, in that list too
        // (otherwise the Frame route warns about it)
        const listed = c.categories ? new Set(c.categories) : null;
        codes = new Map();
        for (const [k, label] of (encoder.columns[feature].dictionary ?? []).entries()) if (!listed || listed.has(label)) codes.set(label, k);
      }
      return { name: c.name, type: c.type, required: c.required, feature, codes };
    });
    this.known = new Set(pipeline.signature.columns.map((c) => c.name));
    this.nFeatures = encoder.columns.length;
    this.classes = pipeline.classes ? [...pipeline.classes] : null;
  }

  /** The shortcut for a pipeline, or null when its chain does more than encode (then every record takes the Frame route). */
  static for(pipeline: Pipeline): SingleRecordPath | null {
    let path = paths.get(pipeline);
    if (path === undefined) {
      path = SingleRecordPath.applies(pipeline) ? new SingleRecordPath(pipeline) : null;
      paths.set(pipeline, path);
    }
    return path;
  }

  private static applies(p: Pipeline): boolean {
    if (p.recipe !== null || p.chain.steps.length > 0) return false;
    if (p.task !== 'regression' && (!p.classes || !p.model.predictProba)) return false;
    const byName = new Map(p.signature.columns.map((c) => [c.name, c]));
    // every input the chain reads is a signature feature, and every encoded column is one of matching type
    if (!p.chain.inputs.every((name) => byName.get(name)?.role === 'feature')) return false;
    const featureColumns = p.signature.columns.filter((c) => c.role === 'feature');
    if (!featureColumns.every((c) => p.chain.inputs.includes(c.name))) return false;
    return p.chain.encoder.columns.every((e) => {
      const c = byName.get(e.name);
      return c !== undefined && c.role === 'feature' && ((e.kind === 'numeric' && c.type === 'number') || (e.kind === 'categorical' && c.type === 'category'));
    });
  }

  /** The prediction Pipeline.predict gives for this one record, or null: take the Frame route. */
  predict(record: unknown): PipelinePrediction | null {
    const row = this.encode(record);
    if (!row) return null;
    const x: Matrix = { nRows: 1, nCols: this.nFeatures, data: row }; // one row: column-major is row-major
    const { model, task, threshold } = this.pipeline;
    if (task === 'regression') {
      const values = model.predict(x);
      return { task, predictions: [values[0]], values };
    }
    const classes = this.classes!;
    const probabilities = model.predictProba!(x);
    // the pipeline's decision for one row (Pipeline.predict): the threshold on classes[1], else the likeliest
    let best = 0;
    if (threshold !== null) best = probabilities[1] >= threshold ? 1 : 0;
    else for (let c = 1; c < classes.length; c++) if (probabilities[c] > probabilities[best]) best = c;
    return { task, predictions: [classes[best]], values: Float64Array.of(best), probabilities, classes };
  }

  /** the record's matrix row (nFeatures), or null when any rule of the record decoder is not plainly met */
  private encode(record: unknown): Float64Array | null {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) return null;
    const rec = record as Record<string, unknown>;
    for (const key in rec) if (Object.hasOwn(rec, key) && !this.known.has(key)) return null;
    const row = new Float64Array(this.nFeatures);
    for (const c of this.columns) {
      // the record decoder's order of checks: null or an optional absent key is missing; otherwise the key must be own
      const v = rec[c.name];
      const own = Object.hasOwn(rec, c.name);
      if (v === null || (v === undefined && !own && !c.required)) {
        if (c.feature >= 0) row[c.feature] = NaN;
        continue;
      }
      if (!own) return null;
      switch (c.type) {
        case 'number':
          if (typeof v !== 'number' || !Number.isFinite(v)) return null;
          if (c.feature >= 0) row[c.feature] = v;
          break;
        case 'category': {
          let label: string;
          if (typeof v === 'string') label = v;
          else if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean') label = String(v);
          else return null;
          if (c.codes) {
            const code = c.codes.get(label);
            if (code === undefined) return null;
            row[c.feature] = code;
          }
          break;
        }
        case 'text':
          if (typeof v !== 'string') return null;
          break;
        default:
          // datetimes (parsed text) are the Frame route's
          return null;
      }
    }
    return row;
  }
}

const paths = new WeakMap<Pipeline, SingleRecordPath | null>();
