// `kiln runs [run] [other]`: the training runs of this project, newest first; one run's leaderboard and result;
// or two runs side by side (settings, data, metrics, winner). --json for scripts.

import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import Table from 'cli-table3';
import type { Json } from '../../core/artifact.js';
import { resolveDbTarget } from '../../core/db/index.js';
import { NotFoundError } from '../../core/errors.js';
import { formatDuration, type LeaderboardRow, type RunRecord, RunStore } from '../../train/index.js';
import { action } from '../output.js';
import { leaderboardTable } from './train.js';

interface RunsFlags {
  json?: boolean;
  limit: string;
}

const print = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

type Result = { winner?: { members?: { name: string; weight: number }[] }; metrics?: { cv?: Record<string, number>; holdout?: Record<string, number> | null }; notes?: string[] };

const result = (r: RunRecord): Result => (r.result ?? {}) as Result;
const fmt = (v: number | undefined | null): string => (v === undefined || v === null || !Number.isFinite(v) ? '—' : v.toFixed(4));

async function openStore(): Promise<RunStore> {
  const { dialect, target } = resolveDbTarget();
  if (dialect === 'sqlite' && target !== ':memory:' && !existsSync(target))
    throw new NotFoundError(`no runs here (${target} does not exist)`, { hint: 'run kiln in the project folder, or set KILN_DATABASE_URL; kiln train records runs' });
  return RunStore.open();
}

function listTable(runs: readonly RunRecord[]): string {
  const t = new Table({ head: ['run', 'name', 'started (UTC)', 'status', 'metric', 'CV', 'holdout', 'winner', 'time'], style: { head: [], border: [] } });
  for (const r of runs) {
    const res = result(r);
    const members = res.winner?.members ?? [];
    const winner = members.length > 1 ? `ensemble of ${members.length}` : (members[0]?.name ?? (r.error ? `error: ${r.error.slice(0, 40)}` : '—'));
    const time = r.durationSeconds === null ? '—' : `${formatDuration(r.durationSeconds)}${r.budgetSeconds !== null ? ` / ${formatDuration(r.budgetSeconds)}` : ` (${r.trials} trials)`}`;
    t.push([r.id, r.name ?? '', r.startedAt.replace('T', ' ').slice(0, 16), r.status, r.metric, fmt(res.metrics?.cv?.[r.metric]), fmt(res.metrics?.holdout?.[r.metric]), winner, time]);
  }
  return t.toString();
}

function showRun(r: RunRecord): void {
  const res = result(r);
  const fp = r.dataFingerprint as { sha256?: string; rows?: number; columns?: unknown[] };
  print(`run ${r.id} (${r.status})${r.name ? ` — ${r.name}` : ''}`);
  print(`  started ${r.startedAt}, ${r.durationSeconds === null ? 'unfinished' : formatDuration(r.durationSeconds)}${r.budgetSeconds !== null ? ` of a ${formatDuration(r.budgetSeconds)} budget` : ` (${r.trials} trials)`}; seed ${r.seed}; Kiln ${r.kilnVersion}`);
  print(`  ${r.task} on ${r.target}, metric ${r.metric}; data ${fp.rows ?? '?'} rows × ${fp.columns?.length ?? '?'} columns, sha256 ${String(fp.sha256 ?? '').slice(0, 16)}…`);
  if (r.registryRef) print(`  registered as ${r.registryRef}`);
  if (r.error) print(`  error: ${r.error}`);
  if (r.leaderboard) print(leaderboardTable(r.leaderboard as unknown as LeaderboardRow[], r.metric, 15));
  const show = (m: Record<string, number> | null | undefined): string => Object.entries(m ?? {}).map(([k, v]) => `${k} ${fmt(v)}`).join(', ');
  if (res.metrics?.cv) print(`cross-validation: ${show(res.metrics.cv)}`);
  if (res.metrics?.holdout) print(`holdout:          ${show(res.metrics.holdout)}`);
  for (const n of res.notes ?? []) print(`note: ${n}`);
}

/** flat "key: value" lines of a JSON value, for a side-by-side diff */
function flatten(value: Json, prefix = '', out: Map<string, string> = new Map()): Map<string, string> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  else out.set(prefix, typeof value === 'number' ? String(Number(value.toPrecision(6))) : JSON.stringify(value));
  return out;
}

function compare(a: RunRecord, b: RunRecord): void {
  const side = (r: RunRecord): Map<string, string> =>
    flatten({ settings: r.settings, data: r.dataFingerprint, metrics: (result(r).metrics ?? null) as Json, winner: (result(r).winner ?? null) as Json, seed: r.seed, kiln: r.kilnVersion, seconds: r.durationSeconds });
  const left = side(a);
  const right = side(b);
  const t = new Table({ head: ['', a.id, b.id], style: { head: [], border: [] }, colWidths: [34, 40, 40], wordWrap: true });
  for (const key of [...new Set([...left.keys(), ...right.keys()])].sort()) {
    const l = left.get(key) ?? '—';
    const r = right.get(key) ?? '—';
    if (l !== r || key.startsWith('metrics.')) t.push([key, l, r]);
  }
  print(`differences between ${a.id} and ${b.id} (metrics always shown):`);
  print(t.toString());
}

export function register(program: Command): void {
  program
    .command('runs')
    .description('list training runs; show one run; or compare two runs side by side')
    .argument('[run]', 'a run id (or a unique prefix, or "latest") to show')
    .argument('[other]', 'a second run to compare with the first')
    .option('--json', 'print JSON')
    .option('--limit <n>', 'runs to list at most', '20')
    .action(
      action(async (run: string | undefined, other: string | undefined, flags: RunsFlags) => {
        const store = await openStore();
        try {
          if (!run) {
            const runs = await store.list(Math.max(1, Number(flags.limit) || 20));
            if (flags.json) return print(JSON.stringify({ database: store.location, runs }, null, 2));
            if (!runs.length) return print(`No runs yet (${store.location}). kiln train records one per training.`);
            return print(listTable(runs));
          }
          const a = await store.get(run);
          if (!other) {
            if (flags.json) return print(JSON.stringify({ ...a, folds: await store.folds(a.id) }, null, 2));
            return showRun(a);
          }
          const b = await store.get(other);
          if (flags.json) return print(JSON.stringify({ runs: [a, b] }, null, 2));
          compare(a, b);
        } finally {
          await store.close();
        }
      }),
    );
}
