// `kiln retrain churn [--data new.csv]`: train a challenger with the project's settings on the newest labelled rows
// (the file, or the logged requests with feedback), score champion and challenger on the same most recent rows,
// promote the challenger only if it is better by monitor.retrain.margin, else register it as `challenger` — and
// say why, with the numbers (also recorded; `kiln retrain churn --history` lists the decisions). `kiln rollback
// churn --alias champion` undoes a promotion; a running `kiln serve` picks up the new champion by itself.

import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Command } from 'commander';
import Table from 'cli-table3';
import { pc } from '../../core/colors.js';
import type { Db } from '../../core/db/index.js';
import { ValidationError } from '../../core/errors.js';
import { type CheckName, type MonitorSettings, parseMonitorSettings } from '../../monitor/index.js';
import { MonitorStore, type RetrainResult, type RetrainTrigger, retrain } from '../../monitor/service/index.js';
import { validateModelName, type Store } from '../../registry/index.js';
import { formatDuration, type LoadedProject, loadProject, parseDuration } from '../../train/index.js';
import { action } from '../output.js';
import { openProjectDb } from './monitor.js';

interface RetrainFlags {
  project: string;
  data?: string;
  timeColumn?: string;
  time?: string;
  trials?: string;
  seed?: string;
  margin?: string;
  window?: string;
  evaluation?: string;
  trigger: string;
  history?: boolean;
  json?: boolean;
}

const TRIGGERS = ['manual', 'drift', 'performance'] as const;
const bad = (flag: string, value: string, expected: string): ValidationError =>
  new ValidationError(`${flag} ${JSON.stringify(value)}: expected ${expected}`, [{ path: [flag], expected, received: JSON.stringify(value) }]);

const fmt = (v: number | null | undefined): string => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(4));

/** Retrain with a progress line on stderr (what `kiln retrain` and `kiln monitor`'s automatic policy run). */
export async function runRetrain(args: {
  name: string;
  project: LoadedProject;
  db: Db;
  store: Store;
  monitorStore: MonitorStore;
  settings: MonitorSettings;
  trigger: RetrainTrigger;
  data?: string;
  timeColumn?: string;
  overrides?: { seconds?: number; trials?: number; seed?: number };
  json: boolean;
}): Promise<RetrainResult> {
  let lastPhase = '';
  return retrain({
    ...args,
    onProgress: (p) => {
      if (args.json || p.phase === lastPhase) return;
      lastPhase = p.phase;
      process.stderr.write(`[${formatDuration(p.elapsed)}] challenger: ${p.phase}${p.trials ? `, ${p.trials} trials` : ''}\n`);
    },
  });
}

export function printDecision(result: RetrainResult): void {
  const d = result.decision;
  const out = (line = ''): void => void process.stdout.write(`${line}\n`);
  out(`retrained ${d.modelName} from ${result.data.source}: ${result.data.trainingRows.toLocaleString('en-US')} rows to train on, the ${result.data.evaluationRows.toLocaleString('en-US')} most recent labelled rows to compare on`);
  const table = new Table({ head: ['', 'version', d.metric, 'other metrics'], style: { head: [], border: [], compact: true } });
  const others = (m: Record<string, number> | undefined): string =>
    Object.entries(m ?? {})
      .filter(([k]) => k !== d.metric)
      .map(([k, v]) => `${k} ${fmt(v)}`)
      .join(', ');
  if (result.champion) table.push(['champion', `${d.modelName}/${d.championVersion}`, fmt(d.championScore), others(result.evaluation.champion?.metrics as Record<string, number>)]);
  table.push(['challenger', `${d.modelName}/${d.challengerVersion}`, fmt(d.challengerScore), others(result.evaluation.challenger.metrics as Record<string, number>)]);
  out(table.toString());
  out(`${d.promoted ? pc.green('promoted') : pc.yellow('not promoted')}: ${d.reason}`);
  out(d.promoted ? `${d.modelName}@champion → version ${d.challengerVersion} (undo: kiln rollback ${d.modelName} --alias champion)` : `${d.modelName}@challenger → version ${d.challengerVersion} (promote anyway: kiln promote ${d.modelName}/${d.challengerVersion} champion)`);
  out(pc.dim(`decision #${d.id} recorded; training run ${result.run.runId}`));
}

/**
 * Start `kiln retrain` as a child process of this one (the same Node, loader flags and CLI entry): how the
 * server's schedule retrains without stalling requests. Resolves when it ends; its output goes to our stderr.
 */
export function spawnRetrain(name: string, trigger: CheckName, projectFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1], 'retrain', name, '--project', projectFile, '--trigger', trigger], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`kiln retrain exited with code ${code}`))));
  });
}

