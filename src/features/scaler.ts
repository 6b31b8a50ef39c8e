// StandardScaler: centres number columns on their training mean and divides by their training standard deviation
// (population, ddof 0, as scikit-learn); a constant column is only centred. Gaps stay NaN.

import type { Json } from '../core/artifact.js';
import { type Column, Frame, numberColumn } from '../core/frame.js';
import { meanStd } from './stats.js';
import { expectArray, expectNumber, expectString, type FittedTransform, replaceColumns, requireColumn, type TransformJson } from './transform.js';

export interface ScalerOptions {
  /** columns to scale; default every number column */
  readonly columns?: readonly string[];
  /** subtract the mean; default true */
  readonly withMean?: boolean;
  /** divide by the standard deviation; default true */
  readonly withStd?: boolean;
}

interface ScaleColumn {
  readonly name: string;
  readonly mean: number;
  readonly scale: number;
}

const OWNER = 'scaler';

export class StandardScaler implements FittedTransform {
  readonly type = 'scale' as const;
  readonly columns: readonly ScaleColumn[];
  readonly inputs: readonly string[];

  private constructor(columns: readonly ScaleColumn[]) {
    this.columns = Object.freeze(columns.map((c) => Object.freeze({ ...c })));
    this.inputs = Object.freeze(columns.map((c) => c.name));
  }

  static fit(frame: Frame, options: ScalerOptions = {}): StandardScaler {
    const names = options.columns ?? frame.names.filter((n) => frame.column(n).kind === 'number');
    return new StandardScaler(
      names.map((name) => {
        const col = requireColumn(OWNER, frame, name, ['number']) as { values: Float64Array };
        const s = meanStd(col.values);
        // no values at all: leave the column as it is
        const mean = options.withMean === false || s.count === 0 ? 0 : s.mean;
        // scikit-learn treats a deviation under 10 × machine epsilon as zero: such a column is only centred
        const scale = options.withStd === false || !(s.std >= 10 * Number.EPSILON) ? 1 : s.std;
        return { name, mean, scale };
      }),
    );
  }

  transform(frame: Frame): Frame {
    const replacements = new Map<string, (readonly [string, Column])[]>();
    for (const c of this.columns) {
      const src = (requireColumn(OWNER, frame, c.name, ['number']) as { values: Float64Array }).values;
      const out = new Float64Array(src.length);
      for (let i = 0; i < src.length; i++) out[i] = (src[i] - c.mean) / c.scale;
      replacements.set(c.name, [[c.name, numberColumn(out)]]);
    }
    return replaceColumns(frame, replacements);
  }

  toJSON(): TransformJson {
    return { type: 'scale', columns: this.columns.map((c) => ({ ...c }) as unknown as Json) };
  }

  static fromJSON(json: TransformJson): StandardScaler {
    return new StandardScaler(
      expectArray(OWNER, json.columns, 'columns').map((raw, i) => {
        const c = raw as Record<string, unknown>;
        return {
          name: expectString(OWNER, c?.name, `columns[${i}].name`),
          mean: expectNumber(OWNER, c.mean, `columns[${i}].mean`),
          scale: expectNumber(OWNER, c.scale, `columns[${i}].scale`),
        };
      }),
    );
  }
}
