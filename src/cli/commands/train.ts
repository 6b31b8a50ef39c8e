// `kiln train [kiln.yaml] [--time 2m] [--seed 42] [--trials N] [--report report.html]`: train and tune within the
// budget with a live progress line, print the leaderboard, record the run, and register the winner in the model
// registry with its lineage. Alias policy: the first model of a name becomes `champion` (something must serve);
// later ones become `candidate`, never replacing a champion on their own (`kiln promote` does that).

import path from 'node:path';
import type { Command } from 'commander';
import Table from 'cli-table3';
import { pc } from '../../core/colors.js';
import type { Json } from '../../core/artifact.js';
import { NotFoundError, ParamError } from '../../core/errors.js';
import { KILN_VERSION } from '../../core/version.js';
import { saveMonitoringReference } from '../../monitor/service/index.js';
import { openRegistry } from '../../registry/index.js';
import { formatDuration, loadProject, parseDuration, RunStore, train, type LeaderboardRow, type TrainProgress, type TrainResult, writeTrainReport } from '../../train/index.js';
import { action } from '../output.js';

interface TrainFlags {
  time?: string;
  seed?: string;
  trials?: string;
  report?: string;
  register: boolean;
  json?: boolean;
}

const print = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

function numberFlag(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new ParamError([{ path: [flag], expected: `a whole number >= ${min}`, received: JSON.stringify(value), message: `${flag} ${value}: expected a whole number >= ${min}` }]);
  return n;
}

/** the live display: one rewritten line on a terminal, a plain line per event otherwise */
function progressPrinter(json: boolean): { update: (p: TrainProgress) => void; end: () => void } {
  const tty = process.stderr.isTTY === true && !json;
  let last = '';
  let lastBest = '';
  let lastPhase = '';
  return {
    update(p) {
      const clock = `${formatDuration(p.elapsed)}${p.budget !== null ? ` / ${formatDuration(p.budget)}` : ''}`;
      const best = p.best ? `best ${p.best.name} ${p.metric} ${p.best.score.toFixed(4)}` : 'no model yet';
      if (tty) {
        const line = `[${clock}] ${p.phase} · ${p.trials} trials · ${best}${p.current ? ` · fitting ${p.current}` : ''}`;
        const width = process.stderr.columns ?? 120;
        last = line.length > width - 1 ? `${line.slice(0, width - 2)}…` : line;
        process.stderr.write(`\r\x1b[2K${last}`);
        return;
      }
      if (json) return;
      if (p.phase !== lastPhase || (p.best && best !== lastBest)) {
        process.stderr.write(`[${clock}] ${p.phase}: ${p.trials} trials, ${best}\n`);
        lastPhase = p.phase;
        lastBest = best;
      }
    },
    end() {
      if (tty && last) process.stderr.write('\r\x1b[2K');
    },
  };
}

const fmt = (v: number | null, digits = 4): string => (v === null || !Number.isFinite(v) ? '—' : v.toFixed(digits));

export function leaderboardTable(rows: readonly LeaderboardRow[], metric: string, limit = 10): string {
  const table = new Table({ head: ['#', 'model', `CV ${metric} ± std`, 'holdout', 'fit s', 'predict ms/row'], style: { head: [], border: [] } });
  const final = rows.filter((r) => r.kind === 'final');
  const ranked = rows.filter((r) => r.kind === 'candidate' && r.rank !== null).slice(0, limit);
  const baseline = rows.filter((r) => r.kind === 'baseline');
  for (const r of [...final, ...ranked, ...baseline]) {
    const name = r.kind === 'final' ? `${r.name}${r.status === 'bagged' ? ' (fold models)' : ''}` : r.name;
    table.push([r.rank === 0 ? '★' : (r.rank ?? ''), name, `${fmt(r.cv)}${r.cvStd !== null ? ` ± ${fmt(r.cvStd)}` : ''}`, fmt(r.holdout), fmt(r.fitSeconds, 2), fmt(r.predictMsPerRow, 4)]);
  }
  return table.toString();
}

function summary(result: TrainResult): string[] {
  const rows = result.leaderboard.filter((r) => r.kind === 'candidate');
  const count = (status: string): number => rows.filter((r) => r.status === status).length;
  const lines: string[] = [];
  const stopped = [count('pruned') && `${count('pruned')} stopped after one fold`, count('over-budget') && `${count('over-budget')} did not fit the time left`, count('failed') && `${count('failed')} failed`].filter(Boolean);
  lines.push(`${result.trials} configurations tried (${count('complete')} cross-validated${stopped.length ? `, ${stopped.join(', ')}` : ''}); families: ${result.families.used.join(', ')}`);
  const f = result.final;
  lines.push(`final model: ${f.members.map((m) => `${m.name}${f.members.length > 1 ? ` ×${m.weight.toFixed(2)}` : ''}`).join(' + ')}, ${f.fit === 'refit' ? 'refitted on all rows' : 'fold models averaged'}`);
  if (f.calibration) lines.push(`calibration: ${f.calibration.method} (log-loss ${Object.entries(f.calibration.logLoss).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ')})`);
  if (f.threshold) lines.push(`decision threshold: ${f.threshold.threshold === null ? 'likeliest class' : f.threshold.threshold.toFixed(4)} — ${f.threshold.reason}`);
  const show = (m: Partial<Record<string, number>>): string => Object.entries(m).map(([k, v]) => `${k} ${fmt(v ?? null)}`).join(', ');
  lines.push(`cross-validation: ${show(result.metrics.cv)}`);
  if (result.metrics.holdout) lines.push(`holdout:          ${show(result.metrics.holdout)}`);
  for (const note of [...result.settings.inferred, ...f.notes]) lines.push(pc.dim(`note: ${note}`));
  return lines;
}

