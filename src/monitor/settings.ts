// The `monitor:` section of kiln.yaml, validated (zod) into MonitorSettings with every default applied. The
// project schema (train/project) only declares the section loosely; its fields are checked here, and each
// problem names the field, e.g. `monitor.retrain.margin: expected a number >= 0, found "big"`.
//
// monitor:
//   since: 7d                 current data: the prediction log of the last 7 days (or last: 5000 rows)
//   window: auto              windows over time in the report: auto | <rows> | hour | day | week | month
//   drift:
//     share: 0.5              the dataset drifts when this share of columns drifts (Evidently's default)
//     threshold: 0.1          distance tests (Wasserstein, Jensen–Shannon, PSI) drift at or above this
//     p_value: 0.05           p-value tests (KS, chi-square) drift below this
//     test: null              force one test for every column (ks, chi_square, wasserstein, jensen_shannon, psi)
//     exclude: []             columns not monitored
//     min_rows: 1000          fewer current rows: drift is reported but not alerted on (small-window noise)
//     alert_on: column        column: any drifted column alerts; dataset: only dataset drift (the share)
//   performance:
//     metrics: null           metrics judged (default: the project's metric)
//     max_drop: 0.05          worse than the training-time score by more than this (absolute; relative for errors)
//     min_labelled: 200       fewer labels: judged on the CBPE estimate (binary) or not at all
//   alerts:
//     webhook: null           URL that gets a JSON POST when a check fails
//     on: [drift, performance]
//   retrain:
//     policy: manual          auto: retrain when a check in `on` fails (kiln monitor, kiln serve --monitor-every)
//     on: [drift, performance]
//     min_interval: 24h       at most one automatic retrain per this span
//     window: all             training rows: all | <N>d (latest N days) | <N> (latest N rows)
//     evaluation: 0.2         the most recent labelled rows both models are scored on: a share, or a row count
//     margin: 0.005           the challenger must beat the champion by this (absolute; relative for error metrics)
//     include_project_data: false   also train on the project's original data file
//     time: null / trials: null     the challenger's budget (default: the project's)

import { z } from 'zod';
import { KilnError, describeValue, type Issue } from '../core/errors.js';
import { DRIFT_TESTS, type DriftOptions, type DriftTestName } from './drift-options.js';

export const CHECKS = ['drift', 'performance'] as const;
export type CheckName = (typeof CHECKS)[number];
export type WindowSetting = 'auto' | number | 'hour' | 'day' | 'week' | 'month';

export interface MonitorSettings {
  /** current data from the log: the last `since` ms (null: no time bound) or the last `last` rows */
  readonly since: number | null;
  readonly last: number | null;
  readonly window: WindowSetting;
  readonly drift: {
    readonly share: number;
    readonly threshold: number;
    readonly pValue: number;
    readonly test: DriftTestName | null;
    readonly exclude: readonly string[];
    readonly minRows: number;
    readonly alertOn: 'column' | 'dataset';
  };
  readonly performance: { readonly metrics: readonly string[] | null; readonly maxDrop: number; readonly minLabelled: number };
  readonly alerts: { readonly webhook: string | null; readonly on: readonly CheckName[] };
  readonly retrain: {
    readonly policy: 'manual' | 'auto';
    readonly on: readonly CheckName[];
    /** ms */
    readonly minInterval: number;
    /** 'all', or { days } or { rows } */
    readonly window: 'all' | { readonly days: number } | { readonly rows: number };
    /** a share in (0, 1) or a row count >= 1 */
    readonly evaluation: number;
    readonly margin: number;
    readonly includeProjectData: boolean;
    /** seconds */
    readonly seconds: number | null;
    readonly trials: number | null;
  };
}

const SPAN = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)$/;
const SPAN_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** "7d", "12h", "30m", "90s", "2w", "500ms" → milliseconds; null when not a span */
export function parseSpan(text: string | number): number | null {
  if (typeof text === 'number') return Number.isFinite(text) && text > 0 ? text * 1000 : null;
  const m = SPAN.exec(text.trim().toLowerCase());
  if (!m) return null;
  const ms = Number(m[1]) * SPAN_MS[m[2]];
  return ms > 0 ? ms : null;
}

