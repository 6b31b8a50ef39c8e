// The settings one training run uses: the project file's, with command-line overrides applied and anything the
// file leaves out inferred the way kiln init would (each inferred value is noted, with its reason).

import type { Json } from '../core/artifact.js';
import { KilnError } from '../core/errors.js';
import type { Task } from '../core/learner.js';
import type { ColumnInfo, Dataset } from '../data/index.js';
import { chooseMetric, chooseSplit } from './init/choices.js';
import { init } from './init/init.js';
import { choosePositive, labelShare, tabularTask } from './init/task.js';
import { type ErrorCosts, METRICS, type MetricName } from './metrics/index.js';
import { DEFAULT_SECONDS, type Project } from './project/schema.js';

export interface TrainSettings {
  readonly name: string;
  readonly target: string;
  readonly task: Task;
  readonly positive?: string;
  readonly metric: MetricName;
  /** column → reason */
  readonly drop: Readonly<Record<string, string>>;
  readonly split: { readonly scheme: 'kfold' | 'stratified' | 'time' | 'group'; readonly folds: number; readonly column: string | null; readonly holdout: number };
  /** the time budget in seconds; null for a trial-limited (reproducible) run */
  readonly seconds: number | null;
  readonly trials: number | null;
  readonly seed: number;
  readonly families: { readonly include?: readonly string[]; readonly exclude?: readonly string[] };
  readonly costs: ErrorCosts | null;
  /** what was not in the project file and how it was decided */
  readonly inferred: readonly string[];
}

export interface Overrides {
  /** seconds */
  readonly seconds?: number;
  readonly trials?: number;
  readonly seed?: number;
}

export async function resolveSettings(project: Project, dataset: Dataset, overrides: Overrides, fallbackName: string): Promise<TrainSettings> {
  const inferred: string[] = [];
  const { frame, schema } = dataset;
  let target = project.target;
  let task = project.task;
  if (target === undefined) {
    const guess = await init({ data: project.data.source, dataset });
    target = guess.target.value;
    inferred.push(`target ${target}: ${guess.target.reason}`);
    task ??= guess.task.value;
  }
  if (!frame.has(target)) throw new KilnError('E_PROJECT', `target: the column "${target}" is not in the data`, { hint: `columns are: ${frame.names.slice(0, 30).join(', ')}` });
  if (task === undefined) {
    // tabularTask reads the column's values; the schema entry only names it
    const info = schema.columns.find((c) => c.name === target) ?? ({ name: target } as ColumnInfo);
    const t = tabularTask(frame, info, undefined);
    task = t.value;
    inferred.push(`task ${task}: ${t.reason}`);
  }
  if (task === 'text' || task === 'recommendation')
    throw new KilnError('E_PROJECT', `kiln train does not do ${task === 'text' ? 'text classification' : 'recommendation'} yet`, { hint: 'tabular tasks (binary, multiclass, regression) are supported; set task: to one of them to treat the data as a table' });
  let positive = project.positive;
  if (task === 'binary' && positive === undefined) {
    const p = choosePositive(frame, target, undefined);
    positive = p.value;
    inferred.push(`positive "${positive}": ${p.reason}`);
  }
  let metric = project.metric;
  if (metric === undefined) {
    const m = chooseMetric(task, positive !== undefined ? labelShare(frame, target, positive) : null, undefined);
    metric = m.value;
    inferred.push(`metric ${metric}: ${m.reason}`);
  }
  if (!METRICS[metric].tasks.includes(task)) throw new KilnError('E_PROJECT', `metric: ${metric} does not apply to a ${task} task`, { hint: `use one of ${Object.entries(METRICS).filter(([, s]) => s.tasks.includes(task as Task)).map(([n]) => n).join(', ')}` });
  for (const column of Object.keys(project.drop))
    if (!frame.has(column)) throw new KilnError('E_PROJECT', `drop: the column "${column}" is not in the data`, { hint: `columns are: ${frame.names.slice(0, 30).join(', ')}` });
  let scheme = project.split.scheme;
  let column = project.split.column;
  if (scheme === undefined) {
    const s = chooseSplit(frame, schema.columns, task, { exclude: [target, ...Object.keys(project.drop)] });
    scheme = s.value.scheme;
    column = column ?? s.value.column;
    inferred.push(`split ${scheme}: ${s.reason}`);
  }
  if (task === 'regression' && scheme === 'stratified') scheme = 'kfold';
  const trials = overrides.trials ?? (overrides.seconds === undefined ? project.budget.trials : null);
  // --trials alone means a reproducible run: no clock at all
  const seconds = overrides.seconds ?? (overrides.trials !== undefined ? null : (project.budget.seconds ?? (trials === null ? DEFAULT_SECONDS : null)));
  if (project.costs && task !== 'binary') throw new KilnError('E_PROJECT', `costs: a cost matrix applies to binary tasks, this one is ${task}`);
  return {
    name: project.name ?? fallbackName,
    target,
    task,
    positive,
    metric,
    drop: project.drop,
    split: { scheme, folds: project.split.folds, column, holdout: project.split.holdout },
    seconds,
    trials,
    seed: overrides.seed ?? project.seed,
    families: project.families,
    costs: project.costs,
    inferred,
  };
}

export function settingsJson(s: TrainSettings): Json {
  return JSON.parse(JSON.stringify({ ...s, inferred: undefined })) as Json;
}
