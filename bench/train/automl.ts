// Benchmark suite `automl`:  npm run bench -- automl [--datasets adult,telco_churn] [--time 120] [--seed 42] [--from-source]
// For each tabular shared dataset: kiln init + kiln train on train.csv within the budget (one child process, the
// machine's 2 cores), the winner scored on test.csv; then ../shared/bench/reference.py with all its models on the
// same split, in the same run. Prints, per dataset, Kiln's test metric, the best reference model and its metric,
// and Kiln's wall time against the budget; writes bench/results/automl.json.
//
// Kiln runs as users run it, compiled to JavaScript (esbuild into bench/results/build-automl, git-ignored); under
// tsx each worker thread would first load the TypeScript loader. --from-source runs through tsx anyway.

import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { METRICS, type MetricName } from '../../src/train/metrics/index.js';
import { DATASETS_DIR, SHARED_BENCH_DIR } from '../../test/helpers/shared.js';
import { typescriptSources } from '../typescript-sources.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const DATASETS = ['adult', 'bank_marketing', 'california_housing', 'covertype_kaggle', 'creditcard_fraud', 'telco_churn'];
/** the promise: training ends within budget × (1 + this) */
const TOLERANCE = 0.05;

interface Meta {
  target: string;
  task: string;
  metric: MetricName;
  drop?: string[];
}

interface KilnRun {
  metric: MetricName;
  test: Record<string, number>;
  trainSeconds: number;
  budget: number;
  trials: number;
  winner: string;
  [key: string]: unknown;
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

/** src and the child script as JavaScript (not bundled: worker threads load their kernel modules by path) */
async function compile(): Promise<string> {
  const out = path.join(root, 'bench', 'results', 'build-automl');
  await build({ entryPoints: [...typescriptSources(path.join(root, 'src')), path.join(here, 'automl-child.ts')], outdir: out, outbase: root, format: 'esm', platform: 'node', target: 'node20', bundle: false, logLevel: 'warning' });
  // core/version.ts reads the package's version two folders above src/core
  copyFileSync(path.join(root, 'package.json'), path.join(out, 'package.json'));
  return path.join(out, 'bench', 'train', 'automl-child.js');
}

function runKiln(child: string, dir: string, seconds: number, seed: number): KilnRun & { processSeconds: number } {
  const argv = child.endsWith('.ts') ? [...process.execArgv, child] : [child];
  const started = performance.now();
  const r = spawnSync(process.execPath, [...argv, dir, String(seconds), String(seed)], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`kiln on ${dir} failed:\n${r.stderr}`);
  const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
  if (!line) throw new Error(`kiln on ${dir} printed no result:\n${r.stdout}\n${r.stderr}`);
  return { ...(JSON.parse(line) as KilnRun), processSeconds: (performance.now() - started) / 1000 };
}

function runReference(dir: string, meta: Meta): Record<string, unknown>[] {
  const r = spawnSync(
    '/usr/bin/python3',
    [
      path.join(SHARED_BENCH_DIR, 'reference.py'),
      ...['--train', path.join(dir, 'train.csv'), '--test', path.join(dir, 'test.csv'), '--target', meta.target, '--task', meta.task, '--threads', '2'],
      ...(meta.drop?.length ? ['--drop', meta.drop.join(',')] : []),
    ],
    { encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  if (r.status !== 0) throw new Error(`reference.py failed on ${dir}:\n${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

export async function run(args: string[]): Promise<void> {
  const wanted = option(args, 'datasets')?.split(',') ?? DATASETS;
  const seconds = Number(option(args, 'time') ?? 120);
  const seed = Number(option(args, 'seed') ?? 42);
  const child = args.includes('--from-source') ? path.join(here, 'automl-child.ts') : await compile();
  const rows: Record<string, unknown>[] = [];
  for (const name of wanted) {
    const dir = path.join(DATASETS_DIR, name);
    if (!existsSync(path.join(dir, 'train.csv'))) {
      console.error(`skipping ${name}: no train.csv`);
      continue;
    }
    const meta = JSON.parse(readFileSync(path.join(dir, 'meta.json'), 'utf8')) as Meta;
    process.stderr.write(`${name}: kiln (${seconds}s)… `);
    const kiln = runKiln(child, dir, seconds, seed);
    process.stderr.write('reference… ');
    const reference = runReference(dir, meta);
    process.stderr.write('done\n');
    const metric = meta.metric;
    const higher = METRICS[metric].higherIsBetter;
    const scored = reference.filter((r) => typeof r[metric] === 'number');
    const best = scored.reduce((a, b) => ((higher ? (b[metric] as number) > (a[metric] as number) : (b[metric] as number) < (a[metric] as number)) ? b : a));
    const kilnScore = kiln.test[metric];
    const bestScore = best[metric] as number;
    rows.push({
      dataset: name,
      metric,
      kiln: kilnScore,
      bestReference: best.model,
      bestReferenceScore: bestScore,
      beatsBest: higher ? kilnScore >= bestScore : kilnScore <= bestScore,
      wallSeconds: kiln.trainSeconds,
      budgetSeconds: seconds,
      withinBudget: kiln.trainSeconds <= seconds * (1 + TOLERANCE),
      kilnRun: kiln,
      reference,
    });
  }
  const fmt = (v: unknown, digits = 4): string => (typeof v === 'number' ? (Math.abs(v) >= 1000 ? v.toFixed(1) : v.toFixed(digits)) : String(v ?? '—'));
  const header = ['dataset', 'metric', 'kiln (test)', 'best reference', 'reference', 'Δ (better +)', 'kiln wall', 'budget', 'trials', 'winner'];
  const table = rows.map((r) => {
    const metric = r.metric as MetricName;
    const sign = METRICS[metric].higherIsBetter ? 1 : -1;
    const delta = sign * ((r.kiln as number) - (r.bestReferenceScore as number));
    const k = r.kilnRun as KilnRun;
    return [r.dataset, metric, fmt(r.kiln), String(r.bestReference), fmt(r.bestReferenceScore), `${delta >= 0 ? '+' : ''}${fmt(delta)}${r.beatsBest ? '' : ' ✗'}`, `${fmt(r.wallSeconds, 1)}s${r.withinBudget ? '' : ' ✗'}`, `${r.budgetSeconds}s`, String(k.trials), k.winner.length > 60 ? `${k.winner.slice(0, 59)}…` : k.winner] as string[];
  });
  const widths = header.map((h, j) => Math.max(h.length, ...table.map((t) => t[j].length)));
  const line = (cells: string[]): string => cells.map((c, j) => (j < 2 || j === 3 || j === 9 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  ');
  console.log(line(header));
  for (const t of table) console.log(line(t));
  const beaten = rows.filter((r) => r.beatsBest).length;
  const onTime = rows.filter((r) => r.withinBudget).length;
  console.log(`\nKiln ≥ the best reference on ${beaten} of ${rows.length}; within budget × ${1 + TOLERANCE} on ${onTime} of ${rows.length} (measured on a shared machine)`);
  const out = path.join(root, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'automl.json'), JSON.stringify({ suite: 'automl', date: new Date().toISOString(), budgetSeconds: seconds, seed, note: 'measured on a shared machine', rows }, null, 2));
  console.log('wrote bench/results/automl.json');
}
