// npm run bench -- ingest [--repeat 3] [--only train.csv]
// Reads CSV files into a Frame with Kiln and into a DataFrame with pandas.read_csv (../shared/bench/
// reference_ingest.py), each read in a fresh process so peak RSS is per file, alternating the two so machine
// noise hits both alike. Files: the 1M-row synthetic set from make_synthetic.py (800k-row train.csv and
// 200k-row test.csv, generated into a temp folder when missing) and every shared dataset's train.csv.
// Prints seconds, rows/s and peak RSS with the ratios, and writes bench/results/ingest.json.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SHARED_DIR } from '../../test/helpers/shared.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHARED = SHARED_DIR;
const PYTHON = '/usr/bin/python3';
const SYNTHETIC_ROWS = 1_000_000;
const SYNTHETIC_DIR = path.join(os.tmpdir(), 'kiln-bench', `synthetic-binary-${SYNTHETIC_ROWS}`);
const TSX = import.meta.resolve('tsx');
const CHILD = fileURLToPath(new URL('./ingest-child.ts', import.meta.url));

interface Measure {
  library: string;
  file: string;
  rows: number;
  cols: number;
  read_s: number;
  peak_rss_mb: number;
  phases?: Record<string, number>;
}

interface Target {
  label: string;
  path: string;
}

function ensureSynthetic(): void {
  if (existsSync(path.join(SYNTHETIC_DIR, 'train.csv')) && existsSync(path.join(SYNTHETIC_DIR, 'test.csv'))) return;
  console.log(`generating ${SYNTHETIC_ROWS.toLocaleString('en-US')} synthetic rows into ${SYNTHETIC_DIR} …`);
  mkdirSync(SYNTHETIC_DIR, { recursive: true });
  const r = spawnSync(PYTHON, [path.join(SHARED, 'bench/make_synthetic.py'), '--task', 'binary', '--rows', String(SYNTHETIC_ROWS), '--out', SYNTHETIC_DIR], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('make_synthetic.py failed');
}

function targets(only: string | undefined): Target[] {
  const list: Target[] = [
    { label: `synthetic/train.csv`, path: path.join(SYNTHETIC_DIR, 'train.csv') },
    { label: `synthetic/test.csv`, path: path.join(SYNTHETIC_DIR, 'test.csv') },
  ];
  const datasets = path.join(SHARED, 'datasets');
  for (const name of readdirSync(datasets).sort()) {
    const file = path.join(datasets, name, 'train.csv');
    if (existsSync(file)) list.push({ label: `${name}/train.csv`, path: file });
  }
  return only ? list.filter((t) => t.label.includes(only)) : list;
}

function runJson(command: string, args: string[]): Promise<Measure> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) reject(new Error(`${path.basename(command)} ${args.join(' ')} failed (${code}): ${err.trim()}`));
      else resolve(JSON.parse(line) as Measure);
    });
  });
}

const kiln = (file: string) => runJson(process.execPath, ['--import', TSX, CHILD, file]);
const pandas = (file: string) => runJson(PYTHON, [path.join(SHARED, 'bench/reference_ingest.py'), file]);

function median(runs: Measure[]): Measure {
  const sorted = [...runs].sort((a, b) => a.read_s - b.read_s);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

const fmt = (v: number, digits = 2) => v.toFixed(digits);
const rate = (m: Measure) => `${Math.round(m.rows / m.read_s).toLocaleString('en-US')}`;

export async function run(args: string[]): Promise<void> {
  const flag = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const repeat = Math.max(1, Math.floor(Number(flag('--repeat') ?? 3)) || 3);
  const only = flag('--only');
  ensureSynthetic();
  const rows: (Measure & { runs: number })[] = [];
  const table: string[][] = [];
  for (const t of targets(only)) {
    const k: Measure[] = [];
    const p: Measure[] = [];
    for (let r = 0; r < repeat; r++) {
      k.push(await kiln(t.path));
      p.push(await pandas(t.path));
    }
    const km = median(k);
    const pm = median(p);
    if (km.rows !== pm.rows || km.cols !== pm.cols) throw new Error(`${t.label}: Kiln read ${km.rows}×${km.cols}, pandas ${pm.rows}×${pm.cols}`);
    rows.push({ ...km, file: t.label, runs: repeat }, { ...pm, file: t.label, runs: repeat });
    table.push([
      t.label,
      km.rows.toLocaleString('en-US'),
      String(km.cols),
      fmt(km.read_s),
      fmt(pm.read_s),
      `${fmt(pm.read_s / km.read_s)}×`,
      rate(km),
      rate(pm),
      fmt(km.peak_rss_mb, 0),
      fmt(pm.peak_rss_mb, 0),
      fmt(km.peak_rss_mb / pm.peak_rss_mb),
      km.phases ? `${fmt(km.phases.sniff)}/${fmt(km.phases.parse)}/${fmt(km.phases.infer)}` : '',
    ]);
    console.log(`${t.label}: kiln ${fmt(km.read_s)} s (${k.map((m) => fmt(m.read_s)).join(', ')}), pandas ${fmt(pm.read_s)} s (${p.map((m) => fmt(m.read_s)).join(', ')})`);
  }
  const header = ['file', 'rows', 'cols', 'kiln s', 'pandas s', 'speed-up', 'kiln rows/s', 'pandas rows/s', 'kiln MB', 'pandas MB', 'MB ratio', 'kiln sniff/parse/infer s'];
  const widths = header.map((h, j) => Math.max(h.length, ...table.map((r) => r[j].length)));
  console.log(`\ningest: median of ${repeat} fresh-process reads each; peak RSS per process (${os.cpus().length} cpus, node ${process.version})`);
  console.log(header.map((h, j) => h.padStart(widths[j])).join('  '));
  for (const r of table) console.log(r.map((v, j) => (j === 0 ? v.padEnd(widths[j]) : v.padStart(widths[j]))).join('  '));
  const outDir = path.join(ROOT, 'bench/results');
  mkdirSync(outDir, { recursive: true });
  const out = path.join(outDir, 'ingest.json');
  writeFileSync(
    out,
    `${JSON.stringify({ suite: 'ingest', date: new Date().toISOString(), machine: { cpus: os.cpus().length, node: process.version, platform: process.platform }, repeat, rows }, null, 2)}\n`,
  );
  console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
}