export function formatSpan(ms: number): string {
  for (const [unit, size] of [['w', SPAN_MS.w], ['d', SPAN_MS.d], ['h', SPAN_MS.h], ['m', SPAN_MS.m], ['s', SPAN_MS.s]] as const)
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

const span = z.union([z.string(), z.number()], { error: 'a span such as 7d, 12h, 30m' }).refine((v) => parseSpan(v) !== null, { error: 'a span such as 7d, 12h, 30m' });
const share = z.number({ error: 'a share in (0, 1]' }).gt(0, { error: 'a share in (0, 1]' }).max(1, { error: 'a share in (0, 1]' });
const count = z.number({ error: 'a whole number >= 1' }).int({ error: 'a whole number >= 1' }).min(1, { error: 'a whole number >= 1' });
const nonNegative = z.number({ error: 'a number >= 0' }).min(0, { error: 'a number >= 0' });
const checks = z.array(z.enum(CHECKS, { error: 'drift or performance' }), { error: 'a list of checks (drift, performance)' });

const monitorSchema = z.strictObject(
  {
    since: span.nullable().optional(),
    last: count.nullable().optional(),
    window: z.union([z.enum(['auto', 'hour', 'day', 'week', 'month']), count], { error: 'auto, a row count, or hour, day, week, month' }).optional(),
    drift: z
      .strictObject(
        {
          share: share.optional(),
          threshold: z.number({ error: 'a number > 0' }).gt(0, { error: 'a number > 0' }).optional(),
          p_value: z.number({ error: 'a p-value in (0, 1)' }).gt(0, { error: 'a p-value in (0, 1)' }).lt(1, { error: 'a p-value in (0, 1)' }).optional(),
          test: z.enum(DRIFT_TESTS, { error: `one of ${DRIFT_TESTS.join(', ')}` }).nullable().optional(),
          exclude: z.array(z.string(), { error: 'a list of column names' }).optional(),
          min_rows: count.optional(),
          alert_on: z.enum(['column', 'dataset'], { error: 'column or dataset' }).optional(),
        },
        { error: 'a map (share, threshold, p_value, test, exclude, min_rows, alert_on)' },
      )
      .nullable()
      .optional(),
    performance: z
      .strictObject(
        { metrics: z.array(z.string(), { error: 'a list of metric names' }).nullable().optional(), max_drop: nonNegative.optional(), min_labelled: count.optional() },
        { error: 'a map (metrics, max_drop, min_labelled)' },
      )
      .nullable()
      .optional(),
    alerts: z
      .strictObject(
        { webhook: z.url({ protocol: /^https?$/, error: 'an http(s) URL' }).nullable().optional(), on: checks.optional() },
        { error: 'a map (webhook, on)' },
      )
      .nullable()
      .optional(),
    retrain: z
      .strictObject(
        {
          policy: z.enum(['manual', 'auto'], { error: 'manual or auto' }).optional(),
          on: checks.optional(),
          min_interval: span.optional(),
          window: z
            .union([z.literal('all'), z.string().regex(/^\d+d$/), count], { error: 'all, <N>d (latest N days) or a row count' })
            .optional(),
          evaluation: z.number({ error: 'a share in (0, 1) or a row count' }).gt(0, { error: 'a share in (0, 1) or a row count' }).refine((v) => v < 1 || Number.isInteger(v), { error: 'a share in (0, 1) or a row count' }).optional(),
          margin: nonNegative.optional(),
          include_project_data: z.boolean({ error: 'true or false' }).optional(),
          time: span.nullable().optional(),
          trials: count.nullable().optional(),
        },
        { error: 'a map (policy, on, min_interval, window, evaluation, margin, include_project_data, time, trials)' },
      )
      .nullable()
      .optional(),
  },
  { error: 'a map (since, last, window, drift, performance, alerts, retrain)' },
);

/** Parse kiln.yaml's `monitor` section (null or absent: every default). */
export function parseMonitorSettings(section: unknown, file = 'kiln.yaml'): MonitorSettings {
  const parsed = monitorSchema.safeParse(section ?? {});
  if (!parsed.success) {
    const issues: Issue[] = parsed.error.issues.map((i) => {
      const path = ['monitor', ...i.path.map(String)];
      const received = i.code === 'unrecognized_keys' ? (i as { keys: string[] }).keys.join(', ') : describeValue(valueAt(section, i.path.map(String)));
      const expected = i.code === 'unrecognized_keys' ? 'a known field' : i.message;
      return { path, expected, received, message: `${path.join('.')}: expected ${expected}, found ${received}` };
    });
    throw new KilnError('E_PROJECT', `${file} is invalid: ${issues[0].message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`, { issues, hint: 'see the monitor settings in kiln.yaml (kiln monitor --help lists them)' });
  }
  const p = parsed.data;
  const r = p.retrain ?? {};
  const window = r.window === undefined || r.window === 'all' ? 'all' : typeof r.window === 'number' ? { rows: r.window } : { days: Number(r.window.slice(0, -1)) };
  return {
    since: p.since === null ? null : parseSpan(p.since ?? '7d'),
    last: p.last ?? null,
    window: p.window ?? 'auto',
    drift: {
      share: p.drift?.share ?? 0.5,
      threshold: p.drift?.threshold ?? 0.1,
      pValue: p.drift?.p_value ?? 0.05,
      test: p.drift?.test ?? null,
      exclude: p.drift?.exclude ?? [],
      minRows: p.drift?.min_rows ?? 1000,
      alertOn: p.drift?.alert_on ?? 'column',
    },
    performance: { metrics: p.performance?.metrics ?? null, maxDrop: p.performance?.max_drop ?? 0.05, minLabelled: p.performance?.min_labelled ?? 200 },
    alerts: { webhook: p.alerts?.webhook ?? null, on: p.alerts?.on ?? [...CHECKS] },
    retrain: {
      policy: r.policy ?? 'manual',
      on: r.on ?? [...CHECKS],
      minInterval: parseSpan(r.min_interval ?? '24h') as number,
      window,
      evaluation: r.evaluation ?? 0.2,
      margin: r.margin ?? 0.005,
      includeProjectData: r.include_project_data ?? false,
      seconds: r.time === undefined || r.time === null ? null : (parseSpan(r.time) as number) / 1000,
      trials: r.trials ?? null,
    },
  };
}

/** The drift options of the statistics layer that these settings stand for. */
export function driftOptionsOf(s: MonitorSettings, features: readonly string[]): Partial<DriftOptions> {
  const t = s.drift.threshold;
  return {
    columns: features.filter((f) => !s.drift.exclude.includes(f)),
    driftShare: s.drift.share,
    test: s.drift.test,
    thresholds: { wasserstein: t, jensen_shannon: t, psi: t, ks: s.drift.pValue, chi_square: s.drift.pValue },
  };
}

function valueAt(input: unknown, path: readonly string[]): unknown {
  let v = input;
  for (const p of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
  return v;
}
