// `kiln init` as a library call: read the data, profile it, decide the target, task, metric, columns to drop and
// validation scheme, and render kiln.yaml with the reason for each choice beside it.

import path from 'node:path';
import type { Frame } from '../../core/frame.js';
import { profileDataset, type Dataset, type DataProfile, readDataset, type ReadOptions } from '../../data/index.js';
import { FAMILY_NAMES } from '../families/index.js';
import type { MetricName } from '../metrics/index.js';
import { DEFAULT_FOLDS, DEFAULT_HOLDOUT, DEFAULT_SEED, type ProjectTask } from '../project/schema.js';
import { type Commented, renderYaml } from '../project/write.js';
import { chooseDrops, chooseMetric, chooseSplit, type DropChoice, type SplitChoice } from './choices.js';
import { type Choice, chooseTarget } from './target.js';
import { choosePositive, detectRecommendation, detectText, labelShare, type RecommendColumns, tabularTask } from './task.js';

export interface InitOptions {
  /** the data source (file, sqlite:, postgres://, URL) */
  readonly data: string;
  /** one line on what the model is for: "predict which customers churn" */
  readonly goal?: string;
  readonly target?: string;
  /** validate in time order along this column */
  readonly timeColumn?: string;
  /** keep rows of one group in one fold */
  readonly groupColumn?: string;
  readonly read?: ReadOptions;
  /** the folder kiln.yaml will live in (data paths are written relative to it); default the working directory */
  readonly projectDir?: string;
  /** the model's name in the registry; default from the data file or its folder */
  readonly name?: string;
  /** the training time budget written into the file; default "2m" */
  readonly time?: string;
  /** an already read data set (tests, the demo) */
  readonly dataset?: Dataset;
}

export interface InitResult {
  readonly source: string;
  readonly rows: number;
  readonly columns: number;
  readonly name: Choice<string>;
  readonly target: Choice<string>;
  readonly task: Choice<ProjectTask>;
  readonly positive: Choice<string> | null;
  readonly metric: Choice<MetricName> & { shown: MetricName[] };
  readonly drop: readonly DropChoice[];
  readonly split: Choice<SplitChoice>;
  readonly text: Choice<string> | null;
  readonly recommend: Choice<RecommendColumns> | null;
  /** a note when kiln train cannot do this task yet */
  readonly unsupported: string | null;
  readonly profile: DataProfile;
  /** the kiln.yaml text */
  readonly yaml: string;
}

/** from this many rows, 3 folds are enough (each scores thousands of rows) */
const MANY_ROWS = 20_000;

const GENERIC_STEMS = new Set(['train', 'training', 'data', 'dataset', 'test', 'input', 'u', 'full', 'sample']);

function defaultName(source: string): Choice<string> {
  const base = path.basename(source).replace(/(\.(csv|tsv|txt|json|ndjson|jsonl|parquet|data|gz))+$/i, '');
  const folder = path.basename(path.dirname(path.resolve(source)));
  const pick = GENERIC_STEMS.has(base.toLowerCase()) || base.length < 3 ? folder : base;
  const clean = pick.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'model';
  return { value: clean.slice(0, 100), reason: `from the ${pick === base ? 'data file' : 'data folder'}'s name` };
}

export async function init(options: InitOptions): Promise<InitResult> {
  const dataset = options.dataset ?? (await readDataset(options.data, options.read ?? {}));
  const { frame, schema } = dataset;
  const columns = schema.columns;
  const recommend = detectRecommendation(frame, columns, options.goal);
  const target: Choice<string> =
    options.target !== undefined || !recommend
      ? chooseTarget(frame, columns, options)
      : recommend.value.rating
        ? { value: recommend.value.rating, reason: 'the ratings are what a recommender learns to predict' }
        : chooseTarget(frame, columns, options);
  const profile = profileDataset(dataset, { target: target.value });
  const targetInfo = columns.find((c) => c.name === target.value)!;
  const text = recommend ? null : detectText(frame, columns, target.value, options.goal);
  let task: Choice<ProjectTask>;
  if (recommend) task = { value: 'recommendation', reason: recommend.reason };
  else if (text) task = { value: 'text', reason: text.reason };
  else task = tabularTask(frame, targetInfo, options.goal);
  const twoClasses = task.value === 'binary' || (task.value === 'text' && tabularTask(frame, targetInfo, options.goal).value === 'binary');
  const positive = twoClasses ? choosePositive(frame, target.value, options.goal) : null;
  const metric = chooseMetric(task.value, positive ? labelShare(frame, target.value, positive.value) : null, options.goal);
  const keep = [target.value, ...(options.timeColumn ? [options.timeColumn] : []), ...(text ? [text.value] : []), ...(recommend ? Object.values(recommend.value).filter((v): v is string => !!v) : [])];
  const drop = chooseDrops(profile, columns, keep).filter((d) => d.column !== options.groupColumn);
  const split = chooseSplit(frame, columns, task.value, { timeColumn: options.timeColumn, groupColumn: options.groupColumn, exclude: [target.value, ...drop.map((d) => d.column)] });
  const name = options.name ? { value: options.name, reason: 'named with --name' } : defaultName(options.data);
  const unsupported =
    task.value === 'text' || task.value === 'recommendation'
      ? `kiln train does not do ${task.value === 'text' ? 'text classification' : 'recommendation'} yet; this file is ready for when it does`
      : null;
  const result = { source: options.data, rows: frame.nRows, columns: frame.nCols, name, target, task, positive, metric, drop, split, text, recommend, unsupported, profile };
  return { ...result, yaml: projectYaml(result, options, frame) };
}

