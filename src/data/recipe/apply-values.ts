// Recipe steps that change values in place: clipping or flagging outliers, and filling missing values
// (with an optional 0/1 missing-indicator column). Pure.

import { type Column, categoryColumn, datetimeColumn, numberColumn, textColumn } from '../../core/frame.js';
import type { ImputeRule, OutlierFence } from './recipe.js';

/** Clip to the fences, or (flag) return a 0/1 column marking values outside them. */
export function applyFence(
  column: Column,
  fence: OutlierFence,
  action: 'clip' | 'flag',
): { column: Column; flags?: Column; changed: number } {
  if (column.kind !== 'number') return { column, changed: 0 };
  const values = column.values;
  const n = values.length;
  let changed = 0;
  if (action === 'flag') {
    const flags = new Float64Array(n); // (nRows) 1 = outside the fences
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v < fence.lower || v > fence.upper) {
        flags[i] = 1;
        changed++;
      }
    }
    return { column, flags: numberColumn(flags), changed };
  }
  const out = new Float64Array(values);
  for (let i = 0; i < n; i++) {
    const v = out[i];
    if (v < fence.lower) {
      out[i] = fence.lower;
      changed++;
    } else if (v > fence.upper) {
      out[i] = fence.upper;
      changed++;
    }
  }
  return { column: changed ? numberColumn(out) : column, changed };
}

/** Fill missing values with the rule's value; also the 0/1 indicator column when the rule asks for one. */
export function applyImpute(column: Column, rule: ImputeRule): { column: Column; indicator?: Column; changed: number } {
  const n = column.kind === 'category' ? column.codes.length : column.values.length;
  const indicator = rule.indicator ? new Float64Array(n) : null; // (nRows) 1 = was missing
  let changed = 0;
  let out: Column = column;
  switch (column.kind) {
    case 'number':
    case 'datetime': {
      const fill = typeof rule.value === 'number' ? rule.value : Number(rule.value);
      const values = new Float64Array(column.values);
      for (let i = 0; i < n; i++) {
        if (values[i] !== values[i]) {
          values[i] = fill;
          changed++;
          if (indicator) indicator[i] = 1;
        }
      }
      if (changed) out = column.kind === 'number' ? numberColumn(values) : datetimeColumn(values);
      break;
    }
    case 'category': {
      const label = String(rule.value);
      let code = column.dictionary.indexOf(label);
      const dictionary = code < 0 ? [...column.dictionary, label] : column.dictionary;
      if (code < 0) code = column.dictionary.length;
      const codes = new Int32Array(column.codes);
      for (let i = 0; i < n; i++) {
        if (codes[i] < 0) {
          codes[i] = code;
          changed++;
          if (indicator) indicator[i] = 1;
        }
      }
      if (changed) out = categoryColumn(codes, dictionary);
      break;
    }
    case 'text': {
      const label = String(rule.value);
      const values = column.values.map((v, i) => {
        if (v !== null) return v;
        changed++;
        if (indicator) indicator[i] = 1;
        return label;
      });
      if (changed) out = textColumn(values);
      break;
    }
  }
  return { column: out, indicator: indicator ? numberColumn(indicator) : undefined, changed };
}