/** register the winner under the project's name; first of its name → champion, later → candidate */
async function registerWinner(result: TrainResult, projectDir: string, source: string): Promise<{ ref: string; alias: string; location: string }> {
  const store = await openRegistry({ projectDir });
  try {
    const name = result.settings.name;
    let hasChampion = false;
    try {
      hasChampion = (await store.getModel(name)).aliases.champion !== undefined;
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
    }
    const alias = hasChampion ? 'candidate' : 'champion';
    const m = result.settings.metric;
    const metrics: { [k: string]: Json } = { [m]: result.metrics.cv[m] ?? null };
    if (result.metrics.holdout) metrics[`holdout_${m}`] = result.metrics.holdout[m] ?? null;
    for (const [k, v] of Object.entries(result.metrics.cv)) if (k !== m && v !== undefined) metrics[k] = v;
    const version = await store.register({
      name,
      artifact: result.artifact,
      description: `kiln train run ${result.runId}`,
      lineage: {
        runId: result.runId,
        dataFingerprint: { sha256: result.fingerprint.sha256, rows: result.fingerprint.rows, columns: result.fingerprint.columns.map((c) => ({ ...c })) },
        metrics,
        params: { members: result.final.members.map((x) => ({ name: x.name, family: x.family, weight: x.weight, params: x.params })), calibration: result.final.calibration?.method ?? null, threshold: result.final.threshold?.threshold ?? null, kilnVersion: KILN_VERSION },
      },
      aliases: [alias],
    });
    // the sketch monitoring compares live traffic with, kept with the version: no need for the training file later
    await saveMonitoringReference({ projectDir }, version.name, version.version, result.raw, result.pipeline, `training data ${source} (sha256 ${result.fingerprint.sha256.slice(0, 12)}…)`);
    return { ref: `${version.name}/${version.version}`, alias, location: store.location };
  } finally {
    await store.close();
  }
}

export function register(program: Command): void {
  program
    .command('train')
    .description('train and tune models within a time budget, print the leaderboard, record the run, register the winner')
    .argument('[project]', 'the project file', 'kiln.yaml')
    .option('--time <duration>', 'time budget, e.g. 2m, 90s, 1h (default: kiln.yaml budget.time, else 2m)')
    .option('--seed <n>', 'random seed (default: kiln.yaml seed, else 42)')
    .option('--trials <n>', 'stop after this many configurations instead of a time budget: an exactly reproducible run')
    .option('--report <file>', 'also write an HTML report (leaderboard, curves, confusion matrix, importance, calibration)')
    .option('--no-register', 'do not register the winner in the model registry')
    .option('--json', 'print the result as JSON')
    .action(
      action(async (file: string, flags: TrainFlags) => {
        const seconds = flags.time === undefined ? undefined : (parseDuration(flags.time) ?? undefined);
        if (flags.time !== undefined && seconds === undefined)
          throw new ParamError([{ path: ['--time'], expected: 'a duration such as 2m, 90s or 1h', received: JSON.stringify(flags.time), message: `--time ${flags.time}: expected a duration such as 2m, 90s or 1h` }]);
        const overrides = { seconds, seed: numberFlag('--seed', flags.seed, 0), trials: numberFlag('--trials', flags.trials, 1) };
        const loaded = await loadProject(file);
        const controller = new AbortController();
        const onSignal = (): void => {
          if (controller.signal.aborted) process.exit(130);
          process.stderr.write('\nstopping… (Ctrl-C again to quit at once)\n');
          controller.abort(new Error('training was cancelled'));
        };
        process.on('SIGINT', onSignal);
        const progress = progressPrinter(flags.json === true);
        const store = await RunStore.open({ projectDir: loaded.dir });
        let result: TrainResult;
        try {
          result = await train({ project: loaded, overrides, signal: controller.signal, onProgress: progress.update, store });
          progress.end();
          let registered: Awaited<ReturnType<typeof registerWinner>> | null = null;
          if (flags.register) {
            registered = await registerWinner(result, loaded.dir, loaded.project.data.source);
            await store.setRegistryRef(result.runId, registered.ref);
          }
          if (flags.report) await writeTrainReport(result, flags.report);
          if (flags.json) {
            print(JSON.stringify({ runId: result.runId, durationSeconds: result.durationSeconds, settings: { ...result.settings }, metrics: result.metrics, leaderboard: result.leaderboard, registered, report: flags.report ?? null }, null, 2));
            return;
          }
          const budget = result.settings.seconds === null ? `${result.trials} trials, no time limit` : `budget ${formatDuration(result.settings.seconds)}`;
          print(`run ${result.runId}: ${result.settings.task} on ${result.settings.target}, ${result.data.y.length.toLocaleString('en-US')} rows searched${result.data.holdout ? ` + ${result.data.holdout.y.length.toLocaleString('en-US')} holdout` : ''}, ${formatDuration(result.durationSeconds)} (${budget})`);
          print(leaderboardTable(result.leaderboard, result.settings.metric));
          for (const line of summary(result)) print(line);
          if (registered) print(`registered ${registered.ref} as ${registered.alias}${registered.alias === 'candidate' ? ' (a champion exists: kiln promote ' + registered.ref + ' --alias champion to serve this one)' : ''}`);
          if (flags.report) print(`report written to ${path.relative(process.cwd(), path.resolve(flags.report)) || flags.report}`);
        } finally {
          progress.end();
          process.off('SIGINT', onSignal);
          await store.close();
        }
      }),
    );
}
