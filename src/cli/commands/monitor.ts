// `kiln monitor churn@champion [--since 7d | --last N | --data new.csv] [--labels labels.csv] [--report monitor.html]
// [--fail-on drift|performance] [--json]`: compare what the model sees now with what it was trained on, and how
// well it does now with how well it did then. Prints a summary, writes an HTML report, POSTs the webhook of
// kiln.yaml (monitor.alerts.webhook) when a check fails, and exits with code 3 when a check named in --fail-on
// fails (for cron and CI; 1 means Kiln itself failed). With monitor.retrain.policy: auto it also retrains.

import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { pc } from '../../core/colors.js';
import { type Db, migrate, openDb, resolveDbTarget } from '../../core/db/index.js';
import { NotFoundError, ValidationError } from '../../core/errors.js';
import { CHECKS, type CheckName, type MonitorSettings, parseMonitorSettings, parseSpan } from '../../monitor/index.js';
import { type LogWindow, MonitorStore, type MonitorRun, type ReferenceChoice, formatMonitorRun, retrainAllowed, runMonitor, writeMonitorReport } from '../../monitor/service/index.js';
import { openRegistry, parseModelRef, type Store } from '../../registry/index.js';
import { SERVE_LAYER, serveMigrations } from '../../serve/index.js';
import { type LoadedProject, loadProject } from '../../train/index.js';
import { action } from '../output.js';
import { printDecision, runRetrain } from './retrain.js';

interface MonitorFlags {
  project?: string;
  since?: string;
  until?: string;
  last?: string;
  allVersions?: boolean;
  data?: string;
  timeColumn?: string;
  labels?: string;
  idColumn?: string;
  labelColumn?: string;
  reference?: string;
  referenceSince?: string;
  referenceUntil?: string;
  window?: string;
  report?: string;
  failOn?: string;
  webhook?: string;
  alert: boolean;
  record: boolean;
  retrain: boolean;
  json?: boolean;
}

/** exit code when a check named in --fail-on failed */
export const EXIT_CHECK_FAILED = 3;

const bad = (flag: string, value: string, expected: string): ValidationError =>
  new ValidationError(`${flag} ${JSON.stringify(value)}: expected ${expected}`, [{ path: [flag], expected, received: JSON.stringify(value) }]);

/** "7d" → now − 7 days; an ISO date or time → that instant; "all" → no bound */
export function parseInstant(text: string, flag: string, now: number): number | undefined {
  if (text === 'all') return undefined;
  const span = parseSpan(text);
  if (span !== null) return now - span;
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw bad(flag, text, 'a span such as 7d, 12h or an ISO date such as 2024-05-01');
  return t;
}

function positiveInt(text: string, flag: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1)) throw bad(flag, text, 'a whole number >= 1');
  return n;
}

export function parseChecks(text: string, flag: string): CheckName[] {
  const names = text.split(',').map((s) => s.trim()).filter(Boolean);
  const out = names.flatMap((n) => (n === 'any' || n === 'all' ? [...CHECKS] : [n]));
  for (const n of out) if (!(CHECKS as readonly string[]).includes(n)) throw bad(flag, text, 'drift, performance, or both (comma-separated)');
  return [...new Set(out)] as CheckName[];
}

/** The project database (SQLite must exist already: a read command does not create .kiln/ anywhere it is run). */
export async function openProjectDb(): Promise<{ db: Db; store: Store }> {
  const { dialect, target } = resolveDbTarget();
  if (dialect === 'sqlite' && target !== ':memory:' && !existsSync(target))
    throw new NotFoundError(`there is no Kiln project database here (${target} does not exist)`, { hint: 'run kiln in the project folder, or set KILN_DATABASE_URL; kiln train registers models' });
  const db = await openDb();
  try {
    // the prediction log and feedback tables, even if no server ever ran here (then the log is just empty)
    await migrate(db, SERVE_LAYER, serveMigrations);
    return { db, store: await openRegistry({ db }) };
  } catch (e) {
    await db.close();
    throw e;
  }
}

