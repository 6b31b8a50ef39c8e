// The remaining choices kiln init makes: the primary metric (and the ones shown beside it), the columns to drop
// (from the data-quality profile's identifier, constant and leakage warnings, plus columns whose name says they
// are measured after the outcome), and how models will be validated.

import type { Frame } from '../../core/frame.js';
import type { ColumnInfo, DataProfile } from '../../data/index.js';
import type { MetricName } from '../metrics/index.js';
import type { ProjectTask } from '../project/schema.js';
import type { Choice } from './target.js';
import { mentions, nameWords } from './words.js';

/** binary targets with fewer positives than this share are judged by PR-AUC (ROC-AUC flatters rare-event models) */
const RARE_POSITIVES = 0.05;

export function chooseMetric(task: ProjectTask, positiveShare: number | null, goal: string | undefined): Choice<MetricName> & { shown: MetricName[] } {
  const accuracyAsked = mentions(goal, 'accura');
  switch (task) {
    case 'binary': {
      if (accuracyAsked) return { value: 'accuracy', shown: ['roc_auc', 'log_loss'], reason: 'the goal asks for accuracy' };
      if (mentions(goal, 'f1')) return { value: 'f1', shown: ['roc_auc', 'pr_auc'], reason: 'the goal asks for F1' };
      if (positiveShare !== null && positiveShare < RARE_POSITIVES)
        return { value: 'pr_auc', shown: ['roc_auc', 'log_loss'], reason: `positives are only ${(positiveShare * 100).toFixed(1)} % of rows: PR-AUC shows how well the rare ones are found` };
      if (mentions(goal, 'fraud', 'rare', 'anomal'))
        return { value: 'pr_auc', shown: ['roc_auc', 'log_loss'], reason: 'the goal is to find rare events: PR-AUC measures how well they are found' };
      return { value: 'roc_auc', shown: ['pr_auc', 'log_loss', 'accuracy'], reason: 'two classes: ROC-AUC measures the ranking, whatever threshold is chosen later' };
    }
    case 'multiclass':
      if (accuracyAsked) return { value: 'accuracy', shown: ['log_loss', 'f1_macro'], reason: 'the goal asks for accuracy' };
      return { value: 'log_loss', shown: ['accuracy', 'f1_macro'], reason: 'several classes: log-loss rewards good probabilities for every class; accuracy is shown too' };
    case 'regression':
      if (mentions(goal, 'absolute', 'mae')) return { value: 'mae', shown: ['rmse', 'r2'], reason: 'the goal asks for absolute errors' };
      return { value: 'rmse', shown: ['mae', 'r2'], reason: 'a number to predict: RMSE, in the target’s units; MAE and R² are shown too' };
    case 'text':
      return { value: 'accuracy', shown: ['f1_macro'], reason: 'text classification is usually judged by accuracy' };
    case 'recommendation':
      return { value: 'rmse', shown: ['mae'], reason: 'rating prediction: RMSE on held-out ratings' };
  }
}

export interface DropChoice {
  readonly column: string;
  readonly reason: string;
}

/** column-name words of things measured during or after the outcome (a call's duration is known after the call) */
const AFTER_OUTCOME_WORDS = new Set(['duration']);

export function chooseDrops(profile: DataProfile, schema: readonly ColumnInfo[], keep: readonly string[]): DropChoice[] {
  const out = new Map<string, string>();
  const keepSet = new Set(keep);
  for (const w of profile.warnings) {
    if (!w.column || keepSet.has(w.column) || out.has(w.column)) continue;
    if (w.kind === 'identifier') out.set(w.column, 'identifier: it names rows, it does not describe them');
    else if (w.kind === 'constant') out.set(w.column, 'constant: one value in every row');
    else if (w.kind === 'all-missing') out.set(w.column, 'empty: no values at all');
    else if (w.kind === 'leakage') out.set(w.column, `suspected leak: ${w.message.replace(/^[^ ]+ /, '')}`);
  }
  for (const c of schema) {
    if (keepSet.has(c.name) || out.has(c.name)) continue;
    if (nameWords(c.name).some((w) => AFTER_OUTCOME_WORDS.has(w)))
      out.set(c.name, 'suspected leak: a duration is usually measured during the very event being predicted (known only after it)');
  }
  return [...out.entries()].map(([column, reason]) => ({ column, reason }));
}

export interface SplitChoice {
  readonly scheme: 'kfold' | 'stratified' | 'time' | 'group';
  readonly column: string | null;
}

/** share of consecutive present values that must not decrease for a datetime column to "order the rows" */
const ORDERED_SHARE = 0.99;

export function chooseSplit(frame: Frame, schema: readonly ColumnInfo[], task: ProjectTask, options: { timeColumn?: string; groupColumn?: string; exclude: readonly string[] }): Choice<SplitChoice> {
  if (options.groupColumn) return { value: { scheme: 'group', column: options.groupColumn }, reason: `rows of one ${options.groupColumn} stay in one fold (named with --group-column): no model is scored on a group it learned from` };
  if (options.timeColumn) return { value: { scheme: 'time', column: options.timeColumn }, reason: `ordered by ${options.timeColumn} (named with --time-column): each model is scored on rows later than those it learned from` };
  for (const c of schema) {
    if (c.kind !== 'datetime' || options.exclude.includes(c.name)) continue;
    const values = (frame.column(c.name) as { values: Float64Array }).values;
    let pairs = 0;
    let ordered = 0;
    let previous = NaN;
    let distinct = 0;
    for (const v of values) {
      if (Number.isNaN(v)) continue;
      if (!Number.isNaN(previous)) {
        pairs++;
        if (v >= previous) ordered++;
        if (v !== previous) distinct++;
      }
      previous = v;
    }
    if (pairs > 10 && distinct > 0 && ordered / pairs >= ORDERED_SHARE)
      return { value: { scheme: 'time', column: c.name }, reason: `the rows are in ${c.name} order: each model is scored on rows later than those it learned from` };
  }
  if (task === 'regression' || task === 'recommendation') return { value: { scheme: 'kfold', column: null }, reason: 'rows in no particular order: shuffled k-fold' };
  return { value: { scheme: 'stratified', column: null }, reason: 'rows in no particular order: stratified k-fold keeps the class balance in every fold' };
}
