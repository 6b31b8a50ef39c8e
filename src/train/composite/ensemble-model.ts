// The model `kiln train` ships when one learner is not enough: a weighted average of members, each with its own
// feature chain (a linear model reads one-hot columns, boosting reads native category codes), optionally followed
// by a probability calibration. It plugs into a Pipeline whose chain is the lossless "base" chain (date parts,
// category codes): from that matrix the model rebuilds the typed frame, hands it to each member's chain, and
// averages what the members predict. Isomorphic: loading goes through the core registry of model kinds.
//
//   Pipeline: raw rows ─ base chain ─► matrix ─► EnsembleModel ─ frame ─┬─ chain A ─ model A ─┐ weighted
//                                                                        └─ chain B ─ model B ─┴ average ─ calibration

import { nestArtifact, requireArray, unnestArtifact, type Artifact, type Json, type TypedArray } from '../../core/artifact.js';
import { ModelFormatError } from '../../core/errors.js';
import { categoryColumn, type Column, Frame, numberColumn } from '../../core/frame.js';
import type { FeatureInfo, Matrix, Model, Task } from '../../core/learner.js';
import { modelFromArtifact, registerModelKind } from '../../core/model-kinds.js';
import { type ColumnEncoding, FeatureChain } from '../../features/index.js';
import { applyCalibration, type Calibration, calibrationFromJSON, calibrationToJSON } from '../calibration/calibrator.js';
import { argmaxRows } from '../../core/argmax.js';

export const ENSEMBLE_KIND = 'kiln.ensemble';
const FORMAT = 1;

export interface EnsembleMember {
  /** what the leaderboard calls it, e.g. "gbdt #3" */
  readonly label: string;
  readonly weight: number;
  /** fitted on the frame the base chain produces */
  readonly chain: FeatureChain;
  readonly model: Model;
}

export interface EnsembleParts {
  readonly task: Task;
  readonly nClasses?: number;
  /** the base chain's output columns: how to turn the matrix back into a typed frame */
  readonly columns: readonly ColumnEncoding[];
  readonly members: readonly EnsembleMember[];
  readonly calibration: Calibration | null;
}

/** Rebuild the typed frame behind a base-chain matrix: numbers stay numbers, codes become categories again. */
export function frameFromMatrix(columns: readonly ColumnEncoding[], x: Matrix): Frame {
  const n = x.nRows;
  const entries: [string, Column][] = columns.map((c, j) => {
    const values = x.data.subarray(j * n, (j + 1) * n);
    if (c.kind !== 'categorical') return [c.name, numberColumn(values)];
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) codes[i] = Number.isNaN(values[i]) ? -1 : values[i];
    return [c.name, categoryColumn(codes, c.dictionary ?? [])];
  });
  return Frame.fromColumns(entries, n);
}

export class EnsembleModel implements Model {
  readonly kind = ENSEMBLE_KIND;
  readonly task: Task;
  readonly features: readonly FeatureInfo[];
  readonly nClasses?: number;
  readonly columns: readonly ColumnEncoding[];
  readonly members: readonly EnsembleMember[];
  readonly calibration: Calibration | null;

  constructor(parts: EnsembleParts) {
    if (!parts.members.length) throw new ModelFormatError('an ensemble needs at least one member');
    const total = parts.members.reduce((s, m) => s + m.weight, 0);
    if (!(total > 0) || parts.members.some((m) => !(m.weight >= 0))) throw new ModelFormatError('ensemble weights must be >= 0 with a positive sum');
    if (parts.task !== 'regression') {
      if (!parts.nClasses || parts.nClasses < 2) throw new ModelFormatError('a classifier ensemble needs its class count');
      for (const m of parts.members)
        if (m.model.nClasses !== parts.nClasses || !m.model.predictProba) throw new ModelFormatError(`ensemble member "${m.label}" does not give ${parts.nClasses}-class probabilities`);
    }
    this.task = parts.task;
    this.columns = parts.columns.map((c) => ({ ...c }));
    this.features = this.columns.map((c) =>
      c.kind === 'categorical' ? { name: c.name, kind: 'categorical' as const, nCategories: c.dictionary?.length ?? 0 } : { name: c.name, kind: 'numeric' as const },
    );
    if (parts.nClasses !== undefined) this.nClasses = parts.nClasses;
    // weights are kept normalised, so the average needs no division
    this.members = parts.members.map((m) => ({ ...m, weight: m.weight / total }));
    this.calibration = parts.calibration;
  }

