// Benchmark suite `gbdt`:  npm run bench -- gbdt [--datasets adult,synthetic_1m] [--from-source]
// For every dataset (the shared binary / multiclass / regression sets and a 1M-row synthetic one, generated into a
// temporary folder when missing), fits Kiln with XGBoost's settings and with Kiln's defaults (each in its own
// process, so peak RSS is per fit), runs reference.py for xgboost_hist and hist_gradient_boosting (one process per
// model, for the same reason), prints one table with ratios against xgboost_hist and writes bench/results/gbdt.json.
//
// Kiln runs as users run it: compiled to JavaScript (src is transpiled with esbuild into bench/results/build, which is
// git-ignored). Under tsx every worker thread would first load the TypeScript loader (about 250 ms a process instead
// of 30 ms); --from-source measures that way anyway.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import { build } from 'esbuild';
import { typescriptSources } from '../typescript-sources.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const shared = process.env.KILN_SHARED_DIR ?? path.resolve(root, '..', 'shared');
const PYTHON = '/usr/bin/python3';
const DATASETS = ['adult', 'california_housing', 'creditcard_fraud', 'telco_churn', 'bank_marketing', 'covertype_kaggle', 'synthetic_1m'];
const REFERENCE_MODELS = ['xgboost_hist', 'hist_gradient_boosting'];

type Row = Record<string, unknown> & { dataset: string; library: string; model: string; task: string };

interface Meta {
  target: string;
  task: string;
  drop?: string[];
}

/** The folder of a dataset; the synthetic one is generated (deterministically) on first use, never committed. */
function datasetDir(name: string): string {
  if (name !== 'synthetic_1m') return path.join(shared, 'datasets', name);
  const dir = path.join(os.tmpdir(), 'kiln-bench', 'synthetic_1m');
  if (!existsSync(path.join(dir, 'test.csv'))) {
    mkdirSync(dir, { recursive: true });
    console.error(`generating the 1M-row synthetic set in ${dir} ...`);
    execFileSync(PYTHON, [path.join(shared, 'bench', 'make_synthetic.py'), '--task', 'binary', '--rows', '1000000', '--cols', '28', '--out', dir], { stdio: 'inherit' });
  }
  return dir;
}

function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Transpile src and the child script to JavaScript (no bundling: worker threads load their modules by path). */
async function compile(): Promise<string> {
  const out = path.join(root, 'bench', 'results', 'build');
  const entryPoints = [...typescriptSources(path.join(root, 'src')), path.join(here, 'gbdt-child.ts'), path.join(here, 'gbdt-settings.ts')];
  await build({ entryPoints, outdir: out, outbase: root, format: 'esm', platform: 'node', target: 'node20', bundle: false, logLevel: 'warning' });
  return path.join(out, 'bench', 'models', 'gbdt-child.js');
}

function runKiln(child: string, dir: string, config: 'xgboost' | 'defaults'): Record<string, unknown> {
  const argv = child.endsWith('.ts') ? [...process.execArgv, child] : [child];
  const r = spawnSync(process.execPath, [...argv, dir, config], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`kiln ${config} on ${dir} failed:\n${r.stderr}`);
  return jsonLines(r.stdout)[0];
}

function runReference(dir: string, meta: Meta, model: string): Record<string, unknown> {
  const args = [
    path.join(shared, 'bench', 'reference.py'),
    '--train', path.join(dir, 'train.csv'),
    '--test', path.join(dir, 'test.csv'),
    '--target', meta.target,
    '--task', meta.task,
    '--models', model,
    '--threads', '2',
  ];
  if (meta.drop?.length) args.push('--drop', meta.drop.join(','));
  const r = spawnSync(PYTHON, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`reference ${model} on ${dir} failed:\n${r.stderr}`);
  return jsonLines(r.stdout)[0];
}

const fmt = (v: unknown, digits = 3): string => (typeof v === 'number' ? v.toFixed(digits) : '');
const ratio = (a: unknown, b: unknown): number | null => (typeof a === 'number' && typeof b === 'number' && b > 0 ? a / b : null);

/** The accuracy target of a task, and whether a row meets it against XGBoost's row. */
function accuracyCheck(task: string, kiln: Row, xgb: Row): { metric: string; ok: boolean; text: string } {
  if (task === 'binary') {
    const d = (kiln.roc_auc as number) - (xgb.roc_auc as number);
    return { metric: 'roc_auc', ok: d >= -0.003, text: `ROC-AUC ${fmt(kiln.roc_auc, 4)} vs ${fmt(xgb.roc_auc, 4)} (Δ ${d >= 0 ? '+' : ''}${d.toFixed(4)}, need ≥ -0.003)` };
  }
  if (task === 'multiclass') {
    const d = (kiln.accuracy as number) - (xgb.accuracy as number);
    return { metric: 'accuracy', ok: d >= -0.005, text: `accuracy ${fmt(kiln.accuracy, 4)} vs ${fmt(xgb.accuracy, 4)} (Δ ${d >= 0 ? '+' : ''}${d.toFixed(4)}, need ≥ -0.005)` };
  }
  const r = (kiln.rmse as number) / (xgb.rmse as number);
  return { metric: 'rmse', ok: r <= 1.02, text: `RMSE ${fmt(kiln.rmse, 1)} vs ${fmt(xgb.rmse, 1)} (×${r.toFixed(3)}, need ≤ 1.02)` };
}

