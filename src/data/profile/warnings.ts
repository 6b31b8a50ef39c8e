// Dataset warnings for the profile: each names what was found, where, and what to do about it. Pure.

import type { ColumnInfo } from '../schema.js';
import type { ColumnPower, TargetTask } from './predictive-power.js';
import type { ColumnProfile } from './column-profile.js';
import { variantKey } from '../recipe/recipe.js';

export type WarningKind =
  | 'duplicates'
  | 'constant'
  | 'all-missing'
  | 'many-missing'
  | 'high-cardinality'
  | 'identifier'
  | 'mixed-types'
  | 'spelling-variants'
  | 'class-imbalance'
  | 'leakage'
  | 'bad-rows';

export interface DataWarning {
  kind: WarningKind;
  column?: string;
  message: string;
  /** what to do about it */
  advice: string;
}

/** Share of missing values from which a column is called out. */
const MANY_MISSING = 0.5;
/** A category is high-cardinality above this many labels, or above HIGH_CARDINALITY_SMALL and 5 % of rows. */
const HIGH_CARDINALITY = 100;
const HIGH_CARDINALITY_SMALL = 50;
/** Leakage: a near-perfect single-column predictor... */
const NEAR_PERFECT_STRENGTH = 0.96; // AUC 0.98, or R² 0.96
/**
 * ...or one far ahead of the rest: strong on its own and this many times the mean strength of the next
 * DOMINANT_PACK columns. Calibrated on the shared data sets: bank_marketing's duration is 2.4x the pack
 * (flagged); covertype's Elevation, a genuine strong feature, is under 2x (not flagged).
 */
const DOMINANT_STRENGTH = 0.5; // AUC 0.75, or R² 0.5
const DOMINANT_RATIO = 2.2;
const DOMINANT_PACK = 3;

export function columnWarnings(profiles: readonly ColumnProfile[], infos: readonly ColumnInfo[], target: string | null): DataWarning[] {
  const out: DataWarning[] = [];
  profiles.forEach((p, j) => {
    const info = infos[j];
    const isTarget = p.name === target;
    if (p.missing === p.rows) {
      out.push({ kind: 'all-missing', column: p.name, message: `${p.name} has no values at all`, advice: 'drop it (kiln clean does)' });
      return;
    }
    if (p.distinct === 1 && !isTarget) {
      out.push({ kind: 'constant', column: p.name, message: `${p.name} holds one value (${p.top[0]?.value ?? ''}) in every row`, advice: 'drop it: it cannot explain anything (kiln clean does)' });
    }
    if (p.missingShare >= MANY_MISSING) {
      out.push({ kind: 'many-missing', column: p.name, message: `${p.name} is ${pct(p.missingShare)} missing`, advice: 'check why; consider a missing-indicator column (kiln clean --missing-indicator) or dropping it' });
    }
    if (p.type === 'identifier') {
      out.push({ kind: 'identifier', column: p.name, message: `${p.name} looks like an identifier (${p.reason})`, advice: 'keep it out of the features (kiln clean marks it as a non-feature)' });
    }
    if ((p.type === 'category' || p.type === 'boolean') && (p.distinct > HIGH_CARDINALITY || (p.distinct > HIGH_CARDINALITY_SMALL && p.distinct > 0.05 * (p.rows - p.missing)))) {
      out.push({ kind: 'high-cardinality', column: p.name, message: `${p.name} has ${p.distinct} distinct categories`, advice: 'group rare ones or use a target/ordinal encoding rather than one-hot' });
    }
    if (info.mixed) {
      const m = info.mixed;
      out.push({
        kind: 'mixed-types',
        column: p.name,
        message: `${p.name} is ${pct(m.share)} ${m.dominant === 'number' ? 'numbers' : 'dates'} mixed with other values (${m.examples.map((e) => JSON.stringify(e)).join(', ')})`,
        advice: `if those mean "missing", add them: --missing ${m.examples.map((e) => JSON.stringify(e)).join(' --missing ')}`,
      });
    }
    const variants = spellingVariants(p);
    if (variants.length) {
      out.push({ kind: 'spelling-variants', column: p.name, message: `${p.name} spells one value several ways: ${variants.slice(0, 3).map((g) => g.join(' / ')).join('; ')}`, advice: 'kiln clean unifies them' });
    }
  });
  return out;
}

