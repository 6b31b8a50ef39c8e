// The project file, kiln.yaml: its schema (zod) and the typed Project it parses into. Every field but `data` is
// optional here (kiln init fills them in, kiln train infers what is still missing). Validation collects every
// problem; each names the field, what was expected and what was found, e.g.
//   split.folds: expected a whole number from 2 to 20, found 1
// Later steps' sections (deploy, monitor) are part of the schema already so their issues can fill them in.

import { z } from 'zod';
import { describeValue, KilnError, type Issue } from '../../core/errors.js';
import { isMetricName, type MetricName } from '../metrics/index.js';
import { parseDuration } from '../budget.js';

export const TASKS = ['binary', 'multiclass', 'regression', 'text', 'recommendation'] as const;
export type ProjectTask = (typeof TASKS)[number];
export const SPLIT_SCHEMES = ['kfold', 'stratified', 'time', 'group'] as const;

const name = (what: string) => z.string({ error: `${what}` }).min(1, { error: `${what} (not empty)` });
const columnName = name('a column name');
const positiveNumber = z.number({ error: 'a number >= 0' }).finite().min(0, { error: 'a number >= 0' });

const dataSchema = z.strictObject(
  {
    source: name('a file path, sqlite:…, postgres://… or http(s)://… URL'),
    format: z.enum(['csv', 'json', 'ndjson', 'parquet'], { error: 'one of csv, json, ndjson, parquet' }).optional(),
    delimiter: z.string({ error: 'a delimiter such as "," ";" or "\\t"' }).optional(),
    header: z.boolean({ error: 'true or false' }).optional(),
    columns: z.array(columnName, { error: 'a list of column names' }).optional(),
    quote: z.string({ error: 'a quote character, or null' }).nullable().optional(),
    skip_lines: z.number({ error: 'a whole number >= 0' }).int({ error: 'a whole number >= 0' }).min(0, { error: 'a whole number >= 0' }).optional(),
    encoding: z.enum(['utf-8', 'latin-1'], { error: 'utf-8 or latin-1' }).optional(),
    missing: z.array(z.string({ error: 'a label' }), { error: 'a list of labels read as missing' }).optional(),
    types: z.record(z.string(), z.enum(['number', 'category', 'boolean', 'datetime', 'text', 'identifier'], { error: 'one of number, category, boolean, datetime, text, identifier' }), { error: 'a map of column → type' }).optional(),
    table: z.string({ error: 'a table name' }).optional(),
    query: z.string({ error: 'an SQL query' }).optional(),
    skip_bad_rows: z.boolean({ error: 'true or false' }).optional(),
  },
  { error: 'a map with at least `source`' },
);

const metricSchema = z.string({ error: 'a metric name' }).refine(isMetricName, { error: 'a known metric (roc_auc, pr_auc, log_loss, accuracy, balanced_accuracy, f1_macro, f1, precision, recall, rmse, mse, mae, r2)' });

export const projectSchema = z.strictObject(
  {
    name: z.string({ error: 'a model name (letters, digits, - and _)' }).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, { error: 'a model name (letters, digits, ., - and _; starting with a letter or digit)' }).optional(),
    data: z.union([name('a file path or URL'), dataSchema], { error: 'a file path, or a map with `source` and read options' }),
    target: columnName.optional(),
    task: z.enum(TASKS, { error: `one of ${TASKS.join(', ')}` }).optional(),
    positive: z.union([z.string(), z.number(), z.boolean()], { error: 'the positive class label' }).optional(),
    metric: metricSchema.optional(),
    drop: z
      .union([z.array(columnName), z.record(z.string(), z.union([z.string(), z.null()]))], { error: 'a list of column names, or a map of column → reason' })
      .optional(),
    split: z
      .strictObject(
        {
          scheme: z.enum(SPLIT_SCHEMES, { error: `one of ${SPLIT_SCHEMES.join(', ')}` }).optional(),
          folds: z.number({ error: 'a whole number from 2 to 20' }).int({ error: 'a whole number from 2 to 20' }).min(2, { error: 'a whole number from 2 to 20' }).max(20, { error: 'a whole number from 2 to 20' }).optional(),
          column: columnName.nullable().optional(),
          holdout: z.number({ error: 'a share from 0 to 0.5' }).min(0, { error: 'a share from 0 to 0.5' }).max(0.5, { error: 'a share from 0 to 0.5' }).optional(),
        },
        { error: 'a map (scheme, folds, column, holdout)' },
      )
      .optional(),
    budget: z
      .strictObject(
        {
          time: z.union([z.string(), z.number()], { error: 'a duration such as 2m, 90s or 1h' }).refine((v) => parseDuration(v) !== null, { error: 'a duration such as 2m, 90s or 1h' }).optional(),
          trials: z.number({ error: 'a whole number >= 1' }).int({ error: 'a whole number >= 1' }).min(1, { error: 'a whole number >= 1' }).nullable().optional(),
        },
        { error: 'a map (time, trials)' },
      )
      .optional(),
    seed: z.number({ error: 'a whole number' }).int({ error: 'a whole number' }).optional(),
    families: z
      .strictObject({ include: z.array(z.string(), { error: 'a list of family names' }).optional(), exclude: z.array(z.string(), { error: 'a list of family names' }).optional() }, { error: 'a map (include, exclude)' })
      .optional(),
    costs: z.strictObject({ false_positive: positiveNumber, false_negative: positiveNumber }, { error: 'a map with false_positive and false_negative' }).nullable().optional(),
    text: columnName.optional(),
    recommend: z.strictObject({ user: columnName, item: columnName, rating: columnName.nullable().optional(), time: columnName.nullable().optional() }, { error: 'a map (user, item, rating, time)' }).optional(),
    // step 5 and 6 settings: kept here so the file validates as those steps fill them in
    deploy: z.looseObject({ alias: z.string().optional(), port: z.number().int().optional() }, { error: 'a map of deployment settings' }).nullable().optional(),
    monitor: z
      .looseObject(
        {
          alerts: z.looseObject({ webhook: z.string({ error: 'a URL' }).nullable().optional() }, { error: 'a map (webhook)' }).nullable().optional(),
          drift: z.looseObject({ threshold: z.number().optional(), share: z.number().optional() }, { error: 'a map of drift thresholds' }).nullable().optional(),
          retrain: z.looseObject({ policy: z.string().optional() }, { error: 'a map (policy, …)' }).nullable().optional(),
        },
        { error: 'a map (alerts, drift, retrain)' },
      )
      .nullable()
      .optional(),
  },
  { error: 'a map of project settings' },
);