/** kiln.yaml when given or present in the working directory, else null. */
export async function optionalProject(file: string | undefined): Promise<LoadedProject | null> {
  if (file !== undefined) return loadProject(file);
  return existsSync('kiln.yaml') ? loadProject('kiln.yaml') : null;
}

function settingsWith(base: MonitorSettings, flags: MonitorFlags): MonitorSettings {
  let window = base.window;
  if (flags.window !== undefined) {
    const w = flags.window;
    if (['auto', 'hour', 'day', 'week', 'month'].includes(w)) window = w as MonitorSettings['window'];
    else window = positiveInt(w, '--window');
  }
  const webhook = flags.webhook !== undefined ? flags.webhook : base.alerts.webhook;
  return { ...base, window, alerts: { ...base.alerts, webhook } };
}

function jsonOf(run: MonitorRun, report: string | null, failOn: readonly CheckName[]): unknown {
  return {
    model: run.version.name,
    version: run.version.version,
    at: run.at,
    reference: { how: run.reference.how, rows: run.reference.reference.sketch.nRows },
    current: { source: run.current.source, rows: run.check.rows, labelled: run.check.performance.labelled },
    checks: run.check.checks,
    failed: run.check.failed,
    failOn,
    alerting: run.check.alerting,
    drift: { share: run.check.drift.share, drifted: run.check.drift.drifted, columns: run.check.drift.columns, prediction: run.check.prediction, missing: run.check.missing.columns },
    performance: { ...run.check.performance, windows: run.check.performance.windows.map((w) => ({ label: w.window.label, labelled: w.nLabelled, metrics: w.metrics, degraded: w.degraded })), estimatedWindows: undefined },
    alert: run.payload ? { delivery: run.delivery } : null,
    checkId: run.checkId,
    report,
  };
}

