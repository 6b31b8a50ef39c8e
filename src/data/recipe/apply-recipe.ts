// Applying a cleaning recipe to a Frame: fix types, then each recorded step in order, with counts.
// The same code runs in `kiln clean`, `kiln clean --apply`, the prediction server and the browser runtime,
// so it stays pure (no node: imports, no DuckDB). In `predict` mode rows are never dropped (one answer per
// input row) and the target and identifier columns may be absent.

import { KilnError } from '../../core/errors.js';
import { type Column, countMissing, Frame } from '../../core/frame.js';
import { coerceColumn } from '../coerce.js';
import { duplicateRows } from '../row-hash.js';
import { trimColumn, unifyColumn } from './apply-labels.js';
import { applyFence, applyImpute } from './apply-values.js';
import type { Recipe, RecipeStep, StepName } from './recipe.js';

export interface ApplyOptions {
  /** `data` (default): cleaning a data set, row steps apply; `predict`: rows to score, no row is dropped */
  mode?: 'data' | 'predict';
}

/** What one step did: how many values or rows it changed, per column where that applies. */
export interface StepReport {
  step: StepName;
  /** values (or rows, for row steps) changed */
  changed: number;
  /** per-column counts, only columns with a change */
  columns: Record<string, number>;
  summary: string;
}

/** Apply `recipe` to `frame` and return the cleaned Frame (columns in the recipe's output order). */
export function applyRecipe(recipe: Recipe, frame: Frame, options: ApplyOptions = {}): Frame {
  return applyRecipeWithReport(recipe, frame, options).frame;
}

export function applyRecipeWithReport(recipe: Recipe, frame: Frame, options: ApplyOptions = {}): { frame: Frame; report: StepReport[] } {
  const mode = options.mode ?? 'data';
  const report: StepReport[] = [];
  let current = fixTypes(recipe, frame, mode, report);
  const identifiers = recipe.columns.filter((c) => c.role === 'identifier').map((c) => c.name);
  if (identifiers.length) {
    report.push({ step: 'mark-identifiers', changed: 0, columns: {}, summary: `kept as non-features: ${identifiers.join(', ')}` });
  }
  for (const step of recipe.steps) current = applyStep(step, current, mode, report);
  const names = recipe.output.map((o) => o.name).filter((name) => current.has(name));
  return { frame: current.select(names), report };
}

function fixTypes(recipe: Recipe, frame: Frame, mode: 'data' | 'predict', report: StepReport[]): Frame {
  const absent = recipe.columns.filter((c) => !frame.has(c.name) && (mode === 'data' || c.role === 'feature')).map((c) => c.name);
  if (absent.length) {
    throw new KilnError('E_DATA_SCHEMA', `the data lacks ${absent.length} column${absent.length > 1 ? 's' : ''} the recipe needs: ${absent.slice(0, 12).join(', ')}${absent.length > 12 ? ', …' : ''}`, {
      hint: `the recipe was made for columns: ${recipe.columns.map((c) => c.name).slice(0, 20).join(', ')}`,
    });
  }
  const columns: [string, Column][] = [];
  const perColumn: Record<string, number> = {};
  const converted: string[] = [];
  let madeMissing = 0;
  for (const spec of recipe.columns) {
    if (!frame.has(spec.name)) continue;
    const before = frame.column(spec.name);
    const after = coerceColumn(before, spec.parse);
    const lost = countMissing(after) - countMissing(before);
    // labels becoming free text or ids is storage, not a fix; text becoming numbers or dates is
    if (before.kind !== after.kind && (after.kind === 'number' || after.kind === 'datetime')) converted.push(`${spec.name} (${before.kind === 'category' ? 'text' : before.kind} → ${spec.type})`);
    if (lost > 0) {
      perColumn[spec.name] = lost;
      madeMissing += lost;
    }
    columns.push([spec.name, after]);
  }
  const parts = [
    converted.length ? `converted ${converted.join(', ')}` : 'types already right',
    madeMissing ? `${madeMissing} value${madeMissing > 1 ? 's' : ''} read as missing` : '',
  ].filter(Boolean);
  report.push({ step: 'fix-types', changed: madeMissing + converted.length, columns: perColumn, summary: parts.join('; ') });
  return Frame.fromColumns(columns, frame.nRows);
}