export type ProjectFile = z.infer<typeof projectSchema>;

/** A validated project, with defaults applied and paths resolved by the loader. */
export interface Project {
  name?: string;
  /** the data source as written, and read options (camelCase, as the data layer's ReadOptions) */
  data: { source: string; options: Record<string, unknown> };
  target?: string;
  task?: ProjectTask;
  positive?: string;
  metric?: MetricName;
  /** column → reason */
  drop: Record<string, string>;
  split: { scheme?: (typeof SPLIT_SCHEMES)[number]; folds: number; column: string | null; holdout: number };
  budget: { seconds: number | null; trials: number | null };
  seed: number;
  families: { include?: string[]; exclude?: string[] };
  costs: { falsePositive: number; falseNegative: number } | null;
  text?: string;
  recommend?: { user: string; item: string; rating?: string | null; time?: string | null };
  deploy?: Record<string, unknown> | null;
  monitor?: Record<string, unknown> | null;
}

export const DEFAULT_FOLDS = 5;
export const DEFAULT_HOLDOUT = 0.1;
export const DEFAULT_SEED = 42;
export const DEFAULT_SECONDS = 120;

/** zod's issues as Kiln issues: the field as a dotted path, what was expected, what was found */
function issuesOf(error: z.ZodError, input: unknown): Issue[] {
  return error.issues.map((i) => {
    const path = i.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    let expected = i.message;
    let received = describeValue((i as { input?: unknown }).input ?? valueAt(input, path));
    if (i.code === 'unrecognized_keys') {
      const keys = (i as { keys: string[] }).keys;
      return { path: [...path, keys[0]], expected: 'a known field', received: keys.map((k) => JSON.stringify(k)).join(', '), message: `${[...path, keys[0]].join('.')}: unknown field (${keys.join(', ')})` };
    }
    if (expected.startsWith('Invalid input: expected ')) expected = expected.replace('Invalid input: expected ', '').replace(/, received .*/, '');
    if ((i as { input?: unknown }).input === undefined && valueAt(input, path) === undefined) received = 'nothing';
    const where = path.length ? path.join('.') : '(top level)';
    return { path, expected, received, message: `${where}: expected ${expected}, found ${received}` };
  });
}

function valueAt(input: unknown, path: readonly (string | number)[]): unknown {
  let v = input;
  for (const p of path) v = v && typeof v === 'object' ? (v as Record<string | number, unknown>)[p] : undefined;
  return v;
}

const READ_OPTION_NAMES: Record<string, string> = { skip_lines: 'skipLines', skip_bad_rows: 'skipBadRows' };

/** Validate parsed YAML and apply defaults; throws one KilnError (E_PROJECT) listing every problem. */
export function parseProject(input: unknown, file = 'kiln.yaml'): Project {
  const parsed = projectSchema.safeParse(input ?? {}, { reportInput: true });
  if (!parsed.success) {
    const issues = issuesOf(parsed.error, input);
    throw new KilnError('E_PROJECT', `${file} is invalid: ${issues[0].message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`, { issues, hint: 'fix the field named above; kiln init writes a valid file' });
  }
  const p = parsed.data;
  const data = typeof p.data === 'string' ? { source: p.data } : p.data;
  const { source, ...rest } = data;
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) if (value !== undefined) options[READ_OPTION_NAMES[key] ?? key] = value;
  const drop: Record<string, string> = {};
  if (Array.isArray(p.drop)) for (const c of p.drop) drop[c] = 'listed in kiln.yaml';
  else for (const [c, why] of Object.entries(p.drop ?? {})) drop[c] = why ?? 'listed in kiln.yaml';
  return {
    name: p.name,
    data: { source, options },
    target: p.target,
    task: p.task,
    positive: p.positive === undefined ? undefined : String(p.positive),
    metric: p.metric as MetricName | undefined,
    drop,
    split: { scheme: p.split?.scheme, folds: p.split?.folds ?? DEFAULT_FOLDS, column: p.split?.column ?? null, holdout: p.split?.holdout ?? DEFAULT_HOLDOUT },
    budget: { seconds: p.budget?.time === undefined ? null : parseDuration(p.budget.time), trials: p.budget?.trials ?? null },
    seed: p.seed ?? DEFAULT_SEED,
    families: { include: p.families?.include, exclude: p.families?.exclude },
    costs: p.costs ? { falsePositive: p.costs.false_positive, falseNegative: p.costs.false_negative } : null,
    text: p.text,
    recommend: p.recommend,
    deploy: p.deploy,
    monitor: p.monitor,
  };
}