export function register(program: Command): void {
  program
    .command('monitor')
    .description('check a served model for drift and performance drops: summary, HTML report, webhook, exit code 3 on --fail-on')
    .argument('<model>', 'the model: churn@champion, churn/3 or churn (latest)')
    .option('--project <file>', 'kiln.yaml with the monitor settings (default: ./kiln.yaml when present)')
    .option('--since <when>', 'current data: requests logged since then: 7d, 12h, an ISO date, or all (default: monitor.since, 7d)')
    .option('--until <when>', 'current data: requests logged before then')
    .option('--last <n>', 'current data: the newest N logged rows')
    .option('--all-versions', "current data: rows logged by every version of the model, not only this one's")
    .option('--data <file>', 'current data from a file instead of the prediction log (its target column, if any, gives labels)')
    .option('--time-column <name>', 'with --data: the date/time column that places rows in time windows')
    .option('--labels <file>', 'labels for logged requests, joined by request id; stored as feedback before the check')
    .option('--id-column <name>', 'with --labels: the request id column', 'request_id')
    .option('--label-column <name>', "with --labels: the label column (default: the model's target)")
    .option('--reference <file>', 'compare with this file instead of the training data')
    .option('--reference-since <when>', 'compare with the requests logged from then (a window of the log as reference)')
    .option('--reference-until <when>', 'with --reference-since: until then')
    .option('--window <size>', 'windows over time in the report: auto, a row count, hour, day, week or month')
    .option('--report <file>', 'write the HTML report (distributions, drift and performance over time)')
    .option('--fail-on <checks>', 'exit with code 3 when these checks fail: drift, performance or both (comma-separated)')
    .option('--webhook <url>', 'POST the alert here (default: monitor.alerts.webhook in kiln.yaml)')
    .option('--no-alert', 'do not POST the webhook')
    .option('--no-record', 'do not record this check in the project database')
    .option('--no-retrain', 'do not retrain even if kiln.yaml sets monitor.retrain.policy: auto')
    .option('--json', 'print the result as JSON')
    .action(
      action(async (model: string, flags: MonitorFlags) => {
        parseModelRef(model);
        const now = Date.now();
        const failOn = flags.failOn ? parseChecks(flags.failOn, '--fail-on') : [];
        // --webhook is checked as the kiln.yaml field would be (an http(s) URL)
        if (flags.webhook !== undefined) parseMonitorSettings({ alerts: { webhook: flags.webhook } }, '--webhook');
        const project = await optionalProject(flags.project);
        const settings = settingsWith(parseMonitorSettings(project?.project.monitor, project ? path.basename(project.file) : 'kiln.yaml'), flags);
        const window: LogWindow = {
          since: flags.since !== undefined ? parseInstant(flags.since, '--since', now) : flags.last !== undefined || settings.since === null ? undefined : now - settings.since,
          until: flags.until !== undefined ? parseInstant(flags.until, '--until', now) : undefined,
          last: flags.last !== undefined ? positiveInt(flags.last, '--last') : flags.since === undefined ? (settings.last ?? undefined) : undefined,
        };
        let reference: ReferenceChoice | null = null;
        if (flags.reference) reference = { file: flags.reference };
        else if (flags.referenceSince) reference = { log: { since: parseInstant(flags.referenceSince, '--reference-since', now), until: flags.referenceUntil ? parseInstant(flags.referenceUntil, '--reference-until', now) : undefined } };

        const { db, store } = await openProjectDb();
        const monitorStore = await MonitorStore.open({ db });
        try {
          const version = await store.resolve(model);
          const current = flags.data ? { file: flags.data, timeColumn: flags.timeColumn } : { log: { ...window, version: flags.allVersions ? undefined : version.version } };
          const run = await runMonitor({
            db,
            store,
            monitorStore,
            ref: model,
            settings,
            project,
            current,
            reference,
            labels: flags.labels ? { file: flags.labels, idColumn: flags.idColumn, labelColumn: flags.labelColumn } : null,
            record: flags.record,
            alert: flags.alert,
            report: flags.report ?? null,
            now,
          });
          if (flags.report) await writeMonitorReport(run, flags.report, { history: await monitorStore.listChecks(run.version.name) });
          if (flags.json) process.stdout.write(`${JSON.stringify(jsonOf(run, flags.report ?? null, failOn), null, 2)}\n`);
          else {
            process.stdout.write(`${formatMonitorRun(run)}\n`);
            if (flags.report) process.stdout.write(`report written to ${flags.report}\n`);
          }
          // the automatic policy: retrain when a check it names failed, at most once per min_interval
          const trigger = run.check.failed.find((c) => settings.retrain.on.includes(c));
          if (flags.retrain && settings.retrain.policy === 'auto' && trigger && project) {
            const gate = await retrainAllowed(monitorStore, run.version.name, settings, now);
            const say = (line: string): void => void (flags.json ? process.stderr : process.stdout).write(`${line}\n`);
            if (!gate.allowed) say(`${pc.dim('retrain:')} skipped — the last one was at ${gate.last}; monitor.retrain.min_interval allows the next at ${new Date(gate.next as number).toISOString()}`);
            else {
              say(`retrain: the ${trigger} check failed and monitor.retrain.policy is auto — training a challenger`);
              const result = await runRetrain({ name: run.version.name, project, db, store, monitorStore, settings, trigger, json: flags.json === true });
              if (!flags.json) printDecision(result);
            }
          }
          const failed = run.check.failed.filter((c) => failOn.includes(c));
          if (failed.length) {
            if (!flags.json) process.stderr.write(`${pc.red('failed')} ${failed.join(' and ')} (--fail-on ${failOn.join(',')})\n`);
            process.exitCode = EXIT_CHECK_FAILED;
          }
        } finally {
          await monitorStore.close();
          await store.close();
          await db.close();
        }
      }),
    );
}
