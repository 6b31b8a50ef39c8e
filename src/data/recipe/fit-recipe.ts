// Learning a cleaning recipe from a typed Frame: each step is fitted on the output of the steps before it
// (so medians are taken after duplicates are gone and variants are merged), then applied with the same
// functions that applyRecipe uses.

import { KilnError } from '../../core/errors.js';
import type { Frame } from '../../core/frame.js';
import type { DataSchema } from '../schema.js';
import { codeCounts, median, mostFrequent, quantileSorted, sortedPresent } from '../stats.js';
import { applyStep } from './apply-recipe.js';
import {
  type ColumnRole,
  type ImputeRule,
  type OutlierFence,
  type Recipe,
  RECIPE_FORMAT,
  RECIPE_VERSION,
  type RecipeColumn,
  type RecipeStep,
  variantKey,
} from './recipe.js';

export interface CleanOptions {
  /** the column to predict: never imputed, clipped or dropped; rows without it are dropped */
  target?: string;
  /** how missing numbers (and dates) are filled; categories use the most frequent label unless 'constant' */
  impute?: 'median' | 'most-frequent' | 'constant' | 'none';
  /** the fill value for impute = 'constant' (default 0 for numbers, "missing" for labels) */
  fillValue?: string | number;
  /** add `<name>_missing` 0/1 columns for columns that had missing values */
  missingIndicator?: boolean;
  /** what to do with outliers in number columns */
  outliers?: 'clip' | 'flag' | 'none';
  /** iqr: outside Q1 - k IQR .. Q3 + k IQR; robust-z: |0.6745 (x - median) / MAD| > threshold */
  outlierMethod?: 'iqr' | 'robust-z';
  /** k for iqr (default 3, "far out"), the z limit for robust-z (default 3.5) */
  outlierThreshold?: number;
  /** drop exact duplicate rows (default true) */
  dropDuplicates?: boolean;
  /** drop constant and all-missing columns (default true) */
  dropConstant?: boolean;
}

/** Categories with more labels than this get no spelling map (they are ids or text in disguise). */
const MAX_VARIANT_LABELS = 1000;

export function fitRecipe(frame: Frame, schema: DataSchema, options: CleanOptions = {}): Recipe {
  const target = options.target ?? null;
  if (target !== null && !frame.has(target)) {
    throw new KilnError('E_DATA_SCHEMA', `no column "${target}" to use as the target`, {
      hint: `columns are: ${frame.names.slice(0, 30).join(', ')}`,
    });
  }
  const columns: RecipeColumn[] = schema.columns.map((info) => ({
    name: info.name,
    type: info.type,
    kind: info.kind,
    role: roleOf(info.name, info.type, target),
    parse: info.parse,
  }));
  const recipe: Recipe = { format: RECIPE_FORMAT, version: RECIPE_VERSION, target, columns, steps: [], output: [] };
  const role = new Map(columns.map((c) => [c.name, c.role]));
  const typeOf = new Map(columns.map((c) => [c.name, c.type]));
  let current = frame;
  // fit one step on the current frame, record it, and move the frame forward with the shared apply code
  const add = (step: RecipeStep | null) => {
    if (!step) return;
    recipe.steps.push(step);
    current = applyStep(step, current, 'data', []);
  };

  add(fitTrim(current));
  add(fitVariants(current, typeOf));
  if (target !== null) add({ step: 'drop-missing-target', column: target });
  if (options.dropDuplicates ?? true) add({ step: 'drop-duplicates' });
  if (options.dropConstant ?? true) add(fitDropColumns(current, role));
  if ((options.outliers ?? 'clip') !== 'none') add(fitOutliers(current, role, typeOf, options));
  if ((options.impute ?? 'median') !== 'none') add(fitImpute(current, role, options));

  recipe.output = current.names.map((name) => ({
    name,
    kind: current.column(name).kind,
    role: role.get(name) ?? 'feature',
  }));
  return recipe;
}

function roleOf(name: string, type: string, target: string | null): ColumnRole {
  if (name === target) return 'target';
  return type === 'identifier' ? 'identifier' : 'feature';
}

function fitTrim(frame: Frame): RecipeStep | null {
  const names: string[] = [];
  for (const [name, col] of frame.entries()) {
    if (col.kind === 'category' && col.dictionary.some((l) => l !== l.trim())) names.push(name);
    else if (col.kind === 'text' && col.values.some((v) => v !== null && v !== v.trim())) names.push(name);
  }
  return names.length ? { step: 'trim-whitespace', columns: names } : null;
}

// Labels that differ only in case, spacing, "_" or "-" are one value; the most frequent spelling wins.
function fitVariants(frame: Frame, typeOf: Map<string, string>): RecipeStep | null {
  const mappings: Record<string, Record<string, string>> = {};
  for (const [name, col] of frame.entries()) {
    if (col.kind !== 'category' || col.dictionary.length > MAX_VARIANT_LABELS) continue;
    if (typeOf.get(name) !== 'category' && typeOf.get(name) !== 'boolean') continue;
    const counts = codeCounts(col.codes, col.dictionary.length);
    const groups = new Map<string, number[]>(); // key -> label indices
    col.dictionary.forEach((label, k) => {
      const key = variantKey(label);
      const g = groups.get(key);
      if (g) g.push(k);
      else groups.set(key, [k]);
    });
    const mapping: Record<string, string> = {};
    for (const [key, members] of groups) {
      let best = members[0];
      for (const k of members) {
        const more = counts[k] > counts[best];
        if (more || (counts[k] === counts[best] && col.dictionary[k] < col.dictionary[best])) best = k;
      }
      mapping[key] = col.dictionary[best];
    }
    mappings[name] = mapping;
  }
  // the map is kept even when no column has variants today: it also catches "YES" arriving at prediction time
  return Object.keys(mappings).length ? { step: 'unify-variants', columns: mappings } : null;
}

