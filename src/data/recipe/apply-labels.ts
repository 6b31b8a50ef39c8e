// Recipe steps that rewrite labels: trimming whitespace and unifying spelling variants ("Yes", "yes ", "YES").
// Both work through the category dictionary: each label is rewritten once, then codes are remapped. Pure.

import { type Column, categoryColumn, textColumn } from '../../core/frame.js';
import { variantKey } from './recipe.js';

/** A category column with each label passed through `rewrite`; labels that become equal are merged. */
export function rewriteLabels(column: Column, rewrite: (label: string) => string): { column: Column; changed: number } {
  if (column.kind === 'text') {
    let changed = 0;
    const out = column.values.map((v) => {
      if (v === null) return v;
      const w = rewrite(v);
      if (w !== v) changed++;
      return w;
    });
    return { column: changed ? textColumn(out) : column, changed };
  }
  if (column.kind !== 'category') return { column, changed: 0 };
  const { codes, dictionary } = column;
  const index = new Map<string, number>();
  const labels: string[] = [];
  const remap = new Int32Array(dictionary.length); // old code -> new code
  const moved = new Uint8Array(dictionary.length); // 1 where the label text changed
  let anyMoved = false;
  for (let k = 0; k < dictionary.length; k++) {
    const label = rewrite(dictionary[k]);
    if (label !== dictionary[k]) {
      moved[k] = 1;
      anyMoved = true;
    }
    let code = index.get(label);
    if (code === undefined) {
      code = labels.length;
      index.set(label, code);
      labels.push(label);
    }
    remap[k] = code;
  }
  if (!anyMoved) return { column, changed: 0 };
  const out = new Int32Array(codes.length);
  let changed = 0;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (c < 0) out[i] = -1;
    else {
      out[i] = remap[c];
      changed += moved[c];
    }
  }
  return { column: categoryColumn(out, labels), changed };
}

export function trimColumn(column: Column): { column: Column; changed: number } {
  return rewriteLabels(column, (label) => label.trim());
}

/** Map every label whose variant key is in `mapping` to the mapped label; others stay as they are. */
export function unifyColumn(column: Column, mapping: Readonly<Record<string, string>>): { column: Column; changed: number } {
  return rewriteLabels(column, (label) => {
    const key = variantKey(label);
    return Object.prototype.hasOwnProperty.call(mapping, key) ? mapping[key] : label;
  });
}