/** Apply one step (also used while fitting, so fit and apply cannot drift apart). */
export function applyStep(step: RecipeStep, frame: Frame, mode: 'data' | 'predict', report: StepReport[]): Frame {
  switch (step.step) {
    case 'trim-whitespace':
    case 'unify-variants': {
      const names = step.step === 'trim-whitespace' ? step.columns : Object.keys(step.columns);
      let out = frame;
      const perColumn: Record<string, number> = {};
      let total = 0;
      for (const name of names) {
        if (!out.has(name)) continue;
        const r = step.step === 'trim-whitespace' ? trimColumn(out.column(name)) : unifyColumn(out.column(name), step.columns[name]);
        if (r.changed) {
          out = out.withColumn(name, r.column);
          perColumn[name] = r.changed;
          total += r.changed;
        }
      }
      const what = step.step === 'trim-whitespace' ? 'values had surrounding whitespace' : 'values were spelling variants';
      report.push({ step: step.step, changed: total, columns: perColumn, summary: `${total} ${what}${listColumns(perColumn)}` });
      return out;
    }
    case 'drop-missing-target': {
      if (mode === 'predict' || !frame.has(step.column)) return frame;
      const col = frame.column(step.column);
      const keep = new Uint32Array(frame.nRows); // (nKept) row indices, filled from the front
      let kept = 0;
      for (let i = 0; i < frame.nRows; i++) if (!isMissing(col, i)) keep[kept++] = i;
      const dropped = frame.nRows - kept;
      report.push({ step: step.step, changed: dropped, columns: {}, summary: `${dropped} row${dropped === 1 ? '' : 's'} without a ${step.column} value dropped` });
      return dropped ? frame.take(keep.subarray(0, kept)) : frame;
    }
    case 'drop-duplicates': {
      if (mode === 'predict') return frame;
      const dup = duplicateRows(frame);
      const keep = new Uint32Array(frame.nRows); // (nKept) row indices, filled from the front
      let kept = 0;
      for (let i = 0; i < dup.length; i++) if (!dup[i]) keep[kept++] = i;
      const dropped = frame.nRows - kept;
      report.push({ step: step.step, changed: dropped, columns: {}, summary: `${dropped} exact duplicate row${dropped === 1 ? '' : 's'} dropped` });
      return dropped ? frame.take(keep.subarray(0, kept)) : frame;
    }
    case 'drop-columns': {
      const present = step.columns.filter((c) => frame.has(c.name));
      report.push({
        step: step.step,
        changed: present.length,
        columns: {},
        summary: present.length ? `dropped ${present.map((c) => `${c.name} (${c.reason})`).join(', ')}` : 'no constant or empty columns',
      });
      return frame.drop(present.map((c) => c.name));
    }
    case 'outliers': {
      let out = frame;
      const perColumn: Record<string, number> = {};
      let total = 0;
      for (const [name, fence] of Object.entries(step.columns)) {
        if (!out.has(name)) continue;
        const r = applyFence(out.column(name), fence, step.action);
        if (r.flags) out = out.withColumn(`${name}_outlier`, r.flags);
        else if (r.changed) out = out.withColumn(name, r.column);
        if (r.changed) {
          perColumn[name] = r.changed;
          total += r.changed;
        }
      }
      const verb = step.action === 'clip' ? 'clipped' : 'flagged';
      report.push({ step: step.step, changed: total, columns: perColumn, summary: `${total} outlier${total === 1 ? '' : 's'} ${verb} (${step.method}, threshold ${step.threshold})${listColumns(perColumn)}` });
      return out;
    }
    case 'impute': {
      let out = frame;
      const perColumn: Record<string, number> = {};
      let total = 0;
      for (const [name, rule] of Object.entries(step.columns)) {
        if (!out.has(name)) continue;
        const r = applyImpute(out.column(name), rule);
        out = out.withColumn(name, r.column);
        if (r.indicator) out = out.withColumn(`${name}_missing`, r.indicator);
        if (r.changed) {
          perColumn[name] = r.changed;
          total += r.changed;
        }
      }
      report.push({ step: step.step, changed: total, columns: perColumn, summary: `${total} missing value${total === 1 ? '' : 's'} filled${listColumns(perColumn)}` });
      return out;
    }
  }
}

function isMissing(col: Column, i: number): boolean {
  switch (col.kind) {
    case 'number':
    case 'datetime':
      return Number.isNaN(col.values[i]);
    case 'category':
      return col.codes[i] < 0;
    case 'text':
      return col.values[i] === null;
  }
}

function listColumns(perColumn: Record<string, number>): string {
  const entries = Object.entries(perColumn);
  if (!entries.length) return '';
  const shown = entries.slice(0, 6).map(([n, c]) => `${n} ${c}`);
  return ` (${shown.join(', ')}${entries.length > 6 ? ', …' : ''})`;
}