function fitDropColumns(frame: Frame, role: Map<string, ColumnRole>): RecipeStep | null {
  const dropped: { name: string; reason: 'constant' | 'all-missing' }[] = [];
  for (const [name, col] of frame.entries()) {
    if (role.get(name) !== 'feature') continue;
    let distinct = 0;
    let present = 0;
    if (col.kind === 'category') {
      const counts = codeCounts(col.codes, col.dictionary.length);
      for (let k = 0; k < counts.length; k++) {
        if (counts[k] > 0) distinct++;
        present += counts[k];
      }
    } else if (col.kind === 'text') {
      const seen = new Set<string>();
      for (const v of col.values) {
        if (v === null) continue;
        present++;
        if (seen.size < 2) seen.add(v);
      }
      distinct = seen.size;
    } else {
      let first = NaN;
      for (let i = 0; i < col.values.length && distinct < 2; i++) {
        const v = col.values[i];
        if (v !== v) continue;
        present++;
        if (distinct === 0) {
          first = v;
          distinct = 1;
        } else if (v !== first) distinct = 2;
      }
    }
    if (present === 0) dropped.push({ name, reason: 'all-missing' });
    else if (distinct === 1) dropped.push({ name, reason: 'constant' });
  }
  return dropped.length ? { step: 'drop-columns', columns: dropped } : null;
}

function fitOutliers(frame: Frame, role: Map<string, ColumnRole>, typeOf: Map<string, string>, options: CleanOptions): RecipeStep | null {
  const method = options.outlierMethod ?? 'iqr';
  const threshold = options.outlierThreshold ?? (method === 'iqr' ? 3 : 3.5);
  const fences: Record<string, OutlierFence> = {};
  for (const [name, col] of frame.entries()) {
    if (col.kind !== 'number' || role.get(name) !== 'feature' || typeOf.get(name) !== 'number') continue;
    const sorted = sortedPresent(col.values);
    if (sorted.length < 8) continue;
    let fence: OutlierFence | null = null;
    if (method === 'iqr') {
      const q1 = quantileSorted(sorted, 0.25);
      const q3 = quantileSorted(sorted, 0.75);
      const iqr = q3 - q1;
      // a zero spread (mostly one value, e.g. capital gains) would make every other value an outlier
      if (iqr > 0) fence = { lower: q1 - threshold * iqr, upper: q3 + threshold * iqr };
    } else {
      const med = quantileSorted(sorted, 0.5);
      const deviations = sorted.map((v) => Math.abs(v - med));
      const mad = median(deviations);
      // 0.6745 makes the MAD comparable to a standard deviation for normal data
      if (mad > 0) fence = { lower: med - (threshold * mad) / 0.6745, upper: med + (threshold * mad) / 0.6745 };
    }
    if (fence) fences[name] = fence;
  }
  if (!Object.keys(fences).length) return null;
  return { step: 'outliers', method, threshold, action: options.outliers === 'flag' ? 'flag' : 'clip', columns: fences };
}

function fitImpute(frame: Frame, role: Map<string, ColumnRole>, options: CleanOptions): RecipeStep | null {
  const strategy = options.impute ?? 'median';
  const rules: Record<string, ImputeRule> = {};
  for (const [name, col] of frame.entries()) {
    if (role.get(name) !== 'feature' || col.kind === 'text') continue;
    let hadMissing = false;
    let rule: ImputeRule | null = null;
    if (col.kind === 'category') {
      for (let i = 0; i < col.codes.length && !hadMissing; i++) hadMissing = col.codes[i] < 0;
      if (strategy === 'constant') rule = { strategy, value: String(options.fillValue ?? 'missing'), indicator: false };
      else {
        const k = mostFrequent(codeCounts(col.codes, col.dictionary.length), col.dictionary);
        if (k >= 0) rule = { strategy: 'most-frequent', value: col.dictionary[k], indicator: false };
      }
    } else {
      for (let i = 0; i < col.values.length && !hadMissing; i++) hadMissing = Number.isNaN(col.values[i]);
      if (strategy === 'constant') rule = { strategy, value: Number(options.fillValue ?? 0), indicator: false };
      else if (strategy === 'most-frequent') rule = mostFrequentNumber(col.values);
      else {
        const m = median(col.values);
        if (!Number.isNaN(m)) rule = { strategy: 'median', value: m, indicator: false };
      }
    }
    if (!rule) continue;
    // indicators only where training data had gaps: the output columns are fixed at fit time
    rule.indicator = Boolean(options.missingIndicator && hadMissing);
    rules[name] = rule;
  }
  return Object.keys(rules).length ? { step: 'impute', columns: rules } : null;
}

function mostFrequentNumber(values: Float64Array): ImputeRule | null {
  const sorted = sortedPresent(values);
  if (!sorted.length) return null;
  let best = sorted[0];
  let bestRun = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    if (j - i > bestRun) {
      bestRun = j - i;
      best = sorted[i];
    }
    i = j;
  }
  return { strategy: 'most-frequent', value: best, indicator: false };
}