export async function run(args: string[]): Promise<void> {
  let names = DATASETS;
  const at = args.indexOf('--datasets');
  if (at >= 0 && args[at + 1]) names = args[at + 1].split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !DATASETS.includes(n));
  if (unknown.length) throw new Error(`unknown dataset(s) ${unknown.join(', ')}; known: ${DATASETS.join(', ')}`);

  const fromSource = args.includes('--from-source');
  const child = fromSource ? path.join(here, 'gbdt-child.ts') : await compile();
  const rows: Row[] = [];
  const checks: { dataset: string; target: string; ok: boolean; text: string }[] = [];
  for (const name of names) {
    const dir = datasetDir(name);
    const meta = JSON.parse(readFileSync(path.join(dir, 'meta.json'), 'utf8')) as Meta;
    console.error(`${name}: kiln (xgboost settings, defaults), reference (${REFERENCE_MODELS.join(', ')}) ...`);
    const found: Row[] = [];
    for (const config of ['xgboost', 'defaults'] as const) found.push({ dataset: name, ...runKiln(child, dir, config) } as Row);
    for (const model of REFERENCE_MODELS) found.push({ dataset: name, ...runReference(dir, meta, model) } as Row);
    const xgb = found.find((r) => r.model === 'xgboost_hist')!;
    for (const r of found) {
      r.ratios = { fit_s: ratio(r.fit_s, xgb.fit_s), predict_s: ratio(r.predict_s, xgb.predict_s), peak_rss_mb: ratio(r.peak_rss_mb, xgb.peak_rss_mb) };
      rows.push(r);
    }
    const kiln = found[0];
    const acc = accuracyCheck(meta.task, kiln, xgb);
    checks.push({ dataset: name, target: 'accuracy', ok: acc.ok, text: acc.text });
    const fitRatio = ratio(kiln.fit_s, xgb.fit_s)!;
    checks.push({ dataset: name, target: 'fit time', ok: fitRatio <= 1, text: `${fmt(kiln.fit_s)} s vs ${fmt(xgb.fit_s)} s (×${fitRatio.toFixed(2)})` });
    const predictRatio = ratio(kiln.predict_s, xgb.predict_s)!;
    checks.push({ dataset: name, target: 'batch predict', ok: predictRatio <= 1, text: `${fmt(kiln.predict_s, 4)} s vs ${fmt(xgb.predict_s, 4)} s (×${predictRatio.toFixed(2)})` });
    const us = (kiln.single_row_ms as number) * 1000;
    checks.push({ dataset: name, target: 'single row < 20 µs', ok: us < 20, text: `${us.toFixed(1)} µs (xgboost via Python: ${fmt(xgb.single_row_ms)} ms)` });
    if (name === 'synthetic_1m') {
      const rss = ratio(kiln.peak_rss_mb, xgb.peak_rss_mb)!;
      checks.push({ dataset: name, target: 'peak memory', ok: rss <= 1, text: `${fmt(kiln.peak_rss_mb, 0)} MB vs ${fmt(xgb.peak_rss_mb, 0)} MB (×${rss.toFixed(2)})` });
    }
  }

  const table = new Table({
    head: ['dataset', 'library', 'model', 'fit s', '×xgb', 'predict s', '×xgb', '1 row ms', 'RSS MB', '×xgb', 'roc_auc', 'pr_auc', 'log_loss', 'accuracy', 'f1_macro', 'rmse', 'mae', 'r2'],
  });
  for (const r of rows) {
    const q = r.ratios as Record<string, number | null>;
    table.push([
      r.dataset, r.library, r.model, fmt(r.fit_s), fmt(q.fit_s, 2), fmt(r.predict_s, 4), fmt(q.predict_s, 2), fmt(r.single_row_ms, 4),
      fmt(r.peak_rss_mb, 0), fmt(q.peak_rss_mb, 2), fmt(r.roc_auc, 4), fmt(r.pr_auc, 4), fmt(r.log_loss, 4), fmt(r.accuracy, 4),
      fmt(r.f1_macro, 4), fmt(r.rmse, 1), fmt(r.mae, 1), fmt(r.r2, 4),
    ]);
  }
  console.log(table.toString());
  console.log('\nTargets (Kiln with XGBoost settings vs xgboost_hist):');
  for (const c of checks) console.log(`  ${c.ok ? 'PASS' : 'MISS'}  ${c.dataset.padEnd(20)} ${c.target.padEnd(20)} ${c.text}`);
  console.log('\nKiln profile, XGBoost settings (main-thread wall ms; CPU ms summed over threads):');
  for (const r of rows.filter((x) => x.model === 'gbdt_xgboost_settings')) {
    const p = r.profile as { wallMs: Record<string, number>; cpuMs: Record<string, number>; threads: number } | null;
    if (!p) continue;
    const w = Object.entries(p.wallMs).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ');
    const c = Object.entries(p.cpuMs).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ');
    console.log(`  ${r.dataset.padEnd(20)} threads ${p.threads}; wall: ${w}; cpu: ${c}`);
  }

  const out = path.join(root, 'bench', 'results', 'gbdt.json');
  mkdirSync(path.dirname(out), { recursive: true });
  const machine = {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model,
    node: process.version,
    loadavg: os.loadavg(),
    kiln: fromSource ? 'TypeScript source through tsx' : 'transpiled to JavaScript',
    note: 'measured on a shared machine',
  };
  writeFileSync(out, `${JSON.stringify({ suite: 'gbdt', date: new Date().toISOString(), machine, rows, targets: checks }, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
}