function overridesOf(flags: RetrainFlags): { seconds?: number; trials?: number; seed?: number } {
  const out: { seconds?: number; trials?: number; seed?: number } = {};
  if (flags.time !== undefined) {
    const s = parseDuration(flags.time);
    if (s === null) throw bad('--time', flags.time, 'a duration such as 2m, 90s or 1h');
    out.seconds = s;
  }
  for (const [flag, key, value] of [['--trials', 'trials', flags.trials], ['--seed', 'seed', flags.seed]] as const) {
    if (value === undefined) continue;
    const n = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!(n >= (key === 'seed' ? 0 : 1))) throw bad(flag, value, 'a whole number');
    out[key] = n;
  }
  return out;
}

/** kiln.yaml's retrain settings with the command line's changes, validated like the file. */
function settingsOf(project: LoadedProject, flags: RetrainFlags): MonitorSettings {
  const section = { ...((project.project.monitor ?? {}) as Record<string, unknown>) };
  const retrainSection = { ...((section.retrain ?? {}) as Record<string, unknown>) };
  if (flags.margin !== undefined) retrainSection.margin = Number(flags.margin);
  if (flags.window !== undefined) retrainSection.window = /^\d+$/.test(flags.window) ? Number(flags.window) : flags.window;
  if (flags.evaluation !== undefined) retrainSection.evaluation = Number(flags.evaluation);
  return parseMonitorSettings({ ...section, retrain: retrainSection }, path.basename(project.file));
}

async function printHistory(monitorStore: MonitorStore, name: string, json: boolean): Promise<void> {
  const decisions = await monitorStore.listDecisions(name);
  if (json) {
    process.stdout.write(`${JSON.stringify(decisions, null, 2)}\n`);
    return;
  }
  if (!decisions.length) {
    process.stdout.write(`no retrain decisions recorded for ${name}\n`);
    return;
  }
  const table = new Table({ head: ['#', 'at', 'trigger', 'champion', 'challenger', 'metric', 'champion', 'challenger', 'verdict'], style: { head: [], border: [], compact: true } });
  for (const d of decisions)
    table.push([d.id, d.at.replace('T', ' ').slice(0, 19), d.trigger, d.championVersion ?? '—', d.challengerVersion, d.metric, fmt(d.championScore), fmt(d.challengerScore), d.promoted ? 'promoted' : 'kept champion']);
  process.stdout.write(`${table.toString()}\n`);
}

export function register(program: Command): void {
  program
    .command('retrain')
    .description('train a challenger on the newest labelled rows and promote it only if it beats the champion by the margin')
    .argument('<model>', 'the model name')
    .option('--project <file>', 'the project file (its settings train the challenger)', 'kiln.yaml')
    .option('--data <file>', 'labelled rows to retrain on (default: the logged requests that have feedback)')
    .option('--time-column <name>', "with --data: the column that orders rows in time (default: the file's row order)")
    .option('--time <duration>', "the challenger's time budget (default: monitor.retrain.time, else the project's budget)")
    .option('--trials <n>', 'stop after this many configurations (a reproducible run)')
    .option('--seed <n>', 'random seed')
    .option('--margin <x>', 'how much better the challenger must be (default monitor.retrain.margin, 0.005)')
    .option('--window <w>', 'training rows: all, <N>d (latest N days) or a row count (default monitor.retrain.window)')
    .option('--evaluation <x>', 'the most recent rows both models are scored on: a share (0.2) or a row count')
    .option('--trigger <why>', 'recorded with the decision: manual, drift or performance', 'manual')
    .option('--history', 'list the recorded retrain decisions instead of retraining')
    .option('--json', 'print the decision as JSON')
    .action(
      action(async (name: string, flags: RetrainFlags) => {
        validateModelName(name);
        if (!(TRIGGERS as readonly string[]).includes(flags.trigger)) throw bad('--trigger', flags.trigger, TRIGGERS.join(', '));
        const { db, store } = await openProjectDb();
        const monitorStore = await MonitorStore.open({ db });
        try {
          if (flags.history) return await printHistory(monitorStore, name, flags.json === true);
          const project = await loadProject(flags.project);
          const settings = settingsOf(project, flags);
          const result = await runRetrain({ name, project, db, store, monitorStore, settings, trigger: flags.trigger as RetrainTrigger, data: flags.data, timeColumn: flags.timeColumn, overrides: overridesOf(flags), json: flags.json === true });
          if (flags.json) process.stdout.write(`${JSON.stringify({ decision: result.decision, data: result.data, evaluation: result.evaluation }, null, 2)}\n`);
          else printDecision(result);
        } finally {
          await monitorStore.close();
          await store.close();
          await db.close();
        }
      }),
    );
}
