// The cleaning recipe: plain JSON that records every decision `kiln clean` made (column types, spelling
// fixes, medians, outlier fences, dropped columns) so the same cleaning can be applied to new data, to a
// single prediction row in the server, or in a browser. Pure: no node: imports.

import { KilnError } from '../../core/errors.js';
import type { ColumnKind } from '../../core/frame.js';
import { type ColumnParse, SEMANTIC_TYPES, type SemanticType } from '../schema.js';

export const RECIPE_FORMAT = 'kiln-recipe';
export const RECIPE_VERSION = 1;

/** What a column is for: features feed models; targets are predicted; identifiers are kept but never used. */
export type ColumnRole = 'feature' | 'target' | 'identifier';

/** An input column: its name, semantic type, storage kind and how to parse raw values into it. */
export interface RecipeColumn {
  name: string;
  type: SemanticType;
  kind: ColumnKind;
  role: ColumnRole;
  parse: ColumnParse;
}

export interface ImputeRule {
  strategy: 'median' | 'most-frequent' | 'constant';
  /** the fill value: a number for number/datetime columns, a label for categories and text */
  value: number | string;
  /** also add `<name>_missing` (1 where the value was missing, else 0) */
  indicator: boolean;
}

export interface OutlierFence {
  lower: number;
  upper: number;
}

export type RecipeStep =
  /** strip surrounding whitespace from labels and text */
  | { step: 'trim-whitespace'; columns: string[] }
  /** map spelling variants to one label: column -> normalised key -> label (see variantKey) */
  | { step: 'unify-variants'; columns: Record<string, Record<string, string>> }
  /** rows without a target value cannot teach anything (data mode only) */
  | { step: 'drop-missing-target'; column: string }
  /** exact duplicate rows (data mode only) */
  | { step: 'drop-duplicates' }
  | { step: 'drop-columns'; columns: { name: string; reason: 'constant' | 'all-missing' }[] }
  | {
      step: 'outliers';
      method: 'iqr' | 'robust-z';
      /** IQR multiple k (fences at Q1 - k IQR, Q3 + k IQR) or robust z limit */
      threshold: number;
      action: 'clip' | 'flag';
      columns: Record<string, OutlierFence>;
    }
  | { step: 'impute'; columns: Record<string, ImputeRule> };

export type StepName = RecipeStep['step'] | 'fix-types' | 'mark-identifiers';

export interface Recipe {
  format: typeof RECIPE_FORMAT;
  version: typeof RECIPE_VERSION;
  target: string | null;
  /** the columns expected as input, in order */
  columns: RecipeColumn[];
  steps: RecipeStep[];
  /** the columns produced, in order */
  output: { name: string; kind: ColumnKind; role: ColumnRole }[];
}

const STEP_NAMES = new Set(['trim-whitespace', 'unify-variants', 'drop-missing-target', 'drop-duplicates', 'drop-columns', 'outliers', 'impute']);
const KINDS = new Set(['number', 'category', 'text', 'datetime']);

/** Check that parsed JSON is a recipe this version understands; the message names what is wrong. */
export function parseRecipe(json: unknown, where = 'recipe'): Recipe {
  const fail = (what: string): never => {
    throw new KilnError('E_VALIDATION', `${where} is not a usable Kiln recipe: ${what}`, {
      hint: 'use the .recipe.json file that `kiln clean` wrote next to its output',
    });
  };
  if (!json || typeof json !== 'object') return fail('not a JSON object');
  const r = json as Partial<Recipe>;
  if (r.format !== RECIPE_FORMAT) return fail(`format is ${JSON.stringify(r.format)}, expected "${RECIPE_FORMAT}"`);
  if (r.version !== RECIPE_VERSION) return fail(`version ${JSON.stringify(r.version)} is not supported (this Kiln reads version ${RECIPE_VERSION})`);
  if (!Array.isArray(r.columns) || r.columns.length === 0) return fail('no input columns');
  r.columns.forEach((c, i) => {
    if (typeof c?.name !== 'string') fail(`columns[${i}] has no name`);
    if (!SEMANTIC_TYPES.includes(c.type)) fail(`column "${c.name}" has unknown type ${JSON.stringify(c.type)}`);
    if (!KINDS.has(c.kind) || !c.parse || !KINDS.has(c.parse.kind) || !Array.isArray(c.parse.markers)) fail(`column "${c.name}" has a malformed kind or parse rule`);
    if (!['feature', 'target', 'identifier'].includes(c.role)) fail(`column "${c.name}" has unknown role ${JSON.stringify(c.role)}`);
  });
  if (!Array.isArray(r.steps)) return fail('no steps list');
  r.steps.forEach((s, i) => {
    if (!s || !STEP_NAMES.has((s as { step: string }).step)) fail(`steps[${i}] is unknown: ${JSON.stringify((s as { step?: string })?.step)}`);
  });
  if (!Array.isArray(r.output)) return fail('no output list');
  if (r.target !== null && typeof r.target !== 'string') return fail('target must be a column name or null');
  return r as Recipe;
}

/** The key under which spelling variants meet: trimmed, lower-case, runs of spaces/underscores/dashes as one space. */
export function variantKey(label: string): string {
  return label.trim().toLowerCase().replace(/[\s_-]+/g, ' ');
}