  /** each member's raw output on the matrix: (n, k) probabilities or (n) values */
  memberOutputs(x: Matrix): Float64Array[] {
    const frame = frameFromMatrix(this.columns, x);
    return this.members.map((m) => {
      const mx = m.chain.transform(frame);
      return this.task === 'regression' ? m.model.predict(mx) : m.model.predictProba!(mx);
    });
  }

  /** the weighted average before calibration */
  private average(x: Matrix): Float64Array {
    const outputs = this.memberOutputs(x);
    const out = new Float64Array(outputs[0].length);
    this.members.forEach((m, j) => {
      const o = outputs[j];
      for (let i = 0; i < out.length; i++) out[i] += m.weight * o[i];
    });
    return out;
  }

  predictProba(x: Matrix): Float64Array {
    if (this.task === 'regression') throw new ModelFormatError('a regression ensemble gives no class probabilities');
    const avg = this.average(x);
    return this.calibration ? applyCalibration(this.calibration, avg, this.nClasses!) : avg;
  }

  predict(x: Matrix): Float64Array {
    if (this.task === 'regression') return this.average(x);
    const k = this.nClasses!;
    const proba = this.predictProba(x);
    return argmaxRows(proba, k);
  }

  toArtifact(): Artifact {
    const arrays: Record<string, TypedArray> = {};
    const members = this.members.map((m, j) => {
      const nested = nestArtifact(`member${j}`, m.model.toArtifact());
      Object.assign(arrays, nested.arrays);
      return { label: m.label, weight: m.weight, chain: m.chain.toJSON() as unknown as Json, model: nested.entry };
    });
    let calibration: Json = null;
    if (this.calibration) {
      const c = calibrationToJSON(this.calibration);
      calibration = c.meta;
      for (const [name, a] of Object.entries(c.arrays)) arrays[`calibration/${name}`] = a;
    }
    return {
      kind: ENSEMBLE_KIND,
      meta: { format: FORMAT, task: this.task, nClasses: this.nClasses ?? null, columns: this.columns as unknown as Json, members, calibration },
      arrays,
    };
  }

  static fromArtifact(artifact: Artifact): EnsembleModel {
    const m = artifact.meta;
    const fail = (why: string): never => {
      throw new ModelFormatError(`${ENSEMBLE_KIND}: ${why}`);
    };
    if (m.format !== FORMAT) fail(`format ${JSON.stringify(m.format)} is not supported (this Kiln reads ${FORMAT})`);
    if (m.task !== 'binary' && m.task !== 'multiclass' && m.task !== 'regression') fail('unknown task');
    if (!Array.isArray(m.columns) || !Array.isArray(m.members)) fail('missing columns or members');
    const columns = (m.columns as unknown[]).map((c) => {
      const e = c as Partial<ColumnEncoding>;
      if (typeof e?.name !== 'string' || (e.kind !== 'numeric' && e.kind !== 'categorical')) fail('malformed column');
      if (e.kind === 'categorical' && !(Array.isArray(e.dictionary) && e.dictionary.every((d) => typeof d === 'string'))) fail(`column "${e.name}" has no dictionary`);
      return e as ColumnEncoding;
    });
    const members = (m.members as unknown[]).map((raw) => {
      const e = raw as { label?: unknown; weight?: unknown; chain?: unknown; model?: Json };
      if (typeof e.label !== 'string' || typeof e.weight !== 'number') fail('malformed member');
      return { label: e.label as string, weight: e.weight as number, chain: FeatureChain.fromJSON(e.chain), model: modelFromArtifact(unnestArtifact(artifact, e.model ?? null)) };
    });
    let calibration: Calibration | null = null;
    if (m.calibration !== null) {
      const arrays = { x: artifact.arrays['calibration/x'], y: artifact.arrays['calibration/y'] };
      if (arrays.x) requireArray(artifact, 'calibration/x', Float64Array);
      calibration = calibrationFromJSON(m.calibration, arrays) ?? fail('malformed calibration');
    }
    const nClasses = m.nClasses === null ? undefined : typeof m.nClasses === 'number' ? m.nClasses : fail('malformed class count');
    return new EnsembleModel({ task: m.task as Task, nClasses, columns, members, calibration });
  }
}

registerModelKind(ENSEMBLE_KIND, (artifact) => EnsembleModel.fromArtifact(artifact));