function projectYaml(r: Omit<InitResult, 'yaml'>, options: InitOptions, frame: Frame): string {
  const dir = path.resolve(options.projectDir ?? process.cwd());
  const isFile = !/^[a-z][a-z0-9+.-]*:/i.test(options.data) || /^file:/i.test(options.data);
  const source = isFile ? path.relative(dir, path.resolve(options.data)) || options.data : options.data;
  const read = Object.fromEntries(
    Object.entries(options.read ?? {})
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]),
  );
  const content: Record<string, unknown> = { name: r.name.value, data: Object.keys(read).length ? { source, ...read } : source, target: r.target.value, task: r.task.value };
  const comments: Commented[] = [
    { path: ['name'], comment: `the model's name in the registry; ${r.name.reason}` },
    { path: ['data'], comment: `${r.rows.toLocaleString('en-US')} rows × ${r.columns} columns` },
    { path: ['target'], comment: r.target.reason },
    { path: ['task'], comment: r.task.reason },
  ];
  if (r.positive) {
    content.positive = r.positive.value;
    comments.push({ path: ['positive'], comment: r.positive.reason });
  }
  content.metric = r.metric.value;
  comments.push({ path: ['metric'], comment: `${r.metric.reason} (also shown: ${r.metric.shown.join(', ')})` });
  if (r.text) {
    content.text = r.text.value;
    comments.push({ path: ['text'], comment: r.text.reason });
  }
  if (r.recommend) {
    content.recommend = Object.fromEntries(Object.entries(r.recommend.value).filter(([, v]) => v !== null));
    comments.push({ path: ['recommend'], comment: r.recommend.reason });
  }
  if (r.drop.length) {
    content.drop = Object.fromEntries(r.drop.map((d) => [d.column, d.reason]));
    comments.push({ path: ['drop'], comment: 'columns that are not features, each with the reason (delete a line to keep that column)' });
  }
  const folds = r.rows >= MANY_ROWS ? 3 : DEFAULT_FOLDS;
  content.split = { scheme: r.split.value.scheme, folds, ...(r.split.value.column ? { column: r.split.value.column } : {}), holdout: DEFAULT_HOLDOUT };
  comments.push(
    { path: ['split', 'scheme'], comment: r.split.reason },
    {
      path: ['split', 'folds'],
      comment:
        folds === DEFAULT_FOLDS
          ? 'cross-validation folds: every candidate model is scored on rows it did not learn from'
          : `cross-validation folds: with ${r.rows.toLocaleString('en-US')} rows, 3 folds give stable scores and leave time to try more models`,
    },
    { path: ['split', 'holdout'], comment: 'share of rows kept out of the whole search, to score the final model once (data of 1,000+ rows)' },
  );
  content.budget = { time: options.time ?? '2m' };
  comments.push({ path: ['budget', 'time'], comment: 'kiln train stops searching in time to finish within this (kiln train --time overrides)' });
  content.seed = DEFAULT_SEED;
  comments.push({ path: ['seed'], comment: 'the same seed and --trials give the same models, bit for bit' });
  content.families = { include: [...FAMILY_NAMES] };
  comments.push({ path: ['families'], comment: 'model families to try (families.exclude leaves some out)' });
  const header = [
    'Kiln project file: what to learn and how to judge it. kiln train reads it; edit anything.',
    ...(options.goal ? [`Goal: ${options.goal}`] : []),
    `Written by kiln init from ${options.data} (${frame.nRows.toLocaleString('en-US')} rows).`,
    ...r.profile.warnings.filter((w) => !r.drop.some((d) => d.column === w.column) || !w.column).map((w) => `Note: ${w.message}`),
    ...(r.task.value === 'binary' ? ['Error costs, when known, set the decision threshold: costs: { false_positive: 1, false_negative: 20 }'] : []),
    ...(r.unsupported ? [`Note: ${r.unsupported}.`] : []),
  ];
  return renderYaml(content, comments, header, [['families', 'include']], [['positive']]);
}
