// OrdinalEncoder: a category column becomes one number column holding the position of its level among the sorted
// training levels (0, 1, 2...), as scikit-learn's OrdinalEncoder; an unseen level or a gap becomes NaN, which
// tree models treat as missing.

import type { Json } from '../core/artifact.js';
import { type Column, Frame, numberColumn } from '../core/frame.js';
import { levelCounts } from './one-hot.js';
import { codeMapper, expectArray, expectString, expectStrings, type FittedTransform, replaceColumns, requireColumn, sortLabels, type TransformJson } from './transform.js';

interface OrdinalColumn {
  readonly name: string;
  /** training levels, sorted; the code of a level is its position */
  readonly levels: readonly string[];
}

const OWNER = 'ordinal encoder';

export class OrdinalEncoder implements FittedTransform {
  readonly type = 'ordinal' as const;
  readonly columns: readonly OrdinalColumn[];
  readonly inputs: readonly string[];
  private readonly lookups: readonly Map<string, number>[];

  private constructor(columns: readonly OrdinalColumn[]) {
    this.columns = Object.freeze(columns.map((c) => Object.freeze({ name: c.name, levels: Object.freeze([...c.levels]) })));
    this.inputs = Object.freeze(columns.map((c) => c.name));
    this.lookups = columns.map((c) => new Map(c.levels.map((l, i) => [l, i])));
  }

  /** `columns`: default every category column */
  static fit(frame: Frame, options: { columns?: readonly string[] } = {}): OrdinalEncoder {
    const names = options.columns ?? frame.names.filter((n) => frame.column(n).kind === 'category');
    return new OrdinalEncoder(names.map((name) => ({ name, levels: sortLabels(levelCounts(requireColumn(OWNER, frame, name, ['category', 'text']), frame.nRows).keys()) })));
  }

  transform(frame: Frame): Frame {
    const n = frame.nRows;
    const replacements = new Map<string, (readonly [string, Column])[]>();
    this.columns.forEach((c, j) => {
      const position = codeMapper(requireColumn(OWNER, frame, c.name, ['category', 'text']), this.lookups[j]);
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const p = position(i);
        out[i] = p >= 0 ? p : NaN;
      }
      replacements.set(c.name, [[c.name, numberColumn(out)]]);
    });
    return replaceColumns(frame, replacements);
  }

  toJSON(): TransformJson {
    return { type: 'ordinal', columns: this.columns.map((c) => ({ name: c.name, levels: [...c.levels] }) as Json) };
  }

  static fromJSON(json: TransformJson): OrdinalEncoder {
    return new OrdinalEncoder(
      expectArray(OWNER, json.columns, 'columns').map((raw, i) => {
        const c = raw as Record<string, unknown>;
        return { name: expectString(OWNER, c?.name, `columns[${i}].name`), levels: expectStrings(OWNER, c.levels, `columns[${i}].levels`) };
      }),
    );
  }
}