function spellingVariants(p: ColumnProfile): string[][] {
  if (p.type !== 'category' && p.type !== 'boolean') return [];
  const groups = new Map<string, string[]>();
  for (const label of p.histogram.labels) {
    if (label === '(other)') continue;
    const key = variantKey(label);
    groups.set(key, [...(groups.get(key) ?? []), JSON.stringify(label)]);
  }
  return [...groups.values()].filter((g) => g.length > 1);
}

export function duplicateWarning(duplicates: number, rows: number): DataWarning[] {
  if (duplicates === 0) return [];
  return [{ kind: 'duplicates', message: `${duplicates} rows (${pct(duplicates / rows)}) repeat an earlier row exactly`, advice: 'drop them unless repeats are real events (kiln clean drops them)' }];
}

export function imbalanceWarning(target: ColumnProfile, task: TargetTask): DataWarning[] {
  if (task !== 'classification' || target.top.length < 2) return [];
  const present = target.rows - target.missing;
  const k = target.distinct;
  const smallest = [...target.top].sort((a, b) => a.count - b.count)[0];
  const share = smallest.count / present;
  // under 40 % of a fair share: 20 % for two classes, 5.7 % for seven
  if (share >= 0.4 / k) return [];
  return [
    {
      kind: 'class-imbalance',
      column: target.name,
      message: `${target.name} is imbalanced: "${smallest.value}" is only ${pct(share)} of rows (${smallest.count} of ${present})`,
      advice: 'judge models by ROC/PR AUC or balanced accuracy, not accuracy; consider class weights',
    },
  ];
}

export function leakageWarnings(powers: readonly ColumnPower[], target: string, task: TargetTask): DataWarning[] {
  if (!powers.length) return [];
  const ranked = [...powers].sort((a, b) => b.strength - a.strength);
  const measure = (p: ColumnPower) => (task === 'classification' ? `AUC ${p.score.toFixed(2)}` : `R² ${p.score.toFixed(2)}`);
  const out: DataWarning[] = [];
  for (const p of ranked) {
    if (p.strength < NEAR_PERFECT_STRENGTH) break;
    out.push({
      kind: 'leakage',
      column: p.name,
      message: `${p.name} alone predicts ${target} almost perfectly (${measure(p)}): suspected target leakage`,
      advice: `check that ${p.name} is known before the outcome; if it is recorded after (or derived from) ${target}, drop it`,
    });
  }
  // "far ahead": compared with the next few columns, so one runner-up that is also strong does not hide it
  const [best, next] = ranked;
  const pack = ranked.slice(1, 1 + DOMINANT_PACK);
  const packStrength = pack.length ? pack.reduce((s, p) => s + p.strength, 0) / pack.length : 0;
  if (!out.length && best.strength >= DOMINANT_STRENGTH && best.strength >= DOMINANT_RATIO * packStrength) {
    out.push({
      kind: 'leakage',
      column: best.name,
      message: `${best.name} predicts ${target} far better than any other column (${measure(best)}${next ? `; next best ${next.name}, ${measure(next)}` : ''}): suspected target leakage`,
      advice: `check that ${best.name} is known before the outcome (e.g. a call's duration is only known after the call); if not, drop it`,
    });
  }
  return out;
}

export function badRowsWarning(count: number, examples: readonly { line: number; message: string }[]): DataWarning[] {
  if (!count) return [];
  return [
    {
      kind: 'bad-rows',
      message: `${count} malformed line${count > 1 ? 's were' : ' was'} skipped (first at line ${examples[0]?.line}: ${examples[0]?.message ?? ''})`,
      advice: 'fix the source, or accept the loss',
    },
  ];
}

export function pct(share: number): string {
  const p = share * 100;
  return `${p >= 10 || p === 0 ? p.toFixed(0) : p.toFixed(1)} %`;
}
